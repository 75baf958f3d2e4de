// What a captured step (compile.ts) learns while it traces one call of the user's function: every call that
// reads or writes tensor memory, in order (the kernels, as getKernel hands them out, and the few JavaScript
// loops that write tensors: zero-fills of new storage, version bumps, constants), the storage allocated on the
// way, the checks to repeat before a replay (guards), and anything that cannot be replayed (refusals).
//
// The hooks here cost one null test when nothing is being traced. Ops and the sibling packages call them:
// `recordCall` where JavaScript itself writes tensor memory (`recordConstant` for constants, `scratchFloat64`
// for kernels' working arrays), `recordEffect` where it sets state a replay must set again (a leaf's `.grad`),
// `refuseCapture` where it reads values to decide something (item(), random numbers, hooks), `captureGuard` for
// state outside tensors that a replay depends on (an optimizer's parameters, a module's training flag) and
// `guardedRead` for input checks a replay repeats. Kept apart from compile.ts so that Tensor, the backends and
// the kernel registry can report to it without importing the tracer.
import type { TypedArray } from '../dtype.js';
import { isResident, zeroResident } from '../kernels/wasm/instance.js';
import type { Launch } from '../kernels/wasm/launches.js';
import { adoptPinned, takeResident } from '../kernels/wasm/resident.js';
import type { Storage } from '../storage.js';

/** One call a replay repeats: `fn(...args)` with the very objects the trace passed. */
export interface RecordedCall {
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  /** What to call it in a message (a kernel's name, or the op that wrote in JavaScript). */
  readonly name: string;
  /**
   * Memory the call reads or writes that its arguments do not show (tensors, and plain objects whose numbers
   * it changes: an optimizer's state), or undefined.
   */
  readonly memory?: readonly unknown[];
  /** Whether the call sets JavaScript state (a leaf's `.grad`) rather than tensor memory (see recordEffect). */
  readonly effect?: boolean;
  /** The wasm calls the kernel call launched, which a replay may make instead (kernels/wasm/launches.ts). */
  launches?: readonly Launch[];
}

/** A value a replay must find unchanged: `read()` gives it (`value` when traced); guards that validate inputs throw. */
export interface Guard {
  readonly what: string;
  readonly read: () => unknown;
  readonly value: unknown;
}

/** The trace of one call. */
export class Recording {
  readonly calls: RecordedCall[] = [];
  /** Every storage allocated while tracing, in order. */
  readonly storages: Storage[] = [];
  /** The arrays of those storages as allocated, and working arrays (scratchFloat64), in order. */
  readonly arrays: TypedArray[] = [];
  /** Arrays that hold constants of this trace alone (compared by value between traces). */
  readonly constants = new Set<TypedArray>();
  readonly guards: Guard[] = [];
  /** Why the call cannot be replayed (empty when it can). */
  readonly refusals: string[] = [];
  /** The region scratchAt hands out, and what keeps it (and the smaller ones before it) pinned. */
  private scratch: Float32Array | null = null;
  private readonly scratchOwner = {};

  /**
   * Byte address of `bytes` bytes of scratch for a kernel call whose launches a replay repeats (kernels/wasm/
   * launches.ts), or -1 where there is no resident memory. The calls run one after another, so they share one
   * region, replaced by a larger one when a call needs more; every region stays as long as this recording.
   */
  readonly scratchAt = (bytes: number): number => {
    const floats = Math.ceil(bytes / 4);
    if (floats === 0) return this.scratch?.byteOffset ?? 0;
    if (this.scratch !== null && this.scratch.length >= floats) return this.scratch.byteOffset;
    const region = takeResident(Math.max(floats, 2 * (this.scratch?.length ?? 0)), false);
    if (region === null) return -1;
    adoptPinned(this.scratchOwner, region);
    this.scratch = region;
    return region.byteOffset;
  };

  /** Whether `storage` was allocated during this trace. */
  allocatedHere(storage: Storage): boolean {
    return this.storages.includes(storage);
  }

  /** The index in `arrays` of the array `view` shows part of (itself, or a subarray of it), or -1. */
  arrayShownBy(view: TypedArray): number {
    const k = this.arrays.indexOf(view);
    if (k >= 0) return k;
    for (let i = 0; i < this.arrays.length; i++) {
      const a = this.arrays[i];
      if (a.buffer === view.buffer && view.byteOffset >= a.byteOffset && view.byteOffset + view.byteLength <= a.byteOffset + a.byteLength) return i;
    }
    return -1;
  }
}

let active: Recording | null = null;

/** Arrays a captured step replays with: their storage is never recycled or moved (see `isPinned`). */
const pinned = new WeakSet<object>();

/** The trace in progress, or null. */
export function activeRecording(): Recording | null {
  return active;
}

/** Makes `r` the trace in progress (null ends it); returns the previous one. */
export function setActiveRecording(r: Recording | null): Recording | null {
  const previous = active;
  active = r;
  return previous;
}

/**
 * Whether a captured step replays with `storage`'s array: backends neither recycle nor move such storage (they
 * let the garbage collector end it, once the step and every tensor on it are gone).
 */
export function isPinned(storage: Storage): boolean {
  return pinned.has(storage.data);
}

/** Marks `array` as a captured step's. */
export function pinArray(array: TypedArray): void {
  pinned.add(array);
}

