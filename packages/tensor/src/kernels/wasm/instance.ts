// The one WebAssembly instance behind the 'wasm' backend: compiling it (synchronously where the platform
// allows, or with loadWasmAsync), and the layout of its linear memory.
//
// Memory layout (bytes): [module data | sgemm scratch per thread | resident storage | call arena].
// Resident storage (resident.ts) holds tensors' storage in place, for the kernels to read without copies; the
// call arena holds the operands a kernel copies in for one call (call.ts) and simply starts where resident
// storage ends. The module runs over its own memory, which is faster to copy into than a shared one (V8 copies
// into a SharedArrayBuffer with relaxed atomics: measured 2x slower, and fill 10x); worker threads
// (threads.ts) replace the instance by one over a shared memory.
// Growing an unshared memory detaches every view of it, and a resident storage's view is held by tensors, by
// the ops running and by user code. So that memory grows only while no resident storage is live: a claim or a
// call that would need more fails meanwhile (the storage is allocated elsewhere, the kernel runs in JS), and the
// memory grows by what was missing once the last resident storage is given back. A training loop's second
// step finds the room its first one wanted.
import { WASM_BASE64, type WasmExports } from './module.generated.js';

const PAGE = 65536;
/** Most threads setThreads accepts (threads.ts). */
export const MAX_THREADS = 16;
/** The shared memory's maximum (2 GiB), as the shared module declares it. */
export const MAX_PAGES = 32768;
/** Memory grows at least this much at a time (and at least doubles), so grows and view re-creation are rare. */
const MIN_GROW_PAGES = 64;
/** Resident storage stops growing at this address, leaving the rest of the memory to the call arena. */
const RESIDENT_LIMIT = (MAX_PAGES / 2) * PAGE;

let exportsOf: WasmExports | null = null;
/** Whether the memory is shared (worker threads): growing it detaches nothing. */
let shared = false;
let scratch = 0;
let scratchStride = 0;
/** Start of the call arena: the end of resident storage (claimResident moves it up). */
let arena = 0;
/** Resident regions handed out and not given back. */
let liveResident = 0;
/** Bytes the memory lacked while it could not grow: resident claims (summed) and the largest arena. */
let missingClaims = 0;
let missingArena = 0;
/** Bumped by adopt: resident regions of an earlier instance are dropped, never reused. */
let generation = 0;
/**
 * Every buffer the current memory has had: a grown shared memory has a new buffer object, and views of the old
 * ones stay valid; an unshared one grows only when no resident view is live.
 */
let memoryBuffers = new WeakSet<ArrayBufferLike>();
let view = new Float32Array(0);

export function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether this platform runs WebAssembly with 128-bit SIMD (validates a tiny module using an f32x4 op). */
export function simdSupported(): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  // (module (func (result v128) (f32x4.splat (f32.const 0))))
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 67, 0, 0, 0, 0, 253, 19, 11,
  ]);
  try {
    return WebAssembly.validate(probe);
  } catch {
    return false;
  }
}

/**
 * Makes `instance` the one the kernels call, with sgemm scratch for `threads` threads. Throws while resident
 * storage is live: it lives in the old memory.
 */
export function adopt(instance: WebAssembly.Instance, threads = 1): void {
  if (liveResident !== 0) throw new Error('the wasm instance cannot change while tidy() scopes hold resident storage (threads.ts checks first)');
  const e = instance.exports as unknown as WasmExports;
  exportsOf = e;
  shared = typeof SharedArrayBuffer === 'function' && e.memory.buffer instanceof SharedArrayBuffer;
  scratch = alignUp(e.heapBase(), 64);
  scratchStride = alignUp(e.scratchBytes(), 64);
  arena = scratch + threads * scratchStride;
  missingClaims = missingArena = 0;
  generation++;
  memoryBuffers = new WeakSet();
  view = new Float32Array(0);
  f32();
}

/**
 * Compiles and instantiates the module synchronously; false when SIMD is missing or the platform refuses
 * (a browser's main thread may refuse synchronous compilation: use loadWasmAsync there).
 */
export function loadWasmSync(): boolean {
  if (exportsOf !== null) return true;
  if (!simdSupported()) return false;
  try {
    adopt(new WebAssembly.Instance(new WebAssembly.Module(decode(WASM_BASE64)), {}));
    return true;
  } catch {
    return false;
  }
}

/** Compiles and instantiates the module asynchronously; false when SIMD is missing or compilation fails. */
export async function loadWasmAsync(): Promise<boolean> {
  if (exportsOf !== null) return true;
  if (!simdSupported()) return false;
  try {
    const { instance } = await WebAssembly.instantiate(decode(WASM_BASE64), {});
    if (exportsOf === null) adopt(instance);
    return true;
  } catch {
    return false;
  }
}

export function wasmLoaded(): boolean {
  return exportsOf !== null;
}

