// Tensor-level 2-D pooling (max, average, adaptive average) and the kernels their gradients need.
// Inputs are [N, C, H, W] or unbatched [C, H, W]; every (n, c) plane is pooled independently.
import { recordCall } from '../capture/recording.js';
import type { ValuesIndices } from './sort.js';
import { ArgumentError, DTypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import type { FloatArray } from '../dtype.js';
import type * as PoolKernels from '../kernels/js/pool.js';
import type { PoolGeometry } from '../kernels/js/pool.js';
import { getKernel } from '../kernels/registry.js';
import { Tensor, uninitializedTensor } from '../tensor.js';
import { type Pair, expectShape } from './conv-geometry.js';
import { checkBool, checkOptions, checkPair, describeValue } from '../validate.js';
import { flatFloats } from './conv.js';
import { checkTensor } from './elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from '../dispatch.js';

/** Options of `maxPool2d`; PyTorch's defaults. */
export interface MaxPool2dOptions {
  /** Size of the window. */
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair | null;
  /** Implicit -Infinity padding on each side (default 0, at most half the window). */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/** Options of `avgPool2d`; PyTorch's defaults. */
export interface AvgPool2dOptions {
  /** Size of the window. */
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair | null;
  /** Implicit zero padding on each side (default 0, at most half the window). */
  padding?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in each window's divisor (default true). */
  countIncludePad?: boolean;
  /** When given, every window's sum is divided by this instead of its size. */
  divisorOverride?: number | null;
}

/** An adaptive pool's output size: a number, or [h, w] where null keeps the input's size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

const MAX_POOL_OPTIONS = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'] as const;
const AVG_POOL_OPTIONS = ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;

/** The options object (required: it holds kernelSize), with unknown names rejected. */
function poolOptions<T extends object>(op: string, opts: T, known: readonly (keyof T & string)[]): T {
  if (typeof opts !== 'object' || opts === null) {
    throw new ArgumentError(op, `needs an options object with kernelSize, got ${describeValue(opts)}`);
  }
  return checkOptions(op, opts, known);
}

function checkFloatInput(op: string, arg: string, x: unknown): asserts x is Tensor {
  checkTensor(op, x, arg);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new DTypeError(op, `${arg} must be float32 or float64, got ${x.dtype} (shape ${fmtShape(x.shape)})`);
  }
}

/** [planes, H, W] of a 3-D or 4-D pooling input shape, checked. */
function planesOf(op: string, arg: string, shape: readonly number[]): [number, number, number] {
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw new ShapeError(op, `${arg} must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape ${describeValue(shape)}`);
  }
  const [H, W] = shape.slice(-2);
  const C = shape[shape.length - 3];
  if (C === 0 || H === 0 || W === 0) {
    throw new ShapeError(op, `${arg} needs non-zero channels, height and width, got shape ${fmtShape(shape)}`);
  }
  return [shape.slice(0, -2).reduce((a, b) => a * b, 1), H, W];
}

/** PyTorch's pooling output size, including the ceil-mode rule that the last window must start inside input + padding. */
function pooledSize(inSize: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  const span = inSize + 2 * pad - dilation * (k - 1) - 1;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + pad) out--;
  return out;
}

interface PoolPlan {
  geom: PoolGeometry;
  outShape: number[];
}

function planPool(
  op: string, inputShape: readonly number[], kernelSize: unknown, strideOpt: unknown, paddingOpt: unknown,
  dilationOpt: unknown, ceilMode: unknown,
): PoolPlan {
  const [planes, H, W] = planesOf(op, 'input', inputShape);
  const [kH, kW] = checkPair(op, 'kernelSize', kernelSize, 1);
  const noStride = strideOpt === undefined || strideOpt === null || (Array.isArray(strideOpt) && strideOpt.length === 0);
  const [strideH, strideW] = noStride ? [kH, kW] : checkPair(op, 'stride', strideOpt, 1);
  const [padH, padW] = checkPair(op, 'padding', paddingOpt ?? 0, 0);
  const [dilationH, dilationW] = checkPair(op, 'dilation', dilationOpt ?? 1, 1);
  if (ceilMode !== undefined) checkBool(op, 'ceilMode', ceilMode);
  if (padH > Math.floor(kH / 2) || padW > Math.floor(kW / 2)) {
    throw new ArgumentError(op, `padding [${padH},${padW}] must be at most half of kernelSize [${kH},${kW}]`);
  }
  const oH = pooledSize(H, kH, padH, strideH, dilationH, ceilMode === true);
  const oW = pooledSize(W, kW, padW, strideW, dilationW, ceilMode === true);
  if (oH <= 0 || oW <= 0) {
    throw new ShapeError(op, `input ${fmtShape(inputShape)} is too small for kernelSize [${kH},${kW}] (dilation [${dilationH},${dilationW}], ` +
      `padding [${padH},${padW}]): the output would be ${oH}x${oW}`);
  }
  const geom: PoolGeometry = { planes, H, W, oH, oW, kH, kW, strideH, strideW, padH, padW, dilationH, dilationW };
  return { geom, outShape: [...inputShape.slice(0, -2), oH, oW] };
}

