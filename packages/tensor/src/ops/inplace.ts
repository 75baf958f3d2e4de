// In-place writes (optimizers, init). Each bumps storage.version so autograd can detect changed saved tensors.
import { bumpVersion, scalarOperand } from '../capture/recording.js';
import { type DType, isFloat, promoteTypes, promoteWithScalar, roundToDType } from '../dtype.js';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { forEachRun } from '../iter.js';
import type { BinaryName } from '../kernels/js/elementwise.js';
import { getKernel } from '../kernels/registry.js';
import { broadcastShapes, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type TensorDispatch, deferOp } from '../dispatch.js';
import { copyInto } from './copy.js';
import { binaryInto, checkNumber, checkTensor } from './elementwise.js';
import { clone } from './views.js';

const KERNEL = { addInPlace: 'add', subInPlace: 'sub', mulInPlace: 'mul', divInPlace: 'div' } as const satisfies Record<string, BinaryName>;

/** Throws when `t` has a stride-0 dim of size > 1: several elements share one memory location. */
export function checkWritable(op: string, t: Tensor): void {
  if (t.numel() === 0) return;
  for (let i = 0; i < t.ndim; i++) {
    if (t.strides[i] === 0 && t.shape[i] > 1) {
      throw new ArgumentError(
        op,
        `cannot write into an expanded tensor of shape ${fmtShape(t.shape)} (dim ${i} has stride 0, so its elements share memory); ` +
          'call .contiguous() or .clone() first',
      );
    }
  }
}

function checkResultFits(op: string, t: Tensor, result: DType): void {
  if (isFloat(result) && !isFloat(t.dtype)) {
    throw new DTypeError(op, `result type ${result} cannot be written into a ${t.dtype} tensor of shape ${fmtShape(t.shape)}`);
  }
  if (result === 'int32' && t.dtype === 'bool') {
    throw new DTypeError(op, `result type int32 cannot be written into a bool tensor of shape ${fmtShape(t.shape)}`);
  }
}

/** Reads from other without tripping over writes to the same memory (other may alias t). */
function unaliased(t: Tensor, other: Tensor): Tensor {
  if (other.storage !== t.storage) return other;
  if (other.offset === t.offset && sameShape(other.strides, t.strides) && sameShape(other.shape, t.shape)) return other;
  return clone(other);
}

const scalarBuf = new Float64Array(1);

export function binaryInPlace<T extends Tensor>(op: keyof typeof KERNEL, t: T, other: Tensor | number | TensorDispatch, alpha: number): T {
  if (!(typeof other === 'number' || other instanceof Tensor)) {
    // A Variable operand gives its values (not recorded, as every in-place op); the answer is t itself.
    const r = deferOp(op, op === 'addInPlace' || op === 'subInPlace' ? [t, other, alpha] : [t, other]);
    if (r !== undefined) return r as T;
  }
  checkTensor(op, t, 'self');
  checkNumber(op, alpha, 'alpha');
  checkWritable(op, t);
  const name = KERNEL[op];
  const kernel = getKernel(`binary.${name}`);
  if (typeof other === 'number') {
    checkNumber(op, other, 'other');
    let result = promoteWithScalar(t.dtype, other);
    if (name === 'div' && !isFloat(result)) result = 'float32';
    if (t.dtype === 'bool') throw new DTypeError(op, 'is not supported for bool tensors');
    checkResultFits(op, t, result);
    const scalar = scalarOperand(scalarBuf, roundToDType(other, result));
    const td = t.data;
    if (t.isContiguous()) kernel(t.numel(), td, t.offset, 1, scalar, 0, 0, td, t.offset, 1, alpha);
    else {
      forEachRun(t.shape, [t.strides], [t.offset], (o, n, s) => kernel(n, td, o[0], s[0], scalar, 0, 0, td, o[0], s[0], alpha));
    }
  } else {
    checkTensor(op, other, 'other');
    let result = promoteTypes(t.dtype, other.dtype);
    if (name === 'div' && !isFloat(result)) result = 'float32';
    if (t.dtype === 'bool') throw new DTypeError(op, 'is not supported for bool tensors');
    checkResultFits(op, t, result);
    const shape = broadcastShapes(op, t.shape, other.shape);
    if (!sameShape(shape, t.shape)) {
      throw new ShapeError(op, `other of shape ${fmtShape(other.shape)} does not broadcast to self's shape ${fmtShape(t.shape)}`);
    }
    binaryInto(kernel, t, unaliased(t, other), t, alpha);
  }
  bumpVersion(t.storage);
  return t;
}

/** Copies src (broadcast to t's shape, converted to t's dtype) into t. */
export function copyFrom<T extends Tensor>(t: T, src: Tensor | TensorDispatch): T {
  if (!(src instanceof Tensor)) {
    const r = deferOp('copyFrom', [t, src]);
    if (r !== undefined) return r as T;
  }
  checkTensor('copyFrom', t, 'self');
  checkTensor('copyFrom', src, 'src');
  checkWritable('copyFrom', t);
  const shape = broadcastShapes('copyFrom', t.shape, src.shape);
  if (!sameShape(shape, t.shape)) {
    throw new ShapeError('copyFrom', `src of shape ${fmtShape(src.shape)} does not broadcast to self's shape ${fmtShape(t.shape)}`);
  }
  copyInto(t, unaliased(t, src));
  bumpVersion(t.storage);
  return t;
}

export function fill<T extends Tensor>(t: T, value: number): T {
  checkTensor('fill', t, 'self');
  if (typeof value !== 'number') throw new ArgumentError('fill', `value must be a number, got ${typeof value}`);
  checkWritable('fill', t);
  const v = roundToDType(value, t.dtype);
  const kernel = getKernel('fill');
  const td = t.data;
  if (t.isContiguous()) kernel(t.numel(), td, t.offset, 1, v);
  else forEachRun(t.shape, [t.strides], [t.offset], (o, n, s) => kernel(n, td, o[0], s[0], v));
  bumpVersion(t.storage);
  return t;
}

