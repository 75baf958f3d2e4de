// Storage: the memory behind one or more tensors. A backend hands it out; views share it.
import { type DType, type TypedArray, newTypedArray } from './dtype.js';

/**
 * A typed-array region owned by a backend. `data` may be a view made on demand (a WebAssembly backend
 * re-creates it after its memory grows), so read it when needed instead of keeping it across allocations.
 * `version` is bumped by every in-place write; autograd compares it to detect changes to saved tensors.
 */
export interface Storage {
  /** The element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** The elements. */
  readonly data: TypedArray;
  /** Name of the backend that allocated it. */
  readonly backend: string;
  /** Bumped by every in-place write (autograd's check that saved tensors did not change). */
  version: number;
}

/** Storage backed by a plain JS typed array. */
export class ArrayStorage implements Storage {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'ArrayStorage';
  /** The element type. */
  readonly dtype: DType;
  /** Number of elements (0 once detached). */
  size: number;
  /** The elements. */
  data: TypedArray;
  /** Name of the backend that allocated it. */
  readonly backend: string;
  /** Bumped by every in-place write and by detach. */
  version = 0;
  constructor(data: TypedArray, dtype: DType, backend = 'js') {
    this.data = data;
    this.dtype = dtype;
    this.size = data.length;
    this.backend = backend;
  }

  /**
   * Gives up the typed array (for a backend's pool) and leaves this storage empty with its version bumped,
   * so that a reference wrongly kept reads undefined/NaN or fails a saved-version check instead of
   * silently reading the data of whoever reuses the array.
   */
  detach(): TypedArray {
    const data = this.data;
    this.data = emptyArray(this.dtype); // no view of the pooled array survives
    this.size = 0;
    this.version++;
    return data;
  }
}

/** One empty array per dtype, shared by every detached storage (nothing can be read or written through it). */
const empty = new Map<DType, TypedArray>();
function emptyArray(dtype: DType): TypedArray {
  let array = empty.get(dtype);
  if (array === undefined) empty.set(dtype, (array = newTypedArray(0, dtype)));
  return array;
}
