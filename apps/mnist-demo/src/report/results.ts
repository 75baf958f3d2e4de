import type { NormName } from '../architecture.js';
import type { Options } from '../cli.js';
import type { BnLayerNoise } from '../mechanism.js';

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

/** The L2 norm of one parameter's gradient at one step (the step before a curve point). */
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
  /** Final test error (%) in eval mode, and its loss. */
  testError: number;
  testLoss: number;
  /** Training-mode error (%) on the training batches of the last epoch. */
  trainError: number;
  /** BN only: test error in training mode (batch statistics) and after precise BN; the batch statistics' noise. */
  testErrorTrainMode?: number;
  testErrorPreciseBn?: number;
  bnNoise?: BnLayerNoise[];
  curve: CurvePoint[];
  gradients: GradientPoint[];
  /** Seconds of training, and of the final measurements. */
  seconds: number;
  measureSeconds: number;
  imagesPerSecond: number;
}

export const METRICS = ['test-error', 'test-error-train-mode', 'test-error-precise-bn', 'train-error'] as const;
export type Metric = (typeof METRICS)[number];

const METRIC_OF: Record<Metric, (r: RunResult) => number | undefined> = {
  'test-error': (r) => r.testError,
  'test-error-train-mode': (r) => r.testErrorTrainMode,
  'test-error-precise-bn': (r) => r.testErrorPreciseBn,
  'train-error': (r) => r.trainError,
};

/** One metric of one configuration (norm x batch size) over its seeds. Errors in percent. */
export interface SummaryRow {
  norm: NormName;
  batchSize: number;
  metric: Metric;
  seeds: number[];
  /** The metric of each seed's run, in the order of `seeds`. */
  values: number[];
  mean: number;
  /** Sample standard deviation over seeds (n − 1); 0 for a single seed. */
  std: number;
}

/** One BN layer's batch-statistics noise at one batch size, averaged over seeds. */
export interface NoiseRow extends BnLayerNoise {
  batchSize: number;
  seeds: number;
}

/** The experiment's configuration as results.json records it. */
export type Config = Omit<Options, 'out' | 'save' | 'resume'> & {
  /** Which layers are normalized: 'conv' (the ResNet: after every conv) or 'conv+hidden' (the ablation CNN). */
  normLayers: 'conv' | 'conv+hidden';
};

export interface Results {
  title: string;
  createdAt: string;
  command: string;
  config: Config;
  data: { dataset: string; trainSize: number; testSize: number; splitSeed: number; mean: number; std: number };
  model: string;
  summary: SummaryRow[];
  bnNoise: NoiseRow[];
  runs: RunResult[];
  /** The Vega-Lite specs drawn in report.html, data included. */
  figures: Record<string, object>;
  totalSeconds: number;
  /** Where the timings were measured. */
  environment: { node: string; platform: string; cpu: string; cpus: number };
}

/** Groups runs by (norm, batch size), in the order they first appear, one row per metric they have. */
export function summarize(runs: readonly RunResult[]): SummaryRow[] {
  return [...groupBy(runs, (r) => `${r.norm}/${r.batchSize}`).values()].flatMap((rs) =>
    METRICS.flatMap((metric) => {
      const values = rs.map(METRIC_OF[metric]);
      if (values.some((v) => v === undefined)) return [];
      const xs = values as number[];
      return [{ norm: rs[0]!.norm, batchSize: rs[0]!.batchSize, metric, seeds: rs.map((r) => r.seed), values: xs, mean: mean(xs), std: sampleStd(xs) }];
    }),
  );
}

/** Every BN layer's noise per batch size, averaged over the seeds (largest batch size first). */
export function summarizeNoise(runs: readonly RunResult[]): NoiseRow[] {
  const bn = runs.filter((r) => r.bnNoise !== undefined).sort((a, b) => b.batchSize - a.batchSize);
  return [...groupBy(bn, (r) => String(r.batchSize)).values()].flatMap((rs) =>
    rs[0]!.bnNoise!.map((layer, i) => {
      const avg = (key: 'meanNoise' | 'varNoise' | 'runningMeanGap' | 'runningVarGap') => mean(rs.map((r) => r.bnNoise![i]![key]));
      return { batchSize: rs[0]!.batchSize, layer: layer.layer, seeds: rs.length, meanNoise: avg('meanNoise'), varNoise: avg('varNoise'), runningMeanGap: avg('runningMeanGap'), runningVarGap: avg('runningVarGap') };
    }),
  );
}

/** The row of one metric of one configuration, if it ran. */
export function findRow(summary: readonly SummaryRow[], norm: NormName, batchSize: number, metric: Metric = 'test-error'): SummaryRow | undefined {
  return summary.find((s) => s.norm === norm && s.batchSize === batchSize && s.metric === metric);
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const x of xs) groups.set(key(x), [...(groups.get(key(x)) ?? []), x]);
  return groups;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
