// The one WebAssembly instance behind the 'wasm' backend: compiling it (synchronously where the platform
// allows, or with loadWasmAsync), and the layout of its linear memory.
//
// Memory layout (bytes): [module data | sgemm scratch per thread | resident storage | call arena].
// Where SharedArrayBuffer exists the instance runs over a shared memory from the start: growing a shared
// memory does not detach the views already made of it, so tensors' storage can live there (resident.ts) and
// kernels read it in place. Elsewhere (a browser page that is not cross-origin isolated) the module keeps its
// own memory, every view is re-created after each grow (f32()) and nothing is resident.
// The call arena holds the operands a kernel copies in for the duration of one call (call.ts); nothing in it
// outlives the call, so it simply starts where resident storage ends. Worker threads (threads.ts) instantiate
// the same shared module over the same memory.
import { WASM_BASE64, WASM_SHARED_BASE64, type WasmExports } from './module.generated.js';

const PAGE = 65536;
/** Most threads setThreads accepts (threads.ts). */
export const MAX_THREADS = 16;
/** The shared memory's maximum (2 GiB), as the shared module declares it. */
export const MAX_PAGES = 32768;
/** Memory grows at least this much at a time (and at least doubles), so grows and view re-creation are rare. */
const MIN_GROW_PAGES = 64;

let exportsOf: WasmExports | null = null;
/** The compiled shared module (workers instantiate it over the same memory); null with an unshared memory. */
let sharedModuleOf: WebAssembly.Module | null = null;
let scratch = 0;
let scratchStride = 0;
/** Start of the call arena: the end of resident storage (claimResident moves it up). */
let arena = 0;
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
 * Makes `instance` the one the kernels call. With a shared memory, scratch is laid out for MAX_THREADS threads
 * at once (resident storage after it must never move); with its own memory, for one thread.
 */
function adopt(instance: WebAssembly.Instance, sharedModule: WebAssembly.Module | null): void {
  const e = instance.exports as unknown as WasmExports;
  exportsOf = e;
  sharedModuleOf = sharedModule;
  scratch = alignUp(e.heapBase(), 64);
  scratchStride = alignUp(e.scratchBytes(), 64);
  arena = scratch + (sharedModule === null ? 1 : MAX_THREADS) * scratchStride;
  view = new Float32Array(0);
  f32();
}

/** A shared memory for the shared module, or null where SharedArrayBuffer is unavailable. */
function sharedMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer !== 'function') return null;
  try {
    return new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  } catch {
    return null;
  }
}

/**
 * Compiles and instantiates the module synchronously; false when SIMD is missing or the platform refuses
 * (a browser's main thread may refuse synchronous compilation: use loadWasmAsync there).
 */
export function loadWasmSync(): boolean {
  if (exportsOf !== null) return true;
  if (!simdSupported()) return false;
  try {
    const memory = sharedMemory();
    if (memory !== null) {
      const module = new WebAssembly.Module(decode(WASM_SHARED_BASE64));
      adopt(new WebAssembly.Instance(module, { env: { memory } }), module);
    } else {
      adopt(new WebAssembly.Instance(new WebAssembly.Module(decode(WASM_BASE64)), {}), null);
    }
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
    const memory = sharedMemory();
    if (memory !== null) {
      const module = await WebAssembly.compile(decode(WASM_SHARED_BASE64));
      const instance = await WebAssembly.instantiate(module, { env: { memory } });
      if (exportsOf === null) adopt(instance, module);
    } else {
      const { instance } = await WebAssembly.instantiate(decode(WASM_BASE64), {});
      if (exportsOf === null) adopt(instance, null);
    }
    return true;
  } catch {
    return false;
  }
}

/** The compiled shared module and its memory, for worker threads; null where the memory is not shared. */
export function sharedInstance(): { module: WebAssembly.Module; memory: WebAssembly.Memory } | null {
  return sharedModuleOf === null ? null : { module: sharedModuleOf, memory: wasm().memory };
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

/** Makes the memory at least `end` bytes long. */
function growTo(end: number): void {
  const memory = wasm().memory;
  const have = memory.buffer.byteLength;
  if (end <= have) return;
  const needed = Math.ceil((end - have) / PAGE);
  try {
    memory.grow(Math.max(needed, MIN_GROW_PAGES, have / PAGE));
  } catch {
    // Near the memory's maximum the large step fails; take just what this call needs (or fail with it).
    memory.grow(needed);
  }
}

/** Byte address of the operand arena, after making sure it holds `bytes` bytes. */
export function reserveArena(bytes: number): number {
  growTo(arena + bytes);
  return arena;
}

/** Resident storage stops growing at this address, leaving the rest of the memory to the call arena. */
const RESIDENT_LIMIT = (MAX_PAGES / 2) * PAGE;

/**
 * Byte address of `bytes` new bytes of resident storage (16-byte aligned; their contents are unspecified: the
 * arena may have used them), or -1 when the memory is not shared or resident storage has reached its limit.
 * The region is the caller's for good (resident.ts reuses it); the arena moves up past it.
 */
export function claimResident(bytes: number): number {
  if (sharedModuleOf === null || arena + bytes > RESIDENT_LIMIT) return -1;
  try {
    growTo(arena + bytes);
  } catch {
    return -1;
  }
  const at = arena;
  arena = alignUp(arena + bytes, 64);
  return at;
}

/** Whether `array` is a view of this instance's memory (a resident storage), so kernels can read it in place. */
export function isResident(array: ArrayBufferView): boolean {
  return sharedModuleOf !== null && residentBuffers.has(array.buffer);
}

/** Every buffer object the shared memory has had (each grow makes a new one; views of older ones stay valid). */
const residentBuffers = new WeakSet<ArrayBufferLike>();

/**
 * Reserves the arena for one call as consecutive float32 regions of the given lengths, each 16-byte aligned,
 * and returns their byte addresses (in the array it was given). Copies in and out of them go through the view
 * refreshed here: memory grows only in reserveArena, so it stays valid until the next reservation.
 */
export function arenaRegions(...lengths: number[]): number[] {
  let next = 0;
  for (let i = 0; i < lengths.length; i++) {
    const n = lengths[i];
    lengths[i] = next;
    next += align4(n);
  }
  const base = reserveArena(next * 4);
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

/** Float32 count n rounded up to a multiple of 4 (16 bytes). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A Float32Array over the whole memory, re-created if the memory grew since the last call. */
export function f32(): Float32Array {
  const buffer = wasm().memory.buffer;
  if (view.buffer !== buffer) {
    view = new Float32Array(buffer);
    residentBuffers.add(buffer);
  }
  return view;
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
