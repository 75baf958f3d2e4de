// Elementwise ops: dtype rules, broadcasting, and dispatch to the 1-D kernels (contiguous fast path or
// the general strided walk).
import { type DType, isFloat, promoteTypes, promoteWithScalar, roundToDType } from '../dtype.js';
import { ArgumentError, DTypeError, fmtShape } from '../errors.js';
import { forEachRun } from '../iter.js';
import { type BinaryKernel, type BinaryName, type UnaryName, unaryKernels } from '../kernels/js/elementwise.js';
import { scalarOperand } from '../capture/recording.js';
import { getKernel } from '../kernels/registry.js';
import { broadcastShapes, broadcastStrides } from '../shape.js';
import { describeName, describeValue } from '../validate.js';
import { Tensor, uninitializedTensor } from '../tensor.js';
import { to } from './convert.js';
import { type Dispatched, type TensorDispatch, deferOp } from '../dispatch.js';

const COMPARISON = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr']);

// A number operand is passed to the binary kernels as a 1-element array read with stride 0 (no allocation).
const scalarBuf = new Float64Array(1);

function unaryOutDType(name: UnaryName, d: DType): DType {
  if (name === 'logicalNot') return 'bool';
  // A property of the js kernel (the reference), whichever backend runs it.
  if (unaryKernels[name].floatResult === true) return isFloat(d) ? d : 'float32';
  if (d === 'bool' && (name === 'neg' || name === 'sign')) {
    throw new DTypeError(name, 'is not supported for bool tensors (use logicalNot)');
  }
  return d;
}

/** Runs unary kernel `name` over x into a new contiguous tensor of `outDtype`. */
export function unaryInto(name: UnaryName, x: Tensor, out: Tensor, p0 = 0, p1 = 0): Tensor {
  const kernel = getKernel(`unary.${name}`);
  const xd = x.data;
  const od = out.data;
  if (x.isContiguous() && out.isContiguous()) {
    kernel(x.numel(), xd, x.offset, 1, od, out.offset, 1, p0, p1);
  } else {
    forEachRun(out.shape, [out.strides, x.strides], [out.offset, x.offset], (o, n, s) =>
      kernel(n, xd, o[1], s[1], od, o[0], s[0], p0, p1),
    );
  }
  return out;
}

export function unary(name: UnaryName, x: Tensor, p0 = 0, p1 = 0): Tensor {
  checkTensor(name, x, 'input');
  // Every unary kernel writes each of its n elements, and unaryInto walks all of out.
  return unaryInto(name, x, uninitializedTensor(x.shape, unaryOutDType(name, x.dtype), name), p0, p1);
}

export function leakyRelu(x: Tensor, slope: number): Tensor {
  checkNumber('leakyRelu', slope, 'negativeSlope');
  return unary('leakyRelu', x, slope);
}

export function gelu(x: Tensor, approximate: 'none' | 'tanh'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ArgumentError('gelu', `approximate must be 'none' or 'tanh', got ${describeName(approximate)}`);
  }
  return unary(approximate === 'none' ? 'gelu' : 'geluTanh', x);
}

export function softplus(x: Tensor, beta: number, threshold: number): Tensor {
  checkNumber('softplus', beta, 'beta');
  checkNumber('softplus', threshold, 'threshold');
  return unary('softplus', x, beta, threshold);
}

/**
 * Elementwise min(max(x, min), max); with min > max every element is max (as PyTorch). The bounds are numbers
 * or tensors (then the result has the broadcast shape of all three and their promoted dtype), null for none.
 */
export function clamp(x: Tensor, min?: Tensor | number | null, max?: Tensor | number | null): Tensor {
  checkTensor('clamp', x, 'input');
  if (min == null && max == null) throw new ArgumentError('clamp', 'at least one of min and max must be given');
  if (min instanceof Tensor || max instanceof Tensor) return clampByTensors(x, min ?? null, max ?? null);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  checkNumber('clamp', lo, 'min');
  checkNumber('clamp', hi, 'max');
  let dt = x.dtype;
  if (min != null) dt = promoteWithScalar(dt, min);
  if (max != null) dt = promoteWithScalar(dt, max);
  return unaryInto('clamp', x, Tensor.zeros(x.shape, dt), roundToDType(lo, dt), roundToDType(hi, dt));
}

/**
 * clamp with a tensor bound: maximum, then minimum (each broadcasts, and each propagates a NaN from either
 * side, as PyTorch's clamp does from any of the three).
 */
