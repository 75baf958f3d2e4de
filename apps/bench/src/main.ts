// `pnpm bench`: runs every suite module in dist/suites/ (discovered at run time, so adding a suite needs no
// change here) and prints one table per suite, then PyTorch on the workloads the run measured and the
// summary table with the targets. Optional arguments filter suites/cases by substring
// (`node dist/main.js cnn` runs one suite).
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { getBackend } from '@minigrad/tensor';
import type { BenchCase, CaseResult } from './harness.js';
import { runCase } from './harness.js';
import { runTorch } from './peers/torch.js';
import { formatSummary, summaryRows } from './summary.js';
import { checkTargets, formatTargets } from './targets.js';
import { formatTable } from './table.js';
import type { WorkloadId } from './workloads.js';

/** Wall-clock budget per case and implementation: keeps the whole run near three minutes. */
const CASE_BUDGET_MS = 1000;

interface SuiteModule {
  title?: string;
  cases: BenchCase[];
}

async function runSuite(file: string, dir: URL, matches: (name: string) => boolean): Promise<CaseResult[]> {
  const mod = (await import(new URL(file, dir).href)) as Partial<SuiteModule>;
  if (!Array.isArray(mod.cases)) throw new Error(`bench suite ${file} does not export a cases array`);
  const suite = file.replace(/\.js$/, '');
  const cases = mod.cases.filter((c) => matches(suite) || matches(c.name));
  if (cases.length === 0) return [];
  const results = [];
  for (const c of cases) results.push(await runCase(c, { budgetMs: CASE_BUDGET_MS }));
  console.log(`\n${formatTable(mod.title ?? suite, results)}`);
  return results;
}

function printSummary(results: readonly CaseResult[]): void {
  const ids = results.flatMap((r) => (r.workload ? [r.workload] : [])) as WorkloadId[];
  if (ids.length === 0) return;
  const torch = runTorch(ids);
  console.log(
    torch.ok
      ? `\nPyTorch ${torch.version} (one thread, two on the '2 threads' row; BLAS_INFO=${torch.blas}) ran tools/bench/torch_bench.py`
      : `\nPyTorch skipped: ${torch.reason}`,
  );
  console.log('\nSummary (medians; ratios are speeds minigrad/peer, above 1 means minigrad is faster)');
  const rows = summaryRows(results, torch);
  console.log(formatSummary(rows));
  console.log('\nTargets of issue 7 (from the figures above)');
  console.log(formatTargets(checkTargets(rows)));
}

/** Cores and the 1-minute load average: on a shared machine the load says how far to trust the medians. */
function machine(): string {
  return `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const dir = new URL('./suites/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const matches = (name: string): boolean => filters.length === 0 || filters.some((f) => name.includes(f));
  const started = performance.now();
  const gc = (globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc)';
  console.log(`minigrad bench: node ${process.version}, ${process.arch}${gc}, minigrad backend '${getBackend().name}', ${machine()}`);
  const results: CaseResult[] = [];
  for (const file of files) {
    // A failing suite is reported and skipped so that the other tables still print; the exit code says so.
    try {
      results.push(...(await runSuite(file, dir, matches)));
    } catch (e) {
      console.error(`\nbench suite ${file} failed: ${e instanceof Error ? e.stack : String(e)}`);
      process.exitCode = 1;
    }
  }
  printSummary(results);
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s, ${machine()}`);
}

await main();
