// Zero-copy views: a new shape/strides/offset over the same storage. Only reshape (when no view is
// possible), contiguous (when not contiguous) and clone copy.
import { ArgumentError, IndexError, ShapeError, fmtShape } from '../errors.js';
import { contiguousStrides, inferShape, normDim, normDims, viewStrides } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIntArray, describeValue } from '../validate.js';
import { copyInto } from './copy.js';

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape('view', shape, x.numel(), x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides === null) {
    throw new ShapeError(
      'view',
      `cannot view a tensor of shape ${fmtShape(x.shape)} and strides ${fmtShape(x.strides)} as ${fmtShape(target)}: ` +
        'its memory layout is incompatible (use reshape, which copies)',
    );
  }
  return new Tensor(x.storage, target, strides, x.offset);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape('reshape', shape, x.numel(), x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides !== null) return new Tensor(x.storage, target, strides, x.offset);
  const c = clone(x);
  return new Tensor(c.storage, target, contiguousStrides(target), 0);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const n = x.ndim;
  if (dims.length !== n) {
    throw new ShapeError('permute', `dims ${fmtShape(dims)} has ${dims.length} entries for a tensor of shape ${fmtShape(x.shape)}`);
  }
  const shape = new Array<number>(n);
  const strides = new Array<number>(n);
  const seen = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const d = normDim('permute', dims[i], n);
    if (seen[d]) throw new IndexError('permute', `dim ${d} appears more than once in ${fmtShape(dims)}`);
    seen[d] = true;
    shape[i] = x.shape[d];
    strides[i] = x.strides[d];
  }
  return new Tensor(x.storage, shape, strides, x.offset);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const n = x.ndim;
  const a = normDim('transpose', dim0, n, 'dim0');
  const b = normDim('transpose', dim1, n, 'dim1');
  if (n === 0) return x;
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[a] = x.shape[b];
  shape[b] = x.shape[a];
  strides[a] = x.strides[b];
  strides[b] = x.strides[a];
  return new Tensor(x.storage, shape, strides, x.offset);
}

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new ShapeError('t', `expects a tensor with <= 2 dims, got shape ${fmtShape(x.shape)}`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? null : normDims('squeeze', dim, x.ndim);
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    const drop = x.shape[i] === 1 && (dims === null || dims.includes(i));
    if (!drop) {
      shape.push(x.shape[i]);
      strides.push(x.strides[i]);
    }
  }
  return new Tensor(x.storage, shape, strides, x.offset);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  // Any stride works for a size-1 dim; this one keeps contiguous tensors contiguous.
  const s = d < x.ndim ? x.shape[d] * x.strides[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, s);
  return new Tensor(x.storage, shape, strides, x.offset);
}

/** `sizes` may be longer than x.shape (new leading dims); -1 keeps a size; size-1 dims stretch with stride 0. */
export function expand(x: Tensor, sizes: readonly number[], op = 'expand'): Tensor {
  const n = sizes.length;
  const lead = n - x.ndim;
  if (lead < 0) {
    throw new ShapeError(op, `the requested shape ${fmtShape(sizes)} has fewer dims than the tensor's shape ${fmtShape(x.shape)}`);
  }
  const shape = new Array<number>(n);
  const strides = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const s = sizes[i];
    if (i < lead) {
      if (!Number.isInteger(s) || s < 0) throw new ArgumentError(op, `invalid size ${describeValue(s)} for new leading dim ${i} in ${fmtShape(sizes)}`);
      shape[i] = s;
      strides[i] = 0;
      continue;
    }
    const cur = x.shape[i - lead];
    if (s === -1 || s === cur) {
      shape[i] = cur;
      strides[i] = x.strides[i - lead];
    } else if (cur === 1 && Number.isInteger(s) && s >= 0) {
      shape[i] = s;
      strides[i] = 0;
    } else {
      throw new ShapeError(op, `cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(sizes)} (size ${cur} at dim ${i - lead} != ${describeValue(s)})`);
    }
  }
  return new Tensor(x.storage, shape, strides, x.offset);
}

/** Python-style slice of one dim: negative start/stop count from the end, stops are clamped, step > 0. */
export function slice(x: Tensor, dim: number, start = 0, stop: number = Infinity, step = 1): Tensor {
  const d = normDim('slice', dim, x.ndim);
  if (x.ndim === 0) throw new IndexError('slice', 'cannot slice a 0-d tensor');
  if (!Number.isInteger(step) || step <= 0) throw new ArgumentError('slice', `step must be a positive integer, got ${describeValue(step)}`);
  // An infinite bound is clamped like any out-of-range one (stop defaults to Infinity); NaN and fractions are errors.
  for (const [name, v] of [['start', start], ['stop', stop]] as const) {
    if (!Number.isSafeInteger(v) && !(typeof v === 'number' && Math.abs(v) === Infinity)) {
      throw new ArgumentError('slice', `${name} must be an integer, got ${describeValue(v)}`);
    }
  }
  const size = x.shape[d];
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = clampIndex(start);
  const e = Math.max(clampIndex(stop), s);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[d] = Math.ceil((e - s) / step);
  strides[d] = x.strides[d] * step;
  return new Tensor(x.storage, shape, strides, x.offset + s * x.strides[d]);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim('narrow', dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new IndexError('narrow', `start ${describeValue(start)} is out of range for dim ${d} of size ${size}`);
  }
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new IndexError('narrow', `start ${describeValue(s)} + length ${describeValue(length)} exceeds dim ${d} of size ${size} (shape ${fmtShape(x.shape)})`);
  }
  return slice(x, d, s, s + length);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new IndexError('select', 'cannot select from a 0-d tensor');
  const d = normDim('select', dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError('select', `index ${describeValue(index)} is out of range for dim ${d} of size ${size} (shape ${fmtShape(x.shape)})`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape.splice(d, 1);
  strides.splice(d, 1);
  return new Tensor(x.storage, shape, strides, x.offset + i * x.strides[d]);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim, 'startDim');
  const e = normDim('flatten', endDim, x.ndim, 'endDim');
  if (s > e) throw new ArgumentError('flatten', `startDim ${describeValue(startDim)} comes after endDim ${describeValue(endDim)}`);
  if (s === e) return x;
  const shape = x.shape.slice(0, s);
  let m = 1;
  for (let i = s; i <= e; i++) m *= x.shape[i];
  shape.push(m, ...x.shape.slice(e + 1));
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normDim('unflatten', dim, x.ndim);
  const inner = inferShape('unflatten', checkIntArray('unflatten', 'sizes', sizes), x.shape[d], [x.shape[d]]);
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/** A contiguous copy with its own storage. */
export function clone(x: Tensor): Tensor {
  const out = Tensor.zeros(x.shape, x.dtype);
  copyInto(out, x);
  return out;
}
