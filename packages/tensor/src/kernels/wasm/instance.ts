// The WebAssembly instances behind the 'wasm' backend: compiling them (synchronously where the platform allows,
// or with loadWasmAsync), which one a kernel call runs on, and the layout of their linear memory.
//
// Two instances of the same kernels (same code, same bits). The module's own (unshared) memory serves every call
// that can run there: its operands are copied in and out (call.ts), and V8 copies into a SharedArrayBuffer with
// relaxed atomics, measured 1.7-2.4x slower (fill 8-12x; apps/bench/README.md, session 6), so that memory is the faster one for copies. A shared
// memory (where SharedArrayBuffer exists) serves the calls that need it: those with an operand in resident
// storage (tensors' storage that the kernels read in place, resident.ts; growing a shared memory detaches no
// view, so tensors, running ops and user code keep valid views whatever is allocated after them), and those
// that worker threads share (threads.ts: the workers instantiate the same module over the same memory). Each
// call picks its instance before it stages its operands (selectInstance).
//
// Memory layout (bytes): [module data | sgemm scratch per thread | resident storage (shared) | call arena].
// The call arena holds what a kernel copies in for one call; nothing in it outlives the call, so it simply
// starts where resident storage ends.
import { logging, noteLaunch, spoilLaunchLog } from './launches.js';
import { WASM_BASE64, WASM_SHARED_BASE64, type WasmExports } from './module.generated.js';

const PAGE = 65536;
/** Most threads setThreads accepts (threads.ts). */
export const MAX_THREADS = 16;
/** The shared memory's maximum (2 GiB), as the shared module declares it. */
const MAX_PAGES = 32768;
/** Memory grows at least this much at a time (and at least doubles), so grows and view re-creation are rare. */
const MIN_GROW_PAGES = 64;
/** Resident storage stops growing at this address, leaving the rest of the shared memory to the call arena. */
const RESIDENT_LIMIT = (MAX_PAGES / 2) * PAGE;

/** One instance and the layout of its memory. */
interface Kernels {
  readonly exports: WasmExports;
  readonly scratch: number;
  readonly scratchStride: number;
  /** Start of the call arena (after resident storage, which claimResident extends). */
  arena: number;
  /** A Float32Array over the whole memory (re-created after each grow). */
  view: Float32Array;
  /** The exports as a captured step's trace sees them (loggedExports), made when first needed. */
  logged?: WasmExports;
}

/** The unshared instance; null until loaded. */
let own: Kernels | null = null;
/** The shared instance (with its compiled module, for workers); undefined until first needed, null if unavailable. */
let shared: (Kernels & { module: WebAssembly.Module }) | null | undefined;
/** The instance of the kernel call being made, or of the last one (selectInstance). */
let current: Kernels | null = null;
/** Every buffer object the shared memory has had (a grow makes a new one; views of the old ones stay valid). */
const sharedBuffers = new WeakSet<ArrayBufferLike>();

export function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
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

function kernelsOf(instance: WebAssembly.Instance, threads: number): Kernels {
  const exports = instance.exports as unknown as WasmExports;
  const scratch = alignUp(exports.heapBase(), 64);
  const scratchStride = alignUp(exports.scratchBytes(), 64);
  return { exports, scratch, scratchStride, arena: scratch + threads * scratchStride, view: new Float32Array(exports.memory.buffer) };
}

/**
 * Compiles and instantiates the module synchronously; false when SIMD is missing or the platform refuses
 * (a browser's main thread may refuse synchronous compilation: use loadWasmAsync there).
 */
export function loadWasmSync(): boolean {
  if (own !== null) return true;
  if (!simdSupported()) return false;
  try {
    own = current = kernelsOf(new WebAssembly.Instance(new WebAssembly.Module(decode(WASM_BASE64)), {}), 1);
    return true;
  } catch {
    return false;
  }
}

/** Compiles and instantiates the module asynchronously; false when SIMD is missing or compilation fails. */
export async function loadWasmAsync(): Promise<boolean> {
  if (own !== null) return true;
  if (!simdSupported()) return false;
  try {
    const { instance } = await WebAssembly.instantiate(decode(WASM_BASE64), {});
    if (own === null) own = current = kernelsOf(instance, 1);
    return true;
  } catch {
    return false;
  }
}

/**
 * The shared instance, compiled and instantiated on first use (synchronously: 18 KB, which browsers accept on a
 * main thread too); null where SharedArrayBuffer or shared wasm memory is unavailable. Its scratch is laid out for
 * MAX_THREADS threads, so that resident storage never has to move when threads start.
 */
function sharedKernels(): (Kernels & { module: WebAssembly.Module }) | null {
  if (shared !== undefined) return shared;
  shared = null;
  if (own === null || typeof SharedArrayBuffer !== 'function') return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
    const module = new WebAssembly.Module(decode(WASM_SHARED_BASE64));
    shared = { ...kernelsOf(new WebAssembly.Instance(module, { env: { memory } }), MAX_THREADS), module };
    sharedBuffers.add(memory.buffer);
  } catch {
    shared = null;
  }
  return shared;
}

/**
 * Whether a call is cheaper on the shared instance, given the floats it would copy there (`other`: its ordinary
 * operands) and on the unshared one (`resident`: its resident operands). Copies touch a SharedArrayBuffer either
 * way, so the side with fewer floats to copy wins; a tie goes to the shared one (no copy of resident outputs).
 */
export function sharedIsCheaper(resident: number, other: number): boolean {
  return resident > 0 && resident >= other;
}

/**
 * Makes the next call run on the shared instance (`shared` true: it reads resident storage, or worker threads
 * share it) or on the unshared one; false when the shared one is needed and unavailable.
 */
