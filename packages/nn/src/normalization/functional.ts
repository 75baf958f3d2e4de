// The four normalizations as functions (PyTorch's argument order): each checks its input, picks its set of
// elements from core.ts, runs the fused op, and updates running statistics where it keeps them.
import { Variable, asVariable, type TensorLike } from '@minigrad/autograd';
import { ArgumentError, DTypeError, ShapeError, Tensor, checkBool, checkNumber, checkOptions, checkShape, tensor, describeValue, fmtShape, sameShape } from '@minigrad/tensor';
import type { FixedStats } from './composite.js';
import { batchNormLayout, groupNormLayout, instanceNormLayout, layerNormLayout } from './core.js';
import { type SlotStats, normalizeFused } from './fused.js';
import { recordCall } from '@minigrad/tensor/internal';
import { endsWithShape } from './shape-checks.js';

/** A running-statistics buffer: a plain tensor (module buffer) or a Variable (its data is updated). */
export type RunningStat = Tensor | Variable;

const dataOf = (r: RunningStat): Tensor => (r instanceof Variable ? r.data : r);

/** An affine parameter given as a Variable, a constant Tensor, or null. */
export type Affine = Variable | Tensor | null;

const affineOf = (t: Affine): Variable | null => (t === null || t instanceof Variable ? t : new Variable(t));

/** The options-object form of the trailing arguments (`F.groupNorm(x, 32, { weight, bias, eps })`). */
export interface AffineOptions {
  /** The scale (per channel, or of normalizedShape for layerNorm), or null for none. */
  weight?: Affine;
  /** The shift, or null for none. */
  bias?: Affine;
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
}
/** Options of `F.batchNorm`. */
export interface BatchNormOptions extends AffineOptions {
  /** Normalize with the batch statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the new statistic in the running average (default 0.1). */
  momentum?: number;
}
/** Options of `F.instanceNorm`. */
export interface InstanceNormOptions extends AffineOptions {
  /** Normalize with each instance's own statistics (default true), else with the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistic in the running average (default 0.1). */
  momentum?: number;
}

function isOptions<O>(v: Affine | O): v is O {
  return typeof v === 'object' && v !== null && !(v instanceof Variable) && !(v instanceof Tensor);
}

const AFFINE_OPTIONS = ['weight', 'bias', 'eps'] as const;

/** eps >= 0 (a negative one makes sqrt(var + eps) NaN) and momentum in [0, 1], each a finite number. */
function checkScalars(op: string, eps: unknown, momentum: unknown = 0): void {
  checkNumber(op, 'eps', eps, { min: 0 });
  checkNumber(op, 'momentum', momentum, { min: 0, max: 1 });
}