function clampByTensors(x: Tensor, min: Tensor | number | null, max: Tensor | number | null): Tensor {
  if (typeof min === 'number') checkNumber('clamp', min, 'min');
  else if (min !== null) checkTensor('clamp', min, 'min');
  if (typeof max === 'number') checkNumber('clamp', max, 'max');
  else if (max !== null) checkTensor('clamp', max, 'max');
  let dt = x.dtype;
  if (min !== null) dt = computeDType(dt, typeof min === 'number' ? min : min.dtype);
  if (max !== null) dt = computeDType(dt, typeof max === 'number' ? max : max.dtype);
  if (dt === 'bool') throw new DTypeError('clamp', 'is not supported for bool tensors');
  let out = x.dtype === dt ? x : to(x, dt);
  if (min !== null) out = binary('maximum', out, min);
  if (max !== null) out = binary('minimum', out, max);
  return out;
}

/** The dtype a binary op computes in: the promotion of its operands (numbers follow the scalar rule). */
function computeDType(a: DType, b: DType | number): DType {
  return typeof b === 'number' ? promoteWithScalar(a, b) : promoteTypes(a, b);
}

/** The dtype a binary op returns, given its compute dtype. */
function binaryOutDType(name: BinaryName, compute: DType): DType {
  if (COMPARISON.has(name)) return 'bool';
  if (name === 'div') return isFloat(compute) ? compute : 'float32';
  if (compute === 'bool' && name !== 'maximum' && name !== 'minimum' && name !== 'mul') {
    // PyTorch treats these as logical ops or rejects them; minigrad asks for an explicit conversion.
    throw new DTypeError(name, `is not supported between bool tensors (convert with .to('int32') or .to('float32') first)`);
  }
  return compute;
}

/**
 * a (op) b with broadcasting; b may be a number. `alpha` scales b for add/sub. An operand that is not a Tensor
 * but implements the dispatch protocol (a Variable) runs the op instead.
 */
export function binary(name: BinaryName, a: Tensor, b: unknown, alpha = 1): Tensor {
  if (!(a instanceof Tensor) || !(typeof b === 'number' || b instanceof Tensor)) {
    const r = deferOp(name, name === 'add' || name === 'sub' ? [a, b, alpha] : [a, b]);
    if (r !== undefined) return r as Tensor;
  }
  checkTensor(name, a, 'input');
  if (alpha !== 1) checkNumber(name, alpha, 'alpha');
  const kernel = getKernel(`binary.${name}`);
  if (typeof b === 'number') {
    const compute = computeDType(a.dtype, b);
    if (name === 'pow' && !isFloat(compute) && b < 0) {
      throw new ArgumentError('pow', `integers to negative integer powers are not allowed (${a.dtype} tensor of shape ${fmtShape(a.shape)} to the power ${b})`);
    }
    const out = uninitializedTensor(a.shape, binaryOutDType(name, compute), name); // every binary kernel writes each element
    const scalar = scalarOperand(scalarBuf, roundToDType(b, compute));
    const ad = a.data;
    const od = out.data;
    if (a.isContiguous()) kernel(a.numel(), ad, a.offset, 1, scalar, 0, 0, od, 0, 1, alpha);
    else {
      forEachRun(a.shape, [out.strides, a.strides], [0, a.offset], (o, n, s) =>
        kernel(n, ad, o[1], s[1], scalar, 0, 0, od, o[0], s[0], alpha),
      );
    }
    return out;
  }
  checkTensor(name, b, 'other');
  const outDt = binaryOutDType(name, computeDType(a.dtype, b.dtype));
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = uninitializedTensor(shape, outDt, name); // binaryInto walks all of out
  binaryInto(kernel, a, b, out, alpha);
  return out;
}

/** Runs a binary kernel with a and b broadcast to out's shape, writing through out's strides. */
export function binaryInto(kernel: BinaryKernel, a: Tensor, b: Tensor, out: Tensor, alpha: number): void {
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  const n = out.numel();
  if (out.isContiguous()) {
    const aFull = a.isContiguous() && a.numel() === n;
    const bFull = b.isContiguous() && b.numel() === n;
    if (aFull && bFull) return kernel(n, ad, a.offset, 1, bd, b.offset, 1, od, out.offset, 1, alpha);
    if (aFull && b.numel() === 1) return kernel(n, ad, a.offset, 1, bd, b.offset, 0, od, out.offset, 1, alpha);
    if (bFull && a.numel() === 1) return kernel(n, ad, a.offset, 0, bd, b.offset, 1, od, out.offset, 1, alpha);
    // A bias-like operand (contiguous, equal to out's trailing dims) repeats once per row of the other.
    if (aFull && b.isContiguous() && isTrailing(b.shape, out.shape)) {
      const m = b.numel();
      for (let r = 0; r < n; r += m) kernel(m, ad, a.offset + r, 1, bd, b.offset, 1, od, out.offset + r, 1, alpha);
      return;
    }
    if (bFull && a.isContiguous() && isTrailing(a.shape, out.shape)) {
      const m = a.numel();
      for (let r = 0; r < n; r += m) kernel(m, ad, a.offset, 1, bd, b.offset + r, 1, od, out.offset + r, 1, alpha);
      return;
    }
  }
  const shape = out.shape;
  const as = broadcastStrides(a.shape, a.strides, shape);
  const bs = broadcastStrides(b.shape, b.strides, shape);
  forEachRun(shape, [out.strides, as, bs], [out.offset, a.offset, b.offset], (o, m, s) =>
    kernel(m, ad, o[1], s[1], bd, o[2], s[2], od, o[0], s[0], alpha),
  );
}