/** 2-D max pooling: the window maxima and their positions (ih*W + iw in the input plane, int32). */
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions): ValuesIndices;
/** Of a Variable: autograd's maxPool2dWithIndices (values on the tape, constant indices). */
export function maxPool2d<V extends TensorDispatch>(x: V, opts: MaxPool2dOptions): ValuesIndices<Dispatched<V>>;
export function maxPool2d(x: unknown, opts: MaxPool2dOptions): unknown {
  const op = 'maxPool2d';
  if (!(x instanceof Tensor)) {
    const r = deferOp(op, [x, opts]);
    if (r !== undefined) return r;
  }
  checkFloatInput(op, 'input', x);
  poolOptions(op, opts, MAX_POOL_OPTIONS);
  const { geom, outShape } = planPool(op, x.shape, opts.kernelSize, opts.stride, opts.padding, opts.dilation, opts.ceilMode);
  // The kernel writes every window's maximum and argmax.
  const values = uninitializedTensor(outShape, x.dtype, op);
  const indices = uninitializedTensor(outShape, 'int32', op);
  getKernel('maxPool2d')(geom, flatFloats(x), values.data as FloatArray, indices.data as Int32Array);
  return { values, indices };
}

/** Gradient of maxPool2d w.r.t. its input: each gradOut element goes to its window's argmax (overlaps add up). */
export function maxPool2dBackward(gradOut: Tensor, indices: Tensor, inputShape: readonly number[]): Tensor {
  const op = 'maxPool2dBackward';
  checkFloatInput(op, 'gradOut', gradOut);
  checkTensor(op, indices, 'indices');
  if (indices.dtype !== 'int32') throw new DTypeError(op, `indices must be int32, got ${indices.dtype}`);
  const [planes, H, W] = planesOf(op, 'inputShape', inputShape);
  expectShape(op, 'indices', indices.shape, gradOut.shape, 'gradOut');
  if (gradOut.ndim !== inputShape.length || gradOut.shape.slice(0, -2).some((s, i) => s !== inputShape[i])) {
    throw new ShapeError(op, `gradOut ${fmtShape(gradOut.shape)} does not match the batch and channels of inputShape ${fmtShape(inputShape)}`);
  }
  const idx = indices.contiguous();
  const id = (idx.data as Int32Array).subarray(idx.offset, idx.offset + idx.numel());
  const gradIn = uninitializedTensor([...inputShape], gradOut.dtype, op); // the kernel zeroes it before its scatter
  const outPlane = gradOut.shape[gradOut.ndim - 2] * gradOut.shape[gradOut.ndim - 1];
  // Recorded with its check, so that a captured step (compile) checks the indices of every replay too.
  recordCall(op, routeMaxPoolGradient, [planes, H, W, outPlane, flatFloats(gradOut), id, gradIn.data as FloatArray]);
  return gradIn;
}

function routeMaxPoolGradient(
  planes: number, H: number, W: number, outPlane: number, gradOut: FloatArray, indices: Int32Array, gradIn: FloatArray,
): void {
  const bad = getKernel('maxPool2dBackward')(planes, H * W, outPlane, gradOut, indices, gradIn);
  if (bad >= 0) throw new IndexError('maxPool2dBackward', `index ${indices[bad]} is out of range for an input plane of ${H}x${W}`);
}

function avgPlan(op: string, inputShape: readonly number[], opts: AvgPool2dOptions): PoolPlan & { divisor: PoolKernels.AvgPoolDivisor } {
  poolOptions(op, opts, AVG_POOL_OPTIONS);
  const plan = planPool(op, inputShape, opts.kernelSize, opts.stride, opts.padding, 1, opts.ceilMode);
  const d = opts.divisorOverride;
  if (d !== undefined && d !== null && (!Number.isSafeInteger(d) || d === 0)) {
    throw new ArgumentError(op, `divisorOverride must be a non-zero integer, got ${describeValue(d)}`);
  }
  if (opts.countIncludePad !== undefined) checkBool(op, 'countIncludePad', opts.countIncludePad);
  return { ...plan, divisor: { countIncludePad: opts.countIncludePad ?? true, divisorOverride: d ?? 0 } };
}

