// The interleaved phase of `pnpm bench` (issue 14's targets are ratios "measured in one run, on one machine,
// interleaved"): several rounds, each timing every issue-14 row on minigrad (the bench's own case, measured by
// the harness with the case budget) and on PyTorch (a torch_bench.py child kept alive per thread count,
// peers/torch-serve.ts, asked for one sample at a time) back to back, in the order of rounds.ts's
// roundSchedule. targets.ts checks the medians of the rounds' ratios. The summary table's absolute figures
// still come from the suites and from one torch_bench.py run per thread count (peers/torch.ts).
import { availableParallelism, loadavg } from 'node:os';
import { getThreads, setThreads } from '@minigrad/tensor/node';
import { type BenchCase, hrNowMs, measure } from './harness.js';
import { startTorchServer, type TorchServer } from './peers/torch-serve.js';
import { describeRun } from './peers/torch.js';
import {
  INTERLEAVED_IDS, type InterleavedId, type InterleavedRounds, type Round, VARIANT_NAMES, type Variant, formatRounds, isInterleavedId, loadWarning,
  roundSchedule,
} from './rounds.js';
import type { Peer } from './harness.js';
import { WORKLOADS } from './workloads.js';

export interface InterleavedOptions {
  rounds: number;
  /** Budget of each timed sample, on either side (warm-up included, as in the suites). */
  budgetMs: number;
  log: (line: string) => void;
}

const threadsOf = (id: InterleavedId): number => WORKLOADS[id].threads ?? 1;
const load = (): number => loadavg()[0];

/** One PyTorch child per thread count of the rows, or why PyTorch cannot run (then none is left running). */
async function startServers(ids: readonly InterleavedId[], log: (line: string) => void): Promise<Map<number, TorchServer> | string> {
  const servers = new Map<number, TorchServer>();
  const stop = (reason: string): string => {
    for (const s of servers.values()) s.close();
    return reason;
  };
  for (const threads of new Set(ids.map(threadsOf))) {
    const started = startTorchServer(threads);
    if (!started.ok) return stop(started.reason);
    servers.set(threads, started.server);
    try {
      // Waiting for this answer also keeps torch's import (seconds of CPU) out of the first round.
      const info = await started.server.info();
      if (servers.size === 1) log(`PyTorch ${info.torch} in one tools/bench/torch_bench.py --serve child per thread count:`);
      log(describeRun(info));
    } catch (e) {
      return stop(e instanceof Error ? e.message : String(e));
    }
  }
  return servers;
}

/** minigrad's median ms of a step on its row's thread count (workers are only restarted when the count changes). */
async function minigradMs(c: BenchCase | Peer, threads: number, budgetMs: number): Promise<number> {
  if (getThreads() !== threads) await setThreads(threads);
  (globalThis as { gc?: () => void }).gc?.();
  return measure(c.run, { budgetMs, ...c.options }).medianMs;
}

/**
 * Runs the rounds on the issue-14 rows that the given cases measure (the first case tagged with each row),
 * printing progress, the PyTorch children's BLAS and the rounds' table; undefined when no case is an issue-14
 * row. Without PyTorch the minigrad steps still run (the sgemm 2-thread/1-thread ratio needs no peer).
 */
export async function runInterleaved(cases: readonly BenchCase[], opts: InterleavedOptions): Promise<InterleavedRounds | undefined> {
  const { log } = opts;
  const byId = new Map<InterleavedId, BenchCase>();
  for (const c of cases) if (c.workload && isInterleavedId(c.workload) && !byId.has(c.workload)) byId.set(c.workload, c);
  const ids = INTERLEAVED_IDS.filter((id) => byId.has(id));
  if (ids.length === 0) return undefined;
  const loads = [load()];
  const started = hrNowMs();
  log(`\nInterleaved (issue 14's ratios): ${opts.rounds} rounds over ${ids.join(', ')}, ${opts.budgetMs / 1000} s per sample; load average ${loads[0].toFixed(1)} before`);
  const servers = await startServers(ids, log);
  const torchMissing = typeof servers === 'string' ? servers : undefined;
  if (torchMissing) log(`PyTorch skipped in the interleaved phase: ${torchMissing}`);
  try {
    for (const id of ids) await byId.get(id)!.setup?.();
    const variants: Partial<Record<InterleavedId, Variant[]>> = {};
    for (const id of ids) {
      variants[id] = VARIANT_NAMES.filter((v) => byId.get(id)!.variants?.[v] !== undefined);
      for (const v of variants[id]) await byId.get(id)!.variants![v]!.setup?.();
    }
    const schedule = roundSchedule(ids, torchMissing === undefined, variants);
    const rounds: Round[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      const t = hrNowMs();
      const round: Round = {};
      for (const { id, side } of schedule) {
        const c = byId.get(id)!;
        const ms = side !== 'PyTorch'
          ? await minigradMs(side === 'minigrad' ? c : c.variants![side]!, threadsOf(id), opts.budgetMs)
          : await (servers as Map<number, TorchServer>).get(threadsOf(id))!.sampleMs(id, opts.budgetMs / 1000);
        round[id] = { ...round[id], [side]: ms };
      }
      rounds.push(round);
      loads.push(load());
      log(`round ${r + 1}/${opts.rounds}: ${((hrNowMs() - t) / 1000).toFixed(1)} s, load average ${loads.at(-1)!.toFixed(1)}`);
    }
    const result: InterleavedRounds = { rounds, machine: { cores: availableParallelism(), loads } };
    if (torchMissing !== undefined) result.torchMissing = torchMissing;
    log(`\nRatios per round (r1, r2, ...; speeds, above 1: 'of' is faster), their median and min-max:\n${formatRounds(result)}`);
    log(`interleaved phase: ${((hrNowMs() - started) / 1000).toFixed(1)} s, load average ${loads[0].toFixed(1)} before, ${loads.at(-1)!.toFixed(1)} after`);
    const warning = loadWarning(result);
    if (warning) log(warning);
    return result;
  } finally {
    if (getThreads() !== 1) await setThreads(1);
    if (typeof servers !== 'string') for (const s of servers.values()) s.close();
  }
}