function checkInput(op: string, x: Variable, minRank: number, expected: string): void {
  if (x.ndim < minRank) throw new ShapeError(op, `expected an input of shape ${expected}, got ${fmtShape(x.shape)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new DTypeError(op, `expected a float32 or float64 input, got ${x.dtype}`);
  }
}

/** A per-channel (or per-element) tensor must have `shape` and the input's dtype. */
function checkPerFeature(op: string, what: string, t: Variable | Tensor | null, shape: readonly number[], x: Variable): void {
  if (t === null) return;
  if (!(t instanceof Variable) && !(t instanceof Tensor)) throw new ArgumentError(op, `${what} must be a Variable, a Tensor or null, got ${describeValue(t)}`);
  if (!sameShape(t.shape, shape)) {
    throw new ShapeError(op, `${what} has shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)} for input ${fmtShape(x.shape)}`);
  }
  if (t.dtype !== x.dtype) throw new DTypeError(op, `${what} is ${t.dtype} but the input is ${x.dtype}`);
}

/** BatchNorm's and InstanceNorm's arguments: an [N, C, *] input, per-channel [C] running stats (both or neither) and affine. */
function checkChannelArgs(op: string, x: Variable, runningMean: RunningStat | null, runningVar: RunningStat | null, weight: Affine, bias: Affine): void {
  checkInput(op, x, 2, '[N, C, *]');
  const perChannel = [x.shape[1]];
  checkPerFeature(op, 'runningMean', runningMean, perChannel, x);
  checkPerFeature(op, 'runningVar', runningVar, perChannel, x);
  checkPerFeature(op, 'weight', weight, perChannel, x);
  checkPerFeature(op, 'bias', bias, perChannel, x);
  if ((runningMean === null) !== (runningVar === null)) {
    throw new ArgumentError(op, 'runningMean and runningVar must both be given or both be null');
  }
}

function spatialSize(shape: readonly number[]): number {
  let s = 1;
  for (let i = 2; i < shape.length; i++) s *= shape[i];
  return s;
}

/** running = (1 - momentum) * running + momentum * batch, in place (the buffer's version is bumped). */
function updateRunning(running: Tensor, batch: Float64Array, momentum: number): void {
  running.mulInPlace(1 - momentum).addInPlace(tensor(batch, { dtype: running.dtype }), momentum);
}

// The running statistics are computed in JavaScript from the statistics the kernel returned; each update is
// one recorded call, so that a captured step (compile) repeats it with every replay's statistics.

/** BatchNorm's update: the batch mean and the unbiased batch variance (count values per channel). */
function updateBatchNormRunning(mean: Tensor, variance: Tensor, stats: SlotStats, count: number, momentum: number): void {
  updateRunning(mean, stats.mean, momentum);
  updateRunning(variance, stats.variance!.map((v) => (v * count) / (count - 1)), momentum);
}

/** InstanceNorm's update: per-sample statistics [n*c] averaged over the batch (s values per sample and channel). */
function updateInstanceNormRunning(mean: Tensor, variance: Tensor, stats: SlotStats, n: number, c: number, s: number, momentum: number): void {
  updateRunning(mean, batchAverage(stats.mean, n, c, 1), momentum);
  updateRunning(variance, batchAverage(stats.variance!, n, c, s / (s - 1)), momentum);
}

/**
 * BatchNorm: statistics per channel over (N, *). In training, normalizes with the biased batch variance and
 * updates the running stats (momentum weights the new statistic; the variance pushed is the unbiased one);
 * otherwise normalizes with the running stats.
 */
export function batchNorm(x: TensorLike, runningMean: RunningStat | null, runningVar: RunningStat | null, options?: BatchNormOptions): Variable;
export function batchNorm(
  x: TensorLike,
  runningMean: RunningStat | null,
  runningVar: RunningStat | null,
  weight?: Affine,
  bias?: Affine,
  training?: boolean,
  momentum?: number,
  eps?: number,
): Variable;
export function batchNorm(
  x: TensorLike,
  runningMean: RunningStat | null,
  runningVar: RunningStat | null,
  weightOrOptions: Affine | BatchNormOptions = null,
  bias: Affine = null,
  training = false,
  momentum = 0.1,
  eps = 1e-5,
): Variable {
  if (isOptions<BatchNormOptions>(weightOrOptions)) {
    const o = checkOptions('batchNorm', weightOrOptions, [...AFFINE_OPTIONS, 'training', 'momentum']);
    return batchNorm(x, runningMean, runningVar, o.weight ?? null, o.bias ?? null, o.training ?? false, o.momentum ?? 0.1, o.eps ?? 1e-5);
  }
  const weight = weightOrOptions;
  const op = 'batchNorm';
  x = asVariable(x, op, 'input');
  checkChannelArgs(op, x, runningMean, runningVar, weight, bias);
  checkBool(op, 'training', training);
  checkScalars(op, eps, momentum);
  const layout = batchNormLayout(x.shape);
  if (!training) {
    if (runningMean === null || runningVar === null) {
      throw new ArgumentError(op, 'running statistics are required in evaluation mode (training = false)');
    }
    return normalizeFused(x, layout, affineOf(weight), affineOf(bias), eps, fixedFromRunning(runningMean, runningVar, eps, 1)).out;
  }
  const count = x.shape[0] * spatialSize(x.shape);
  if (count === 1) {
    throw new ShapeError(op, `expected more than 1 value per channel when training, got input of shape ${fmtShape(x.shape)}`);
  }
  const { out, stats } = normalizeFused(x, layout, affineOf(weight), affineOf(bias), eps);
  if (runningMean !== null && runningVar !== null) {
    recordCall('batchNorm running statistics', updateBatchNormRunning, [dataOf(runningMean), dataOf(runningVar), stats, count, momentum]);
  }
  return out;
}

/** Running stats [C] as fixed statistics of `repeat` slots per channel (repeat = N for InstanceNorm). */
function fixedFromRunning(runningMean: RunningStat, runningVar: RunningStat, eps: number, repeat: number): FixedStats {
  const m = dataOf(runningMean).toTypedArray();
  const v = dataOf(runningVar).toTypedArray();
  const c = m.length;
  const mean = new Float64Array(c * repeat);
  const rstd = new Float64Array(c * repeat);
  for (let k = 0; k < c * repeat; k++) {
    mean[k] = m[k % c];
    rstd[k] = 1 / Math.sqrt(v[k % c] + eps);
  }
  return { mean, rstd };
}

/** LayerNorm over the trailing dims `normalizedShape`; weight and bias have shape normalizedShape. */
export function layerNorm(x: TensorLike, normalizedShape: number | readonly number[], options?: AffineOptions): Variable;
export function layerNorm(x: TensorLike, normalizedShape: number | readonly number[], weight?: Affine, bias?: Affine, eps?: number): Variable;
export function layerNorm(
  x: TensorLike,
  normalizedShape: number | readonly number[],
  weightOrOptions: Affine | AffineOptions = null,
  bias: Affine = null,
  eps = 1e-5,
): Variable {
  if (isOptions<AffineOptions>(weightOrOptions)) {
    const o = checkOptions('layerNorm', weightOrOptions, AFFINE_OPTIONS);
    return layerNorm(x, normalizedShape, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5);
  }
  const weight = weightOrOptions;
  const op = 'layerNorm';
  x = asVariable(x, op, 'input');
  const shape = checkShape(op, 'normalizedShape', typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape);
  checkScalars(op, eps);
  checkInput(op, x, shape.length, `[*, ${shape.join(', ')}]`);
  if (shape.length === 0 || !endsWithShape(x.shape, shape)) {
    throw new ShapeError(op, `input of shape ${fmtShape(x.shape)} does not end with normalizedShape ${fmtShape(shape)}`);
  }
  checkPerFeature(op, 'weight', weight, shape, x);
  checkPerFeature(op, 'bias', bias, shape, x);
  return normalizeFused(x, layerNormLayout(x.shape, shape), affineOf(weight), affineOf(bias), eps).out;
}

/** GroupNorm: statistics per sample and group of C / numGroups channels; weight and bias per channel [C]. */
export function groupNorm(x: TensorLike, numGroups: number, options?: AffineOptions): Variable;
export function groupNorm(x: TensorLike, numGroups: number, weight?: Affine, bias?: Affine, eps?: number): Variable;
export function groupNorm(x: TensorLike, numGroups: number, weightOrOptions: Affine | AffineOptions = null, bias: Affine = null, eps = 1e-5): Variable {
  if (isOptions<AffineOptions>(weightOrOptions)) {
    const o = checkOptions('groupNorm', weightOrOptions, AFFINE_OPTIONS);
    return groupNorm(x, numGroups, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5);
  }
  const weight = weightOrOptions;
  const op = 'groupNorm';
  x = asVariable(x, op, 'input');
  checkInput(op, x, 2, '[N, C, *]');
  checkScalars(op, eps);
  if (!Number.isInteger(numGroups) || numGroups < 1) {
    throw new ArgumentError(op, `numGroups must be a positive integer, got ${describeValue(numGroups)}`);
  }
  const c = x.shape[1];
  if (c % numGroups !== 0) {
    throw new ShapeError(op, `${c} channels are not divisible by ${describeValue(numGroups)} groups (input ${fmtShape(x.shape)})`);
  }
  checkPerFeature(op, 'weight', weight, [c], x);
  checkPerFeature(op, 'bias', bias, [c], x);
  return normalizeFused(x, groupNormLayout(x.shape, numGroups), affineOf(weight), affineOf(bias), eps).out;
}

/**
 * InstanceNorm: statistics per sample and channel over (*). With useInputStats (training, or no running
 * stats) it normalizes with the instance statistics and, given running stats, updates them with their mean
 * over the batch; otherwise it normalizes with the running stats.
 */
export function instanceNorm(
  x: TensorLike,
  runningMean: RunningStat | null,
  runningVar: RunningStat | null,
  options?: InstanceNormOptions,
): Variable;
export function instanceNorm(
  x: TensorLike,
  runningMean?: RunningStat | null,
  runningVar?: RunningStat | null,
  weight?: Affine,
  bias?: Affine,
  useInputStats?: boolean,
  momentum?: number,
  eps?: number,
): Variable;
export function instanceNorm(
  x: TensorLike,
  runningMean: RunningStat | null = null,
  runningVar: RunningStat | null = null,
  weightOrOptions: Affine | InstanceNormOptions = null,
  bias: Affine = null,
  useInputStats = true,
  momentum = 0.1,
  eps = 1e-5,
): Variable {
  if (isOptions<InstanceNormOptions>(weightOrOptions)) {
    const o = checkOptions('instanceNorm', weightOrOptions, [...AFFINE_OPTIONS, 'useInputStats', 'momentum']);
    return instanceNorm(x, runningMean, runningVar, o.weight ?? null, o.bias ?? null, o.useInputStats ?? true, o.momentum ?? 0.1, o.eps ?? 1e-5);
  }
  const weight = weightOrOptions;
  const op = 'instanceNorm';
  x = asVariable(x, op, 'input');
  checkChannelArgs(op, x, runningMean, runningVar, weight, bias);
  checkBool(op, 'useInputStats', useInputStats);
  checkScalars(op, eps, momentum);
  const [n, c] = x.shape;
  const layout = instanceNormLayout(x.shape);
  if (!useInputStats) {
    if (runningMean === null || runningVar === null) {
      throw new ArgumentError(op, 'running statistics are required when useInputStats is false');
    }
    return normalizeFused(x, layout, affineOf(weight), affineOf(bias), eps, fixedFromRunning(runningMean, runningVar, eps, n)).out;
  }
  const s = spatialSize(x.shape);
  if (s === 1) {
    throw new ShapeError(op, `expected more than 1 spatial element per channel when training, got input of shape ${fmtShape(x.shape)}`);
  }
  const { out, stats } = normalizeFused(x, layout, affineOf(weight), affineOf(bias), eps);
  if (runningMean !== null && runningVar !== null) {
    recordCall('instanceNorm running statistics', updateInstanceNormRunning, [dataOf(runningMean), dataOf(runningVar), stats, n, c, s, momentum]);
  }
  return out;
}

/** The mean over the batch of per-(sample, channel) values [N*C], times `scale`: one value per channel. */
function batchAverage(values: Float64Array, n: number, c: number, scale: number): Float64Array {
  const out = new Float64Array(c);
  for (let k = 0; k < n * c; k++) out[k % c] += values[k];
  for (let ch = 0; ch < c; ch++) out[ch] = (out[ch] / n) * scale;
  return out;
}