/** 2-D average pooling with PyTorch's divisor rules (countIncludePad, ceilMode clipping, divisorOverride). */
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor;
/** Of a Variable: autograd's avgPool2d (a Variable on the tape). */
export function avgPool2d<V extends TensorDispatch>(x: V, opts: AvgPool2dOptions): Dispatched<V>;
export function avgPool2d(x: unknown, opts: AvgPool2dOptions): unknown {
  const op = 'avgPool2d';
  if (!(x instanceof Tensor)) {
    const r = deferOp(op, [x, opts]);
    if (r !== undefined) return r;
  }
  checkFloatInput(op, 'input', x);
  const { geom, outShape, divisor } = avgPlan(op, x.shape, opts);
  const out = Tensor.zeros(outShape, x.dtype, op);
  getKernel('avgPool2d')(geom, divisor, flatFloats(x), out.data as FloatArray);
  return out;
}

/** Gradient of avgPool2d w.r.t. its input. */
export function avgPool2dBackward(gradOut: Tensor, inputShape: readonly number[], opts: AvgPool2dOptions): Tensor {
  const op = 'avgPool2dBackward';
  checkFloatInput(op, 'gradOut', gradOut);
  const { geom, outShape, divisor } = avgPlan(op, inputShape, opts);
  expectShape(op, 'gradOut', gradOut.shape, outShape, () => `avgPool2d of input ${fmtShape(inputShape)}`);
  const gradIn = Tensor.zeros([...inputShape], gradOut.dtype);
  getKernel('avgPool2dBackward')(geom, divisor, flatFloats(gradOut), gradIn.data as FloatArray);
  return gradIn;
}

function adaptiveOut(op: string, outputSize: unknown, H: number, W: number): [number, number] {
  const p = typeof outputSize === 'number' ? [outputSize, outputSize] : Array.isArray(outputSize) && outputSize.length === 2 ? outputSize : null;
  const sizes = p?.map((s, i) => (s === null ? (i === 0 ? H : W) : s));
  if (!sizes || !sizes.every((s) => Number.isSafeInteger(s) && s >= 1)) {
    throw new ArgumentError(op, `outputSize must be a positive integer or a pair of them (null keeps the input size), got ${describeValue(outputSize)}`);
  }
  return [sizes[0], sizes[1]];
}

/** Average over PyTorch's adaptive bins [floor(i*H/O), ceil((i+1)*H/O)) so that the output is outputSize. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor;
/** Of a Variable: autograd's adaptiveAvgPool2d (a Variable on the tape). */
export function adaptiveAvgPool2d<V extends TensorDispatch>(x: V, outputSize: AdaptiveSize): Dispatched<V>;
export function adaptiveAvgPool2d(x: unknown, outputSize: AdaptiveSize): unknown {
  const op = 'adaptiveAvgPool2d';
  if (!(x instanceof Tensor)) {
    const r = deferOp(op, [x, outputSize]);
    if (r !== undefined) return r;
  }
  checkFloatInput(op, 'input', x);
  const [planes, H, W] = planesOf(op, 'input', x.shape);
  const [oH, oW] = adaptiveOut(op, outputSize, H, W);
  const out = Tensor.zeros([...x.shape.slice(0, -2), oH, oW], x.dtype);
  getKernel('adaptiveAvgPool2d')(planes, H, W, oH, oW, flatFloats(x), out.data as FloatArray);
  return out;
}

/** Gradient of adaptiveAvgPool2d w.r.t. its input (the output size is read from gradOut). */
export function adaptiveAvgPool2dBackward(gradOut: Tensor, inputShape: readonly number[]): Tensor {
  const op = 'adaptiveAvgPool2dBackward';
  checkFloatInput(op, 'gradOut', gradOut);
  const [planes, H, W] = planesOf(op, 'inputShape', inputShape);
  if (gradOut.ndim !== inputShape.length || gradOut.shape.slice(0, -2).some((s, i) => s !== inputShape[i])) {
    throw new ShapeError(op, `gradOut ${fmtShape(gradOut.shape)} does not match the batch and channels of inputShape ${fmtShape(inputShape)}`);
  }
  const [oH, oW] = gradOut.shape.slice(-2);
  if (oH === 0 || oW === 0) throw new ShapeError(op, `gradOut ${fmtShape(gradOut.shape)} has an empty output plane`);
  const gradIn = Tensor.zeros([...inputShape], gradOut.dtype);
  getKernel('adaptiveAvgPool2dBackward')(
    planes, H, W, oH, oW, flatFloats(gradOut), gradIn.data as FloatArray,
  );
  return gradIn;
}
