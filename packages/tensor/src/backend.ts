// The backend allocates storage and names the kernel table ops dispatch to (see kernels/registry.ts).
//
// Two backends: 'js' (pure TypeScript kernels, the reference) and 'wasm' (WebAssembly SIMD kernels for the
// hot float32 ops, falling back to the 'js' kernel of any name it lacks). 'wasm' is the default wherever
// WebAssembly SIMD validates and the module compiles synchronously; elsewhere (e.g. a browser main thread
// that refuses synchronous compilation) the default is 'js' until `await initWasmBackend()`.
//
// Where the wasm backend's storage lives: tensors' storage is public (`tensor.data` is a typed array users hold)
// and tensors have no destructor, so a region of wasm memory can only be reused once its owner says it is
// dead. Storage whose owner will say so (what a tidy() scope allocates: recycled or evicted when the scope
// ends) lives in wasm memory, where the kernels read it in place (kernels/wasm/resident.ts, call.ts); all
// other storage is a plain typed array that the kernels copy in and out per call.
import { type DType, type TypedArray, newTypedArray } from './dtype.js';
import { ArgumentError } from './errors.js';
import { isResident, loadWasmAsync, loadWasmSync, wasmLoaded } from './kernels/wasm/instance.js';
import { adoptPinned, adoptResident, giveResident, mayAdopt, takeResident } from './kernels/wasm/resident.js';
import { isPinned } from './capture/recording.js';
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
  /**
   * A storage in memory this backend's kernels read and write in place (zero-filled unless `zeroFill` is false),
   * or null when it has none to give for this dtype and size. Its owner must end it, with `recycle` once it is
   * dead or `evict` if it lives on (tidy() does both for what its scope allocated). Optional.
   */
  allocResident?(size: number, dtype: DType, zeroFill: boolean): Storage | null;
  /**
   * A zero-filled storage for a tensor that lives long and is read every step (a layer's weight), which the
   * backend may put where its kernels read it in place and free itself once unreachable; null for an ordinary
   * one (`alloc`). Optional.
   */
  allocKept?(size: number, dtype: DType): Storage | null;
  /**
   * Called for a storage from allocResident that outlives its scope: moves it to an ordinary array (values and
   * version unchanged), or, when `kept` (a leaf, a gradient, optimizer state: see tidy's keep), may leave it
   * where it is if the backend can tell on its own when it is dead.
   */
  evict?(storage: Storage, kept?: boolean): void;
  /**
   * Called for storage a captured step (`compile`) replays with (`recycle` and `evict` leave such storage
   * alone, see capture/recording.ts): the backend keeps its memory where it is until the storage is unreachable.
   * Optional.
   */
  pin?(storage: Storage): void;
}

/** The names `setBackend` accepts. */
export type BackendName = 'js' | 'wasm';

/** A backend whose storage is plain typed arrays, reused through a pool of its own. */
function arrayBackend(name: BackendName): Backend {
  const pool = new StoragePool();
  return {
    name,
    alloc: (size, dtype) => new ArrayStorage(pool.take(size, dtype) ?? newTypedArray(size, dtype), dtype, name),
    // A fresh array is zeroed by the engine anyway; only a pooled one skips its fill.
    allocUninitialized: (size, dtype) => new ArrayStorage(pool.take(size, dtype, false) ?? newTypedArray(size, dtype), dtype, name),
    fromArray: (data, dtype) => new ArrayStorage(data, dtype, name),
    recycle(storage) {
      if (!(storage instanceof ArrayStorage) || storage.backend !== name) return;
      // A captured step's storage stays as it is; the garbage collector ends it (resident: see pin).
      if (isPinned(storage)) return void this.pin?.(storage);
      if (storage.data instanceof Float32Array && isResident(storage.data)) giveResident(storage, storage.detach() as Float32Array);
      // A small array is left to the garbage collector and its storage untouched: only a pooled array can
      // reappear under someone else's tensor, so only its storage needs emptying.
      else if (pool.keeps(storage.data.byteLength)) pool.give(storage.detach(), storage.dtype);
    },
  };
}

/** The WebAssembly SIMD backend: plain typed arrays, and float32 storage in wasm memory for tidy() scopes. */
function wasmArrayBackend(): Backend {
  const base = arrayBackend('wasm');
  return {
    ...base,
    allocResident(size, dtype, zeroFill) {
      if (dtype !== 'float32' || size === 0) return null;
      const region = takeResident(size, zeroFill);
      return region === null ? null : new ArrayStorage(region, dtype, 'wasm');
    },
    allocKept(size, dtype) {
      if (dtype !== 'float32' || !mayAdopt(size)) return null;
      const region = takeResident(size, true);
      if (region === null) return null;
      const storage = new ArrayStorage(region, dtype, 'wasm');
      if (adoptResident(storage, region)) return storage;
      giveResident(storage, region);
      return null;
    },
    evict(storage, kept = false) {
      if (!(storage instanceof ArrayStorage) || !(storage.data instanceof Float32Array) || !isResident(storage.data)) return;
      if (isPinned(storage)) return void this.pin!(storage);
      const region = storage.data;
      // A kept storage stays in place where resident.ts can free it once the garbage collector finds it dead.
      if (kept && adoptResident(storage, region)) return;
      const copy = base.allocUninitialized!(region.length, 'float32');
      copy.data.set(region);
      storage.data = copy.data;
      giveResident(storage, region);
    },
    pin(storage) {
      if (storage instanceof ArrayStorage && storage.data instanceof Float32Array && isResident(storage.data)) adoptPinned(storage, storage.data);
    },
  };
}

/** The pure TypeScript backend: plain typed arrays. */
export const jsBackend: Backend = arrayBackend('js');

/** The WebAssembly SIMD backend (see above): its kernels run in wasm. */
export const wasmBackend: Backend = wasmArrayBackend();

let active: Backend = loadWasmSync() ? wasmBackend : jsBackend;

/** The built-in backend that allocated `storage`, else the active one (a custom backend set with setBackend). */
export function backendOf(storage: Storage): Backend {
  return storage.backend === 'wasm' ? wasmBackend : storage.backend === 'js' ? jsBackend : active;
}

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
