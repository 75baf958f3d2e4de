// `pnpm bench`: runs every suite module in dist/suites/ (discovered at run time, so adding a suite needs no
// change here) and prints one table per suite, then PyTorch on the workloads the run measured and the
// summary table with the targets. Optional arguments filter suites/cases by substring
// (`node dist/main.js cnn` runs one suite). `--quick` (or BENCH_QUICK=1) is a smoke run: a tenth of the
// time budget per case and per PyTorch workload, so its figures are rough; the lead's runs omit it.
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { getBackend } from '@minigrad/tensor';
import type { BenchCase, CaseResult } from './harness.js';
import { runCase } from './harness.js';
import { runJaxThreads } from './peers/jaxjs-threads.js';
import { describeTorch, runTorch } from './peers/torch.js';
import { formatSummary, formatUnavailable, summaryRows } from './summary.js';
import { checkTargets, formatTargets } from './targets.js';
import { formatTable } from './table.js';
import { WORKLOADS, type WorkloadId } from './workloads.js';

/** Wall-clock budget per case and implementation: keeps the whole run near three minutes. */
const CASE_BUDGET_MS = 1000;
/** PyTorch's budget per workload (torch_bench.py's default). */
const TORCH_BUDGET_S = 1.0;
/** The smoke run's fraction of both budgets. */
const QUICK_FRACTION = 0.1;

const args = process.argv.slice(2);
const quick = args.includes('--quick') || (process.env.BENCH_QUICK ?? '') === '1';
const budgetMs = quick ? CASE_BUDGET_MS * QUICK_FRACTION : CASE_BUDGET_MS;

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
  for (const c of cases) results.push(await runCase(c, { budgetMs }));
  console.log(`\n${formatTable(mod.title ?? suite, results)}`);
  return results;
}

function printSummary(results: readonly CaseResult[]): void {
  const ids = results.flatMap((r) => (r.workload ? [r.workload] : [])) as WorkloadId[];
  if (ids.length === 0) return;
  // jax-js on the rows with more than one thread: a child process with a pool of Web Workers.
  const multi = ids.filter((id) => (WORKLOADS[id].threads ?? 1) > 1);
  const jaxThreads = multi.length > 0 ? runJaxThreads(multi, budgetMs) : undefined;
  if (jaxThreads) {
    console.log(
      jaxThreads.ok
        ? `\njax-js on ${[...new Set(multi.map((id) => WORKLOADS[id].threads))].join('/')} threads (${multi.join(', ')}): dist/peers/jaxjs-threads.js, a pool of Web Workers (worker_threads) on jax-js's asynchronous path`
        : `\njax-js on more than one thread failed: ${jaxThreads.reason}`,
    );
  }
  const torch = runTorch(ids, { budgetS: quick ? TORCH_BUDGET_S * QUICK_FRACTION : TORCH_BUDGET_S });
  console.log(`\n${describeTorch(torch)}`);
  console.log(`\nSummary (medians; ratios are speeds minigrad/peer, above 1 means minigrad is faster)${quick ? ' (--quick: rough figures)' : ''}`);
  const rows = summaryRows(results, torch, jaxThreads);
  console.log(formatSummary(rows));
  const unavailable = formatUnavailable(rows);
  if (unavailable) console.log(unavailable);
  console.log('\nTargets (from the figures above)');
  console.log(formatTargets(checkTargets(rows)));
}

/** Cores and the 1-minute load average: on a shared machine the load says how far to trust the medians. */
function machine(): string {
  return `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`;
}

async function main(): Promise<void> {
  // pnpm passes a literal '--' before the script's arguments (`pnpm --filter @minigrad/bench bench -- --quick`)
  const filters = args.filter((a) => a !== '--quick' && a !== '--');
  const dir = new URL('./suites/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const matches = (name: string): boolean => filters.length === 0 || filters.some((f) => name.includes(f));
  const started = performance.now();
  const gc = (globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc)';
  console.log(`minigrad bench${quick ? ' (--quick: a tenth of the budget per case, rough figures)' : ''}: node ${process.version}, ${process.arch}${gc}, minigrad backend '${getBackend().name}', ${machine()}`);
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
