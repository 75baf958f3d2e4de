// The backend allocates storage and names the kernel table ops dispatch to (see kernels/registry.ts).
//
// Two backends: 'js' (pure TypeScript kernels, the reference) and 'wasm' (WebAssembly SIMD kernels for the
// hot float32 ops, falling back to the 'js' kernel of any name it lacks). 'wasm' is the default wherever
// WebAssembly SIMD validates and the module compiles synchronously; elsewhere (e.g. a browser main thread
// that refuses synchronous compilation) the default is 'js' until `await initWasmBackend()`.
//
// Why the wasm backend keeps storage in JS typed arrays rather than in its linear memory: storage in wasm
// memory would need a FinalizationRegistry to free regions (tensors have no explicit dispose), every op
// would have to re-read its views after any allocation (memory.grow detaches them, and `tensor.data` is
// public API held by users), and the memory could only grow. Its kernels instead copy operands into wasm
// memory per call; for gemm the copies are O(n^2) against O(n^3) arithmetic.
import type { DType, TypedArray } from './dtype.js';
import { ArgumentError } from './errors.js';
import { loadWasmAsync, loadWasmSync, wasmLoaded } from './kernels/wasm/instance.js';
import { ArrayStorage, type Storage } from './storage.js';
import { StoragePool } from './storage-pool.js';

/**
 * Where tensors' storage comes from and whose kernels run: 'js' (plain typed arrays, the TypeScript kernels) or
 * 'wasm' (WebAssembly SIMD twins of the hot kernels). Select one with `setBackend`.
 */
export interface Backend {
  /** Key of this backend's kernels in the registry. */
  readonly name: string;
  /** A zero-filled storage of `size` elements. */
  alloc(size: number, dtype: DType): Storage;
  /**
   * A storage of `size` elements whose values are unspecified (a reused array keeps what its last owner wrote),
   * for an output that its kernel overwrites in full. Optional: a backend without it is asked to `alloc`.
   */
  allocUninitialized?(size: number, dtype: DType): Storage;
  /** A storage that takes ownership of `data` (JS backend) or copies it into backend memory. */
  fromArray(data: TypedArray, dtype: DType): Storage;
  /**
   * Takes back a storage of this backend so that a later alloc of the same dtype and size reuses its memory;
   * a storage whose array is kept is left empty (see ArrayStorage.detach). Only its sole owner may call this: no tensor, view
   * or user code may reach it afterwards (autograd's engine does, for gradients it made and nobody saw).
   * Optional: a backend without it simply never reuses memory.
   */
  recycle?(storage: Storage): void;
}

/** The names `setBackend` accepts. */
export type BackendName = 'js' | 'wasm';

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

/** A backend whose storage is plain typed arrays, reused through a pool of its own. */
function arrayBackend(name: BackendName): Backend {
  const pool = new StoragePool();
  return {
    name,
    alloc: (size, dtype) => new ArrayStorage(pool.take(size, dtype) ?? newArray(size, dtype), dtype, name),
    // A fresh array is zeroed by the engine anyway; only a pooled one skips its fill.
    allocUninitialized: (size, dtype) => new ArrayStorage(pool.take(size, dtype, false) ?? newArray(size, dtype), dtype, name),
    fromArray: (data, dtype) => new ArrayStorage(data, dtype, name),
    recycle(storage) {
      // A small array is left to the garbage collector and its storage untouched: only a pooled array can
      // reappear under someone else's tensor, so only its storage needs emptying.
      if (storage instanceof ArrayStorage && storage.backend === name && pool.keeps(storage.data.byteLength)) {
        pool.give(storage.detach(), storage.dtype);
      }
    },
  };
}

/** The pure TypeScript backend: plain typed arrays. */
export const jsBackend: Backend = arrayBackend('js');

/** The WebAssembly SIMD backend: plain typed arrays too (see above), its kernels run in wasm. */
export const wasmBackend: Backend = arrayBackend('wasm');

let active: Backend = loadWasmSync() ? wasmBackend : jsBackend;

/** The active backend. */
export function getBackend(): Backend {
  return active;
}

/** Whether the 'wasm' backend can be used (WebAssembly SIMD is available and its module is compiled). */
export function wasmAvailable(): boolean {
  return wasmLoaded();
}

/**
 * Makes `b` the backend that allocates new storage and whose kernels ops use (falling back to 'js').
 * 'wasm' throws if the module is not loaded (see wasmAvailable and initWasmBackend).
 */
export function setBackend(b: Backend | BackendName): void {
  if (b === 'js') active = jsBackend;
  else if (b === 'wasm' || b === wasmBackend) {
    if (!wasmLoaded()) {
      throw new ArgumentError('setBackend', "the 'wasm' backend is unavailable here (no WebAssembly SIMD, or its module is not compiled yet: await initWasmBackend())");
    }
    active = wasmBackend;
  } else if (typeof b === 'string') throw new ArgumentError('setBackend', `unknown backend '${b}' (expected 'js' or 'wasm')`);
  else active = b;
}

/**
 * Compiles the wasm module asynchronously (for browser main threads, which may refuse the synchronous
 * compile done at import) and makes 'wasm' the active backend. Resolves to the active backend's name:
 * 'js' when WebAssembly SIMD is unavailable.
 */
export async function initWasmBackend(): Promise<BackendName> {
  if (await loadWasmAsync()) active = wasmBackend;
  return active === wasmBackend ? 'wasm' : 'js';
}
