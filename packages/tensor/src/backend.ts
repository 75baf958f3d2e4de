// The backend allocates storage and names the kernel table ops dispatch to (see kernels/registry.ts).
import type { DType, TypedArray } from './dtype.js';
import { ArrayStorage, type Storage } from './storage.js';

export interface Backend {
  /** Key of this backend's kernels in the registry. */
  readonly name: string;
  /** A zero-filled storage of `size` elements. */
  alloc(size: number, dtype: DType): Storage;
  /** A storage that takes ownership of `data` (JS backend) or copies it into backend memory. */
  fromArray(data: TypedArray, dtype: DType): Storage;
}

function newArray(size: number, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The pure TypeScript backend: plain typed arrays. */
export const jsBackend: Backend = {
  name: 'js',
  alloc: (size, dtype) => new ArrayStorage(newArray(size, dtype), dtype, 'js'),
  fromArray: (data, dtype) => new ArrayStorage(data, dtype, 'js'),
};

let active: Backend = jsBackend;

export function getBackend(): Backend {
  return active;
}

/** Makes `b` the backend that allocates new storage and whose kernels ops use (falling back to 'js'). */
export function setBackend(b: Backend): void {
  active = b;
}