/** The instance's exports; throws if it was never loaded. */
export function wasm(): WasmExports {
  if (exportsOf === null) throw new Error('the WebAssembly kernels are not loaded');
  return exportsOf;
}

/** Byte address of the sgemm scratch of thread t (0: the calling thread). */
export function scratchAddress(t = 0): number {
  return scratch + t * scratchStride;
}

/**
 * Makes the memory at least `end` bytes long; false when it would have to grow and cannot: an unshared memory
 * while resident storage is live (growing would detach its views), or the memory's maximum.
 */
function growTo(end: number): boolean {
  const memory = wasm().memory;
  const have = memory.buffer.byteLength;
  if (end <= have) return true;
  if (!shared && liveResident !== 0) return false;
  const needed = Math.ceil((end - have) / PAGE);
  try {
    memory.grow(Math.max(needed, MIN_GROW_PAGES, have / PAGE));
  } catch {
    // Near the memory's maximum the large step fails; take just what is needed (or fail).
    try {
      memory.grow(needed);
    } catch {
      return false;
    }
  }
  f32();
  return true;
}

/**
 * Byte address of the call arena after making sure it holds `bytes` bytes, or -1 when the memory cannot grow
 * now (see the file comment; the caller then runs its JS kernel).
 */
export function reserveArena(bytes: number): number {
  if (growTo(arena + bytes)) return arena;
  missingArena = Math.max(missingArena, arena + bytes - wasm().memory.buffer.byteLength);
  return -1;
}

/**
 * Byte address of `bytes` new bytes of resident storage (64-byte aligned; contents unspecified: the arena may
 * have used them), or -1 when there is no room now. The region is the caller's for good (resident.ts reuses
 * it); the arena moves up past it.
 */
export function claimResident(bytes: number): number {
  if (arena + bytes > RESIDENT_LIMIT) return -1;
  if (!growTo(arena + bytes)) {
    missingClaims += alignUp(bytes, 64);
    return -1;
  }
  const at = arena;
  arena = alignUp(arena + bytes, 64);
  return at;
}

/** Whether resident storage is live (a tidy() scope holds some): the instance must not change meanwhile. */
export function residentLive(): boolean {
  return liveResident !== 0;
}

/** Counts a resident region as handed out (claimed, or taken again from resident.ts's free lists). */
export function residentTaken(): void {
  liveResident++;
}

/** Counts a resident region as given back; with none live, the memory grows by what was missing meanwhile. */
export function residentGivenBack(): void {
  liveResident--;
  if (liveResident === 0 && missingClaims + missingArena > 0) {
    const have = wasm().memory.buffer.byteLength;
    const missing = missingClaims + missingArena;
    missingClaims = missingArena = 0;
    growTo(have + missing);
  }
}

/** The current instance's generation: resident regions of an older one must not be reused. */
export function instanceGeneration(): number {
  return generation;
}

/** Whether `array` is a view of this instance's memory (a resident storage): kernels read it in place. */
export function isResident(array: ArrayBufferView): boolean {
  return memoryBuffers.has(array.buffer);
}

/**
 * Reserves the arena for one call as consecutive float32 regions of the given lengths, each 16-byte aligned,
 * and returns their byte addresses (in the array it was given), or null when the memory cannot grow now
 * (reserveArena). Copies in and out of them go through the view refreshed here: memory grows only in
 * reserveArena, so it stays valid until the next reservation.
 */
export function arenaRegions(...lengths: number[]): number[] | null {
  let next = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i];
    lengths[i] = next;
    next += align4(n);
  }
  const base = reserveArena(next * 4);
  if (base < 0) return null;
  for (let i = 0; i < lengths.length; i++) lengths[i] = base + lengths[i] * 4;
  f32();
  return lengths;
}

/** Copies src into the arena from byte address `at` (a region of the last arenaRegions). */
export function copyIn(src: ArrayLike<number>, at: number): void {
  view.set(src, at >> 2);
}

/** Copies `n` floats from byte address `at` (a region of the last arenaRegions) out to dst[dstOffset...]. */
export function copyOut(at: number, n: number, dst: Float32Array | Float64Array, dstOffset = 0): void {
  const first = at >> 2;
  dst.set(view.subarray(first, first + n), dstOffset);
}

/**
 * Zeroes `n` floats from byte address `at`, in wasm: JS's fill of a view of a shared memory (threads) is about
 * 10x slower than a plain one.
 */
export function zeroFloats(at: number, n: number): void {
  wasm().zeroF32(at, n);
}

/** Float32 count n rounded up to a multiple of 4 (16 bytes). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A Float32Array over the whole memory, re-created if the memory grew since the last call. */
export function f32(): Float32Array {
  const buffer = wasm().memory.buffer;
  if (view.buffer !== buffer) {
    view = new Float32Array(buffer);
    memoryBuffers.add(buffer);
  }
  return view;
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