/**
 * Runs `fn(...args)`, recorded for replay when a trace is in progress (JavaScript that writes tensor memory, or
 * that checks a kernel's result). The kernels fn calls are its own: they are not recorded apart. A call must
 * name all the memory it touches: in `args`, or else in `memory` (see RecordedCall).
 */
export function recordCall<A extends unknown[], R>(name: string, fn: (...args: A) => R, args: A, memory?: readonly unknown[]): R {
  const r = active;
  if (r === null) return fn(...args);
  r.calls.push({ fn: fn as RecordedCall['fn'], args, name, memory });
  active = null;
  try {
    return fn(...args);
  } finally {
    active = r;
  }
}

/**
 * Runs `fn(...args)`, which sets JavaScript state that a replay must set again (autograd's `.grad` of a leaf),
 * recorded as an effect: when the check of a first replay fails, the eager call's effects are run again to
 * restore its state.
 */
export function recordEffect<A extends unknown[]>(name: string, fn: (...args: A) => void, args: A): void {
  if (active !== null) active.calls.push({ fn: fn as RecordedCall['fn'], args, name, effect: true });
  fn(...args);
}

/**
 * Notes new storage (the step's, pinned); a zero-filled one is zero-filled again by every replay (its last
 * replay left values).
 */
export function noteAllocation(storage: Storage, zeroFilled: boolean): void {
  if (active === null) return;
  active.storages.push(storage);
  active.arrays.push(storage.data);
  // Pinned at once: storage recycled later in the same call must not go back to a pool (it stays the step's).
  pinned.add(storage.data);
  if (zeroFilled) active.calls.push({ fn: zeroFill as RecordedCall['fn'], args: [storage.data], name: 'zero-fill of new storage' });
}

/**
 * A new zero-filled Float64Array for a kernel's working values (statistics, accumulators). In a trace it is
 * memory of the step, zero-filled again by every replay.
 */
export function scratchFloat64(n: number): Float64Array {
  const array = new Float64Array(n);
  if (active !== null) {
    active.arrays.push(array);
    active.calls.push({ fn: zeroFill as RecordedCall['fn'], args: [array], name: 'zero-fill of working memory' });
  }
  return array;
}

function zeroFill(array: TypedArray): void {
  // In wasm memory (shared) by the wasm kernel: V8's fill of a shared buffer is several times slower.
  if (isResident(array)) zeroResident(array.byteOffset, array.length);
  else array.fill(0);
}

/**
 * The array a number operand is handed to a kernel in: `shared` (reused by every call) unless a trace is in
 * progress, which gives each call its own (a replay repeats the call without the JavaScript that fills it).
 */
export function scalarOperand(shared: Float64Array, value: number): Float64Array {
  if (active === null) {
    shared[0] = value;
    return shared;
  }
  const own = Float64Array.of(value);
  active.constants.add(own);
  return own;
}

/** Notes that JavaScript wrote constants into `array` (a replay writes the same values again). */
export function recordConstant(name: string, array: TypedArray): void {
  if (active !== null) active.calls.push({ fn: writeValues as RecordedCall['fn'], args: [array, Array.from(array, Number)], name });
}

function writeValues(array: TypedArray, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) array[i] = values[i];
}

/** Bumps `storage.version` (an in-place write), recorded so that a replay bumps it too. */
export function bumpVersion(storage: Storage): void {
  if (active !== null) active.calls.push({ fn: increment as RecordedCall['fn'], args: [storage], name: 'version bump' });
  storage.version++;
}

function increment(storage: Storage): void {
  storage.version++;
}

/**
 * Says that the traced call did something a replay cannot repeat (`what`: "item() reads a value", ...). The
 * call itself goes on eagerly; the step is not captured.
 */
export function refuseCapture(what: string): void {
  if (active !== null) active.refusals.push(what);
}

/**
 * Registers a check that a replay repeats before running: `read()` is called now and before every replay, and
 * a replay runs only while it returns the same value (deep equality of numbers, strings and booleans, identity
 * of objects); a read that throws (an input that fails validation) throws from the replay before anything ran.
 * `reads` are the tensors' storages read: storage computed inside the step is refused (its values at guard
 * time would be the last replay's).
 */
export function captureGuard(what: string, read: () => unknown, reads: readonly Storage[] = []): void {
  if (active === null) return;
  if (reads.some((s) => active!.allocatedHere(s))) {
    refuseCapture(`${what} reads values computed inside the step`);
    return;
  }
  active.guards.push({ what, read, value: readAsGuard(active, read) });
}

/**
 * `read()`, which reads tensor values (an input's validation): outside a trace, simply its value; in a trace, a
 * guard (see captureGuard) that every replay repeats, so a replay validates its inputs too.
 */
export function guardedRead<T>(what: string, read: () => T, reads: readonly Storage[]): T {
  if (active === null) return read();
  const before = active.guards.length;
  captureGuard(what, read, reads);
  return active.guards.length > before ? (active.guards[before].value as T) : read();
}

/** `read()` outside the trace: a guard's reads (of values, through kernels) are repeated by every replay instead. */
function readAsGuard(r: Recording, read: () => unknown): unknown {
  active = null;
  try {
    return read();
  } finally {
    active = r;
  }
}
