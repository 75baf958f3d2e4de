import type { NormName } from '../architecture.js';
import type { Options } from '../cli.js';

/** One sample of a run's learning curves. Errors are in percent, as in the paper. */
export interface CurvePoint {
  /** Fractional epoch at which the sample was taken (images seen / training set size). */
  epoch: number;
  /** Loss and error of the training batches since the previous sample, in training mode. */
  trainLoss: number;
  trainError: number;
  /** Loss and error on the test set in eval mode (BN uses its running statistics). */
  testLoss: number;
  testError: number;
}

/** The L2 norm of one parameter's gradient, averaged over the steps since the previous sample. */
export interface GradientPoint {
  epoch: number;
  layer: string;
  norm: number;
}

/** One run of the experiment: a normalization at a batch size with a seed. */
export interface Run {
  norm: NormName;
  batchSize: number;
  seed: number;
}

export interface RunResult extends Run {
  lr: number;
  steps: number;
  testError: number;
  testLoss: number;
  curve: CurvePoint[];
  gradients: GradientPoint[];
  seconds: number;
  imagesPerSecond: number;
}

/** Test error of one configuration (norm x batch size) over its seeds. */
export interface SummaryRow {
  norm: NormName;
  batchSize: number;
  seeds: number;
  testErrorMean: number;
  /** Sample standard deviation over seeds (n - 1); 0 for a single seed. */
  testErrorStd: number;
  testErrors: number[];
}

export interface Results {
  title: string;
  createdAt: string;
  command: string;
  options: Options;
  data: { trainSize: number; testSize: number; splitSeed: number; mean: number; std: number };
  model: string;
  runs: RunResult[];
  summary: SummaryRow[];
  /** The Vega-Lite specs drawn in report.html, data included. */
  figures: Record<string, object>;
  totalSeconds: number;
  /** Where the timings were measured. */
  environment: { node: string; platform: string; cpu: string; cpus: number };
}

/** Groups runs by (norm, batch size), in the order they first appear, with mean and std over seeds. */
export function summarize(runs: readonly RunResult[]): SummaryRow[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) {
    const key = `${r.norm}/${r.batchSize}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const errors = rs.map((r) => r.testError);
    return { norm: rs[0]!.norm, batchSize: rs[0]!.batchSize, seeds: rs.length, testErrorMean: mean(errors), testErrorStd: sampleStd(errors), testErrors: errors };
  });
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
