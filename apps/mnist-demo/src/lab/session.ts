// The lab's session (browser-safe, light: the page imports it, the training code stays in the worker's
// bundle): settings and their checks, the messages of a run (lab/run.ts), and results.json in the CLI's format.
import { normalizedChannels, groupsFor, type NormName } from '../architecture.js';
import type { Options } from '../cli.js';
import { SPLIT_SEED, splitImages, type Data } from '../data.js';
import type { DatasetName, Images } from '../datasets.js';
import type { BnRunningNoise } from '../mechanism.js';
import { describeModel } from '../models/index.js';
import { figures } from '../report/charts.js';
import { summarize, summarizeNoise, type Config, type CurvePoint, type GradientPoint, type Results, type RunResult } from '../report/results.js';
import { UsageError } from '../usage-error.js';

/** What every run of a lab session shares (the page's settings). */
export interface LabSettings {
  dataset: DatasetName;
  groups: number;
  /** Learning rate at batch size 32, scaled by N/32 (the CLI's --lr). */
  lr: number;
  seed: number;
  epochs: number;
  trainSize: number;
  testSize: number;
  evalsPerEpoch: number;
  blocks: number;
}

/** One run of the lab: a norm at a batch size under the session's settings. */
export interface LabRun extends LabSettings {
  norm: NormName;
  batchSize: number;
}

/** The lab's defaults: BN and GN side by side at batch size 2 on Fashion-MNIST. */
export const LAB_DEFAULTS: LabSettings = { dataset: 'fashion', groups: 16, lr: 0.1, seed: 0, epochs: 2, trainSize: 4000, testSize: 1000, evalsPerEpoch: 10, blocks: 2 };
export const LAB_RUNS: { norm: NormName; batchSize: number }[] = [{ norm: 'batch', batchSize: 2 }, { norm: 'group', batchSize: 2 }];
/** Images of each data set's split packed for the page: up to 4000 training and 1000 test images. */
export const LAB_IMAGES = 5000;
/** Test images shown with their predicted classes. */
export const SAMPLE_COUNT = 8;

/** Messages a run posts, in order: 'ready', then 'steps' and 'point' (and 'paused'/'resumed'), then 'done' or 'failed'. */
export type LabMessage =
  | { type: 'ready'; backend: string; steps: number; dot: string; tape: string; samples: { index: number; label: number }[]; bnLayers: string[] }
  | { type: 'steps'; step: number; epoch: number; loss: number; trainError: number; imagesPerSecond: number }
  | { type: 'point'; step: number; point: CurvePoint; gradients: GradientPoint[]; noise: (BnRunningNoise & { epoch: number })[]; predictions: number[] }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'measuring' }
  | { type: 'done'; result: RunResult }
  | { type: 'failed'; message: string };

/** The CLI's options for a lab session (what executeRun reads, and what results.json records as its config). */
export function labOptions(s: LabSettings, runs: readonly { norm: NormName; batchSize: number }[]): Options {
  const norms = [...new Set(runs.map((r) => r.norm))];
  return {
    preset: 'default', dataset: s.dataset, model: 'resnet', blocks: s.blocks, norms, sweep: norms,
    batchSizes: [...new Set(runs.map((r) => r.batchSize))], epochs: s.epochs, seeds: [s.seed], trainSize: s.trainSize, testSize: s.testSize,
    groups: s.groups, lr: s.lr, momentum: 0.9, weightDecay: 1e-4, evalsPerEpoch: s.evalsPerEpoch,
    out: '', cache: '', save: false, resume: false, workers: runs.length, threads: 1, conv: 'gemm',
  };
}