export function selectInstance(shared: boolean): boolean {
  const k = shared ? sharedKernels() : own;
  if (k === null) return false;
  current = k;
  return true;
}

/** Whether the call being made runs on the shared instance (only such a call may hand steps to workers). */
export function onSharedInstance(): boolean {
  return current !== null && current === shared;
}

/** The shared module and memory that worker threads instantiate (threads.ts), or null where unavailable. */
export function sharedForWorkers(): { module: WebAssembly.Module; memory: WebAssembly.Memory } | null {
  const s = sharedKernels();
  return s ? { module: s.module, memory: s.exports.memory } : null;
}

export function wasmLoaded(): boolean {
  return own !== null;
}

/** The current instance's exports; throws if the module was never loaded. */
export function wasm(): WasmExports {
  if (current === null) throw new Error('the WebAssembly kernels are not loaded');
  return logging() ? loggedExports(current) : current.exports;
}

/**
 * k's exports with each call noted in the open launch log (launches.ts). A call that returns a value (a check
 * JavaScript acts on) and any use of `memory` (a view for JavaScript to read or write) spoil it.
 */
function loggedExports(k: Kernels): WasmExports {
  if (k.logged === undefined) {
    const logged: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(k.exports)) {
      if (typeof value !== 'function') continue;
      const fn = value as (...args: never[]) => unknown;
      logged[name] = (...args: never[]) => {
        noteLaunch(fn, args);
        const result = fn(...args);
        if (result !== undefined) spoilLaunchLog();
        return result;
      };
    }
    Object.defineProperty(logged, 'memory', {
      get: () => {
        spoilLaunchLog();
        return k.exports.memory;
      },
    });
    k.logged = logged as unknown as WasmExports;
  }
  return k.logged;
}

/** Byte address of the sgemm scratch of thread t (0: the calling thread). */
export function scratchAddress(t = 0): number {
  return current!.scratch + t * current!.scratchStride;
}

/** Makes the memory of k at least `end` bytes long; false at the memory's maximum. */
function growTo(k: Kernels, end: number): boolean {
  const memory = k.exports.memory;
  const have = memory.buffer.byteLength;
  if (end <= have) return true;
  const needed = Math.ceil((end - have) / PAGE);
  try {
    memory.grow(Math.max(needed, MIN_GROW_PAGES, have / PAGE));
  } catch {
    // Near the maximum the large step fails; take just what is needed (or fail).
    try {
      memory.grow(needed);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Byte address of the current instance's call arena after making sure it holds `bytes` bytes, or -1 when the
 * memory is at its maximum (the caller then runs its JS kernel).
 */
export function reserveArena(bytes: number): number {
  const k = current!;
  return growTo(k, k.arena + bytes) ? k.arena : -1;
}

/**
 * Byte address of `bytes` new bytes of resident storage in the shared memory (64-byte aligned; contents
 * unspecified: the arena may have used them), or -1 when there is no shared memory or no room. The region is the
 * caller's for good (resident.ts reuses it); the arena moves up past it.
 */
export function claimResident(bytes: number): number {
  const s = sharedKernels();
  if (s === null || s.arena + bytes > RESIDENT_LIMIT || !growTo(s, s.arena + bytes)) return -1;
  const at = s.arena;
  s.arena = alignUp(s.arena + bytes, 64);
  return at;
}

/** A view of `size` floats of resident storage from byte address `at` (a region claimResident gave). */
export function residentView(at: number, size: number): Float32Array {
  const buffer = shared!.exports.memory.buffer;
  sharedBuffers.add(buffer);
  return new Float32Array(buffer, at, size);
}

/** Zeroes `n` floats of resident storage from byte address `at`. */
export function zeroResident(at: number, n: number): void {
  shared!.exports.zeroF32(at, n);
}

/** Whether `array` is a view of the shared memory (a resident storage): kernels read it in place. */
export function isResident(array: ArrayBufferView): boolean {
  return sharedBuffers.has(array.buffer);
}

/**
 * Reserves the arena for one call as consecutive float32 regions of the given lengths, each 16-byte aligned,
 * and returns their byte addresses (in the array it was given), or null when the memory is at its maximum.
 * Copies in and out of them go through the view refreshed here: memory grows only in reserveArena, so it stays
 * valid until the next reservation.
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
  return lengths;
}

/** Copies src into the arena from byte address `at` (a region of the last arenaRegions). */
export function copyIn(src: ArrayLike<number>, at: number): void {
  f32().set(src, at >> 2);
}

/** Copies `n` floats from byte address `at` (a region of the last arenaRegions) out to dst[dstOffset...]. */
export function copyOut(at: number, n: number, dst: Float32Array | Float64Array, dstOffset = 0): void {
  const first = at >> 2;
  dst.set(f32().subarray(first, first + n), dstOffset);
}

/**
 * Zeroes `n` floats from byte address `at` of the call's instance, in wasm: JS's fill of a view of a shared
 * memory is about 10x slower than a plain one.
 */
export function zeroFloats(at: number, n: number): void {
  wasm().zeroF32(at, n);
}

/** Float32 count n rounded up to a multiple of 4 (16 bytes). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A Float32Array over the current instance's whole memory, re-created if the memory grew since. */
export function f32(): Float32Array {
  // JavaScript reads or writes wasm memory through this view: a launch log cannot replay that.
  spoilLaunchLog();
  return stagingView();
}

/** f32() for KernelCall's staging copies, which note themselves in a launch log (call.ts). */
export function stagingView(): Float32Array {
  const k = current!;
  const buffer = k.exports.memory.buffer;
  if (k.view.buffer !== buffer) {
    k.view = new Float32Array(buffer);
    if (k === shared) sharedBuffers.add(buffer);
  }
  return k.view;
}

function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
