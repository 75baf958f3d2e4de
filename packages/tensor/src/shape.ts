// Shape arithmetic and argument checks shared by every op.
import { ArgumentError, IndexError, ShapeError, fmtShape } from './errors.js';
import { checkIntArray, describeValue } from './validate.js';

/** Shape arguments: `f(2, 3)` or `f([2, 3])`. */
/** A shape as varargs (`view(2, 3)`) or as one array (`view([2, 3])`). */
export type ShapeArgs = number[] | [readonly number[]];

/** The sizes or dims of `f(2, 3)` / `f([2, 3])`, each an integer (what negative ones mean is up to the op). */
export function shapeFromArgs(op: string, args: ShapeArgs, name = 'shape'): number[] {
  const first = args[0];
  return checkIntArray(op, name, Array.isArray(first) && args.length === 1 ? (first as readonly number[]).slice() : args);
}

/** The number of elements of a shape (the product of its sizes; 1 for []). */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** The row-major strides (in elements) of a contiguous tensor of this shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Throws unless every size is a non-negative integer. */
export function checkSizes(op: string, shape: readonly number[], arg = 'size'): void {
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (!Number.isSafeInteger(s) || s < 0) {
      throw new ArgumentError(op, `${arg} ${fmtShape(shape)} has an invalid size ${describeValue(s)} at dim ${i} (sizes must be non-negative integers)`);
    }
  }
}

/** Normalizes a possibly negative dim into [0, ndim); a 0-d tensor accepts dims -1 and 0 (as PyTorch). */
export function normDim(op: string, dim: number, ndim: number, arg = 'dim'): number {
  const n = ndim === 0 ? 1 : ndim;
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(op, `${arg} ${describeValue(dim)} is out of range for a tensor with ${ndim} dims (expected in [${-n}, ${n - 1}])`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalized, sorted, unique dims; undefined or [] means every dim. */
export function normDims(op: string, dim: number | readonly number[] | undefined, ndim: number): number[] {
  if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  if (typeof dim === 'number') return ndim === 0 ? (normDim(op, dim, 0), []) : [normDim(op, dim, ndim)];
  if (!Array.isArray(dim)) throw new ArgumentError(op, `dim must be an integer or an array of them, got ${describeValue(dim)}`);
  const out: number[] = [];
  for (const d of dim as readonly number[]) {
    const nd = normDim(op, d, ndim);
    if (ndim === 0) continue;
    if (out.includes(nd)) throw new IndexError(op, `dim ${nd} appears more than once in ${fmtShape(dim as number[])}`);
    out.push(nd);
  }
  return out.sort((a, b) => a - b);
}

/** Whether two shapes are equal (no allocation: per-call checks use it). */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming both. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  if (sameShape(a, b)) return a as number[];
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
    const db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(op, `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (${da} != ${db} at dim ${i} of the result)`);
    }
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had the broadcast shape `target` (0 where expanded). */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const n = target.length;
  const lead = n - shape.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    out[i] = i < lead || (shape[i - lead] === 1 && target[i] !== 1) ? 0 : strides[i - lead];
  }
  return out;
}

/**
 * Strides that view `oldShape`/`oldStrides` as `newShape` without copying, or null when impossible.
 * Dims are matched in chunks that are contiguous in memory; each chunk must map onto whole new dims.
 */
export function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (numelOf(oldShape) === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  const oShape = oldShape.length === 0 ? [1] : oldShape;
  const oStrides = oldShape.length === 0 ? [1] : oldStrides;
  let chunkBase = oStrides[oShape.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oShape.length - 1; d >= 0; d--) {
    tensorNumel *= oShape[d];
    if (d === 0 || (oShape[d - 1] !== 1 && oStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

/** Resolves one -1 in a requested shape against `numel`; throws when the element counts differ. */
export function inferShape(op: string, shape: readonly number[], numel: number, from: readonly number[]): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (s === -1) {
      if (infer >= 0) throw new ArgumentError(op, `only one dimension can be inferred (-1) in ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new ArgumentError(op, `invalid size ${s} at dim ${i} of ${fmtShape(shape)}`);
    } else known *= s;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new ShapeError(op, `shape ${fmtShape(shape)} is invalid for input of shape ${fmtShape(from)} (${numel} elements)`);
    }
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new ShapeError(op, `shape ${fmtShape(shape)} is invalid for input of shape ${fmtShape(from)} (${known} != ${numel} elements)`);
  }
  return out;
}
