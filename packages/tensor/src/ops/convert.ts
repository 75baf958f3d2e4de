// Getting values out: nested arrays, scalars, flat typed arrays, dtype conversion.
import type { DType, TypedArray } from '../dtype.js';
import { isDType, newTypedArray, unknownDTypeMessage } from '../dtype.js';
import { getBackend } from '../backend.js';
import { refuseCapture } from '../capture/recording.js';
import { contiguousStrides } from '../shape.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { contiguous } from './views.js';

/** What `toArray()` returns: a number for a 0-d tensor, else nested arrays of numbers. */
export type NestedNumbers = number | NestedNumbers[];

export function toArray(x: Tensor): NestedNumbers {
  refuseCapture('toArray() reads values');
  const c = contiguous(x);
  const d = c.data;
  const shape = x.shape;
  let pos = c.offset;
  const build = (dim: number): NestedNumbers[] => {
    const n = shape[dim];
    const out = new Array<NestedNumbers>(n);
    if (dim === shape.length - 1) for (let i = 0; i < n; i++) out[i] = d[pos++];
    else for (let i = 0; i < n; i++) out[i] = build(dim + 1);
    return out;
  };
  return shape.length === 0 ? d[pos] : build(0);
}

export function item(x: Tensor): number {
  refuseCapture('item() reads a value');
  if (x.numel() !== 1) {
    throw new ShapeError('item', `only a tensor with one element can be converted to a number, got shape ${fmtShape(x.shape)}`);
  }
  return x.data[x.offset];
}

/**
 * A new array the caller owns. Not from Tensor.zeros: inside a tidy() scope that storage would be the scope's,
 * released (or, on the wasm backend, resident in wasm memory) when it ends, under the caller's feet.
 */
export function toTypedArray(x: Tensor): TypedArray {
  refuseCapture('toTypedArray() reads values');
  const array = newTypedArray(x.numel(), x.dtype);
  copyInto(new Tensor(getBackend().fromArray(array, x.dtype), x.shape.slice(), contiguousStrides(x.shape), 0), x);
  return array;
}

export function to(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new ArgumentError('to', unknownDTypeMessage(dtype));
  if (dtype === x.dtype) return x;
  const out = Tensor.zeros(x.shape, dtype);
  copyInto(out, x);
  return out;
}
