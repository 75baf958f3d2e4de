// `pnpm bench`: runs every suite module in dist/suites/ (discovered at run time, so adding a suite needs no
// change here) and prints one table per suite, then the interleaved phase on issue 14's rows (interleaved.ts),
// then PyTorch on the workloads the run measured and the summary table with the issues' targets. Optional
// arguments filter suites/cases by substring (`node dist/main.js cnn` runs one suite). `--quick` (or
// BENCH_QUICK=1) is a smoke run: a tenth of the time budget per case and per PyTorch workload and 3 rounds,
// so its figures are rough; the lead's runs omit it. `--interleaved` runs only the interleaved phase (on the
// issue-14 rows whose cases match the filters), `--rounds N` sets its number of rounds.
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { getBackend } from '@minigrad/tensor';
import type { BenchCase, CaseResult } from './harness.js';
import { runCase } from './harness.js';
import { runInterleaved } from './interleaved.js';
import { runJaxThreads } from './peers/jaxjs-threads.js';
import { describeTorch, runTorch } from './peers/torch.js';
import { formatSummary, formatUnavailable, summaryRows } from './summary.js';
import { type InterleavedRounds, isInterleavedId, loadWarning } from './rounds.js';
import { checkTargets, formatTargets, issue14Targets } from './targets.js';
import { formatTable } from './table.js';
import { WORKLOADS, type WorkloadId } from './workloads.js';

/** Wall-clock budget per case and implementation: keeps the whole run near three minutes. */
const CASE_BUDGET_MS = 1000;
/** PyTorch's budget per workload (torch_bench.py's default). */
const TORCH_BUDGET_S = 1.0;
/** The smoke run's fraction of both budgets. */
const QUICK_FRACTION = 0.1;
/** Rounds of the interleaved phase (each times every issue-14 row on both sides with the case budget). */
const ROUNDS = 7;
const QUICK_ROUNDS = 3;

const args = process.argv.slice(2);
const quick = args.includes('--quick') || (process.env.BENCH_QUICK ?? '') === '1';
const interleavedOnly = args.includes('--interleaved');
const budgetMs = quick ? CASE_BUDGET_MS * QUICK_FRACTION : CASE_BUDGET_MS;
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt < 0 ? (quick ? QUICK_ROUNDS : ROUNDS) : Number(args[roundsAt + 1]);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a whole number of rounds >= 1, got ${args[roundsAt + 1]}`);

interface SuiteModule {
  title?: string;
  cases: BenchCase[];
}

/** A suite module's title and its cases that match the filters (by the suite's name or the case's). */
async function loadSuite(file: string, dir: URL, matches: (name: string) => boolean): Promise<{ title: string; cases: BenchCase[] }> {
  const mod = (await import(new URL(file, dir).href)) as Partial<SuiteModule>;
  if (!Array.isArray(mod.cases)) throw new Error(`bench suite ${file} does not export a cases array`);
  const suite = file.replace(/\.js$/, '');
  return { title: mod.title ?? suite, cases: mod.cases.filter((c) => matches(suite) || matches(c.name)) };
}

async function runSuite(title: string, cases: readonly BenchCase[]): Promise<CaseResult[]> {
  if (cases.length === 0) return [];
  const results = [];
  for (const c of cases) results.push(await runCase(c, { budgetMs }));
  console.log(`\n${formatTable(title, results)}`);
  return results;
}

/** The interleaved phase; a failure is reported (its targets then show 'not run') and sets the exit code. */
async function interleave(cases: readonly BenchCase[]): Promise<InterleavedRounds | undefined> {
  try {
    return await runInterleaved(cases, { rounds, budgetMs, log: (line) => console.log(line) });
  } catch (e) {
    console.error(`\ninterleaved phase failed: ${e instanceof Error ? e.stack : String(e)}`);
    process.exitCode = 1;
    return undefined;
  }
}

function printSummary(results: readonly CaseResult[], interleaved: InterleavedRounds | undefined): void {
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
  console.log("\nTargets (issue 7's from the summary; issue 14's from the interleaved phase: medians of the rounds' ratios)");
  console.log(formatTargets(checkTargets(rows, interleaved)));
  const warning = interleaved && loadWarning(interleaved);
  if (warning) console.log(warning);
}

/** Cores and the 1-minute load average: on a shared machine the load says how far to trust the medians. */
function machine(): string {
  return `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`;
}

async function main(): Promise<void> {
  // pnpm passes a literal '--' before the script's arguments (`pnpm --filter @minigrad/bench bench -- --quick`)
  const filters = args.filter((a, i) => !['--quick', '--', '--interleaved', '--rounds'].includes(a) && (roundsAt < 0 || i !== roundsAt + 1));
  const dir = new URL('./suites/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const matches = (name: string): boolean => filters.length === 0 || filters.some((f) => name.includes(f));
  const started = performance.now();
  const gc = (globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc)';
  console.log(`minigrad bench${quick ? ' (--quick: a tenth of the budget per case, rough figures)' : ''}: node ${process.version}, ${process.arch}${gc}, minigrad backend '${getBackend().name}', ${machine()}`);
  const results: CaseResult[] = [];
  const matched: BenchCase[] = [];
  for (const file of files) {
    // A failing suite is reported and skipped so that the other tables still print; the exit code says so.
    try {
      const { title, cases } = await loadSuite(file, dir, matches);
      if (!interleavedOnly) results.push(...(await runSuite(title, cases)));
      matched.push(...cases);
    } catch (e) {
      console.error(`\nbench suite ${file} failed: ${e instanceof Error ? e.stack : String(e)}`);
      process.exitCode = 1;
    }
  }
  const interleaved = await interleave(matched);
  if (interleavedOnly) {
    if (!matched.some((c) => c.workload && isInterleavedId(c.workload))) console.log('\nno issue-14 row matches the filters: nothing to interleave');
    else if (interleaved) {
      console.log(`\nIssue 14's targets (medians of the rounds' ratios)\n${formatTargets(issue14Targets(interleaved))}`);
      const warning = loadWarning(interleaved);
      if (warning) console.log(warning);
    }
  } else {
    printSummary(results, interleaved);
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s, ${machine()}`);
}

await main();
