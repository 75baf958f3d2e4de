// The benchmark harness: a suite is a module in suites/ exporting `cases`; each case is warmed up, then
// timed in repeated samples (process.hrtime), and reported by its median and minimum.
import type { Variant } from './rounds.js';
import type { WorkloadId } from './workloads.js';

/** A competing implementation of the same case (e.g. TensorFlow.js), timed the same way, shown in extra columns. */
export interface Peer {
  setup?: () => void | Promise<void>;
  run: () => void;
  /** Overrides the case's measure options (a slow peer gets fewer samples). */
  options?: MeasureOptions;
}

export interface BenchCase {
  name: string;
  /** Runs once before timing (allocate inputs here, not in run). */
  setup?: () => void | Promise<void>;
  run: () => void;
  /** Floating-point operations of one run: the table then shows GFLOP/s. */
  flops?: number;
  /** Other implementations of the same case, keyed by the column name. */
  peers?: Record<string, Peer>;
  /** The row of the summary table this case measures (see workloads.ts). */
  workload?: WorkloadId;
  /** minigrad's variants of the same work (in tidy(), compiled, ...; rounds.ts): timed beside `run` by the interleaved phase. */
  variants?: Partial<Record<Variant, Peer>>;
  options?: MeasureOptions;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  samples: number;
}

export interface MeasureOptions {
  /** Rough wall-clock budget for one case, warm-up included. */
  budgetMs?: number;
  /** Lower bound on the number of timed samples (slow cases overrun the budget to reach it). */
  minSamples?: number;
  /** Calls are batched so that one sample lasts at least this long (hrtime is precise, calls are not free). */
  minSampleMs?: number;
  /**
   * Untimed calls before sampling, at least (default 2). 0 with a budget of 0 skips the warm-up (for a case
   * whose setup already ran it and that takes seconds per call): then every sample is one call.
   */
  minWarmup?: number;
  now?: () => number;
}

export function hrNowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median and minimum of the samples (ms). */
export function summarize(samplesMs: readonly number[]): Timing {
  if (samplesMs.length === 0) throw new Error('summarize: no samples');
  return { medianMs: median(samplesMs), minMs: Math.min(...samplesMs), samples: samplesMs.length };
}

/** Warms run up (at least minWarmup calls and a quarter of the budget, so V8 has optimized it), then samples it. */
export function measure(run: () => void, opts: MeasureOptions = {}): Timing {
  const { budgetMs = 2000, minSamples = 5, minSampleMs = 5, minWarmup = 2, now = hrNowMs } = opts;
  const start = now();
  let calls = 0;
  while (calls < minWarmup || (now() - start < budgetMs * 0.25 && calls < 10_000)) {
    run();
    calls++;
  }
  const { batch, sampleCount } = samplePlan(calls, now() - start, opts);
  const samples: number[] = [];
  for (let s = 0; s < sampleCount; s++) {
    const t = now();
    for (let b = 0; b < batch; b++) run();
    samples.push((now() - t) / batch);
  }
  return summarize(samples);
}

/** Calls per sample and number of samples, from the warm-up's calls and time. */
function samplePlan(calls: number, warmupMs: number, opts: MeasureOptions): { batch: number; sampleCount: number } {
  const { budgetMs = 2000, minSamples = 5, minSampleMs = 5 } = opts;
  // Without a warm-up there is no estimate of the time per call: one call per sample, minSamples samples.
  const perCall = calls === 0 ? Infinity : Math.max(warmupMs / calls, 1e-6);
  const batch = Math.max(1, Math.ceil(minSampleMs / perCall));
  const sampleCount = Math.min(50, Math.max(minSamples, Math.floor((budgetMs * 0.75) / (perCall * batch))));
  return { batch, sampleCount };
}

/** measure for a run that finishes asynchronously (jax-js on its worker threads): the same warm-up and samples. */
export async function measureAsync(run: () => Promise<void>, opts: MeasureOptions = {}): Promise<Timing> {
  const { budgetMs = 2000, minWarmup = 2, now = hrNowMs } = opts;
  const start = now();
  let calls = 0;
  while (calls < minWarmup || (now() - start < budgetMs * 0.25 && calls < 10_000)) {
    await run();
    calls++;
  }
  const { batch, sampleCount } = samplePlan(calls, now() - start, opts);
  const samples: number[] = [];
  for (let s = 0; s < sampleCount; s++) {
    const t = now();
    for (let b = 0; b < batch; b++) await run();
    samples.push((now() - t) / batch);
  }
  return summarize(samples);
}

export interface CaseResult {
  name: string;
  timing: Timing;
  flops?: number;
  peers: Record<string, Timing>;
  /** Peers that could not run this case, with the reason (their setup or run threw). */
  unavailable?: Record<string, string>;
  workload?: WorkloadId;
}

/**
 * Sets up and measures one case and its peers, collecting garbage in between when node runs with --expose-gc.
 * A peer whose setup or run throws is listed as unavailable with the error's message (e.g. a tfjs backend
 * without a kernel the case needs); minigrad's own errors propagate.
 */
export async function runCase(c: BenchCase, opts: MeasureOptions = {}): Promise<CaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  await c.setup?.();
  gc?.();
  const timing = measure(c.run, { ...opts, ...c.options });
  const peers: Record<string, Timing> = {};
  const unavailable: Record<string, string> = {};
  for (const [name, peer] of Object.entries(c.peers ?? {})) {
    try {
      await peer.setup?.();
      gc?.();
      peers[name] = measure(peer.run, { ...opts, ...c.options, ...peer.options });
    } catch (e) {
      unavailable[name] = e instanceof Error ? e.message : String(e);
    }
  }
  const result: CaseResult = { name: c.name, timing, flops: c.flops, peers, workload: c.workload };
  if (Object.keys(unavailable).length > 0) result.unavailable = unavailable;
  return result;
}