/** Why a lab run cannot start with these settings, or null. */
export function checkRun(r: LabRun, available: number): string | null {
  const int = (x: number, min: number) => Number.isInteger(x) && x >= min;
  if (!int(r.trainSize, 1) || !int(r.testSize, 1)) return 'training and test images must be whole numbers ≥ 1';
  if (r.trainSize + r.testSize > available) return `${r.trainSize} training + ${r.testSize} test images: the page holds ${available} of this data set`;
  if (!int(r.batchSize, 1) || r.batchSize > r.trainSize) return `batch size ${r.batchSize}: a whole number from 1 to the training images`;
  if (r.norm === 'batch' && r.batchSize < 2) return 'BatchNorm needs 2 or more images per batch';
  if (!int(r.epochs, 1) || !int(r.evalsPerEpoch, 1) || !int(r.seed, 0) || !int(r.groups, 1)) return 'epochs, points per epoch, seed and G must be whole numbers';
  if (!(r.lr > 0 && Number.isFinite(r.lr))) return `learning rate ${r.lr}: must be a number > 0`;
  if (r.norm === 'group') {
    try {
      for (const c of normalizedChannels('resnet', r.blocks)) groupsFor(r.groups, c);
    } catch (e) {
      return e instanceof UsageError ? e.message.replace('--groups', 'G =') : String(e);
    }
  }
  return null;
}

/** The data of a lab run: the CLI's split (data.ts) of the packed images. */
export function labData(all: Images, r: Pick<LabRun, 'trainSize' | 'testSize'>): Data {
  return splitImages(all, r.trainSize, r.testSize);
}

/** What the lab adds to results.json: which runs finished (an unfinished one is its state when downloaded). */
export interface LabResults extends Results {
  lab: { runs: { norm: NormName; batchSize: number; finished: boolean; stepsDone: number; steps: number }[] };
}

/** A run's state so far as a RunResult, for a download before it finished: its last curve point's errors. */
export function partialResult(r: LabRun, curve: CurvePoint[], gradients: GradientPoint[], steps: number, seconds: number): RunResult {
  const last = curve.at(-1);
  return {
    norm: r.norm, batchSize: r.batchSize, seed: r.seed, lr: (r.lr * r.batchSize) / 32, steps,
    testError: last?.testError ?? NaN, testLoss: last?.testLoss ?? NaN, trainError: last?.trainError ?? NaN,
    curve, gradients, seconds, measureSeconds: 0, imagesPerSecond: seconds > 0 ? (steps * r.batchSize) / seconds : 0,
  };
}

/** results.json as the CLI writes it (report/results.ts), from the lab's runs: finished ones as executeRun returned them. */
export function labResults(
  s: LabSettings, data: Pick<Data, 'mean' | 'std'>, runs: { run: LabRun; result: RunResult; finished: boolean; steps: number }[],
  totalSeconds: number, environment: Results['environment'],
): LabResults {
  const o = labOptions(s, runs.map((x) => x.run));
  const { out: _out, save: _save, resume: _resume, ...rest } = o;
  const config: Config = { ...rest, normLayers: 'conv' };
  const results = runs.map((x) => x.result);
  const summary = summarize(results);
  const bnNoise = summarizeNoise(results);
  const base = {
    title: `Group Normalization vs. Batch Normalization on ${s.dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST'} (the lab)`,
    createdAt: new Date().toISOString(),
    command: 'lab',
    config,
    data: { dataset: s.dataset, trainSize: s.trainSize, testSize: s.testSize, splitSeed: SPLIT_SEED, mean: data.mean, std: data.std },
    model: describeModel('resnet', s.blocks),
    summary,
    bnNoise,
    runs: results,
  };
  const figs = figures({ runs: results, summary, bnNoise, config: { model: 'resnet', blocks: s.blocks } });
  return {
    ...base,
    figures: Object.fromEntries(figs.map((f) => [f.id, f.spec])),
    totalSeconds,
    environment,
    lab: { runs: runs.map((x) => ({ norm: x.run.norm, batchSize: x.run.batchSize, finished: x.finished, stepsDone: x.result.steps, steps: x.steps })) },
  };
}
