// Poisoned pool arrays, for the tests of outputs allocated uninitialized (uninitializedTensor): the backend's pool
// hands such an output whatever its last owner wrote, so a kernel that leaves an element unwritten shows as a
// NaN (or a sentinel integer) in the result instead of a lucky zero.
import { ArrayStorage, type Backend, type DType, type TypedArray } from '@minigrad/tensor';

/** What a poisoned integer array holds (int32; bool arrays hold 0xab). */
export const POISON_INT = -123456789;

function poisoned(size: number, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size).fill(NaN);
    case 'float64':
      return new Float64Array(size).fill(NaN);
    case 'int32':
      return new Int32Array(size).fill(POISON_INT);
    case 'bool':
      return new Uint8Array(size).fill(0xab);
  }
}

/**
 * Gives `count` poisoned arrays of `size` elements of `dtype` to `backend`'s pool (size * element bytes must be
 * one the pool keeps: 16 KB and up) and returns them, so a test can check that an output is one of them.
 */
export function poisonPool(backend: Backend, size: number, dtype: DType, count = 1): Set<TypedArray> {
  const arrays = new Set<TypedArray>();
  for (let i = 0; i < count; i++) {
    const array = poisoned(size, dtype);
    arrays.add(array);
    backend.recycle!(new ArrayStorage(array, dtype, backend.name));
  }
  return arrays;
}

/**
 * Index of the first byte where two typed arrays differ (0 when their lengths differ), or -1 when they are the
 * same bits: a failing toEqual on large arrays would print them whole.
 */
export function firstDifference(a: TypedArray, b: TypedArray): number {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
