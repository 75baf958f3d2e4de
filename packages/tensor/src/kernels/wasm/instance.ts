// The one WebAssembly instance behind the 'wasm' backend: compiling it (synchronously where the platform
// allows, or with loadWasmAsync), and the layout of its linear memory.
//
// Memory layout (bytes): [module data | sgemm scratch per thread | operand arena].
// Kernels copy their operands into the arena for the duration of one call; nothing in the arena outlives the
// call, so there is no allocator. memory.grow() detaches every view of an unshared buffer, so views are
// re-created after each grow (f32()). With worker threads (threads.ts) the instance is replaced by one over a
// shared memory, which every worker instantiates too.
import { WASM_BASE64, type WasmExports } from './module.generated.js';

const PAGE = 65536;
/** Most threads setThreads accepts (threads.ts). */
export const MAX_THREADS = 16;
/** Memory grows at least this much at a time (and at least doubles), so grows and view re-creation are rare. */
const MIN_GROW_PAGES = 64;

let exportsOf: WasmExports | null = null;
let scratch = 0;
let scratchStride = 0;
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

/** Makes `instance` the one the kernels call, with sgemm scratch for `threads` threads. */
export function adopt(instance: WebAssembly.Instance, threads = 1): void {
  const e = instance.exports as unknown as WasmExports;
  exportsOf = e;
  scratch = alignUp(e.heapBase(), 64);
  scratchStride = alignUp(e.scratchBytes(), 64);
  arena = scratch + threads * scratchStride;
  view = new Float32Array(e.memory.buffer);
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

/** Byte address of the operand arena, after making sure it holds `bytes` bytes. */
export function reserveArena(bytes: number): number {
  const memory = wasm().memory;
  const need = arena + bytes;
  const have = memory.buffer.byteLength;
  if (need > have) {
    const needed = Math.ceil((need - have) / PAGE);
    try {
      memory.grow(Math.max(needed, MIN_GROW_PAGES, have / PAGE));
    } catch {
      // Near the memory's maximum the large step fails; take just what this call needs (or fail with it).
      memory.grow(needed);
    }
  }
  return arena;
}

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

/** Zero-fills `n` floats from byte address `at` (a region of the last arenaRegions). */
export function zeroFill(at: number, n: number): void {
  const first = at >> 2;
  view.fill(0, first, first + n);
}

/** Float32 count n rounded up to a multiple of 4 (16 bytes). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A Float32Array over the whole memory, re-created if the memory grew since the last call. */
export function f32(): Float32Array {
  const buffer = wasm().memory.buffer;
  if (view.buffer !== buffer) view = new Float32Array(buffer);
  return view;
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