/** True when `shape` (leading 1s aside) equals the last dims of `full` and is not empty. */
function isTrailing(shape: readonly number[], full: readonly number[]): boolean {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  const k = shape.length - i;
  if (k === 0 || k > full.length) return false;
  for (let j = 0; j < k; j++) if (shape[i + j] !== full[full.length - k + j]) return false;
  return true;
}

/** Elementwise `cond ? a : b` with broadcasting over all three; cond is read as nonzero = true. */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor;
/** With a Variable among the operands: autograd's where (a Variable on the tape). */
export function where<V extends TensorDispatch>(cond: Tensor | V, a: Tensor | number | V, b: Tensor | number | V): Dispatched<V>;
export function where(cond: unknown, a: unknown, b: unknown): unknown {
  if (!(cond instanceof Tensor) || !(typeof a === 'number' || a instanceof Tensor) || !(typeof b === 'number' || b instanceof Tensor)) {
    const r = deferOp('where', [cond, a, b]);
    if (r !== undefined) return r;
  }
  checkTensor('where', cond, 'condition');
  if (cond.dtype !== 'bool') {
    throw new DTypeError('where', `condition must be a bool tensor, got ${cond.dtype} (shape ${fmtShape(cond.shape)})`);
  }
  if (typeof a !== 'number') checkTensor('where', a, 'input');
  if (typeof b !== 'number') checkTensor('where', b, 'other');
  // Two numbers give the default float32 (JS cannot tell 1 from 1.0).
  let dt: DType;
  if (typeof a === 'number') dt = typeof b === 'number' ? 'float32' : promoteWithScalar(b.dtype, a);
  else dt = typeof b === 'number' ? promoteWithScalar(a.dtype, b) : promoteTypes(a.dtype, b.dtype);
  const ta = typeof a === 'number' ? Tensor.zeros([], dt).fill(a) : a;
  const tb = typeof b === 'number' ? Tensor.zeros([], dt).fill(b) : b;
  checkTensor('where', ta, 'input');
  checkTensor('where', tb, 'other');
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const out = Tensor.zeros(shape, dt);
  const kernel = getKernel('where');
  const cd = cond.data;
  const ad = ta.data;
  const bd = tb.data;
  const od = out.data;
  forEachRun(
    shape,
    [out.strides, broadcastStrides(cond.shape, cond.strides, shape), broadcastStrides(ta.shape, ta.strides, shape), broadcastStrides(tb.shape, tb.strides, shape)],
    [0, cond.offset, ta.offset, tb.offset],
    (o, n, s) => kernel(n, cd, o[1], s[1], ad, o[2], s[2], bd, o[3], s[3], od, o[0], s[0]),
  );
  return out;
}

export function checkTensor(op: string, x: unknown, arg: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `${arg} must be a Tensor, got ${describeValue(x)}`);
}

export function checkNumber(op: string, x: unknown, arg: string): asserts x is number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new ArgumentError(op, `${arg} must be a number, got ${describeValue(x)}`);
}

/** torch.maximum: the elementwise larger of a and b (broadcast; NaN propagates), as `a.maximum(b)`. */
export function maximum(a: Tensor, b: Tensor | number): Tensor;
export function maximum<V extends TensorDispatch>(a: Tensor | V, b: Tensor | number | V): Dispatched<V>;
export function maximum(a: Tensor, b: unknown): unknown {
  return binary('maximum', a, b);
}

/** torch.minimum: the elementwise smaller of a and b, as `a.minimum(b)`. */
export function minimum(a: Tensor, b: Tensor | number): Tensor;
export function minimum<V extends TensorDispatch>(a: Tensor | V, b: Tensor | number | V): Dispatched<V>;
export function minimum(a: Tensor, b: unknown): unknown {
  return binary('minimum', a, b);
}
