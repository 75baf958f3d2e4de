// compile(fn): a captured step, in the spirit of CUDA graphs and torch.compile. The first calls run fn
// eagerly and record every call that touches tensor memory (recording.ts); once two traces agree (signature.ts)
// and a replay of the trace has been checked bit for bit against an eager run of the same call, later calls
// replay the recorded kernel calls with the same buffers: no op dispatch, no autograd bookkeeping, no
// allocation. What a replay cannot repeat (a value read in JavaScript, random numbers, hooks, calls that differ
// from trace to trace) leaves fn running eagerly, with the reason in `compiled.reason`.
//
// The contract, as for CUDA graphs: a replay returns the same output tensors every time (the next call
// overwrites them), and runs on the tensors of its trace. Tensor arguments are copied into tensors of the
// compiled function's own (slots.ts), so a fresh batch may be passed every call; tensors fn reads from its
// closure must be written in place (`x.copyFrom(batch)`). A call with arguments of other shapes, or after a
// guarded setting changed (train/eval, the backend, the conv algorithm, a module's attribute), traces again.
import { scopes } from '../allocation-scope.js';
import { backendOf, getBackend } from '../backend.js';
import { getConvAlgorithm } from '../conv-algorithm.js';
import { DISPATCH } from '../dispatch.js';
import type { TypedArray } from '../dtype.js';
import { ArgumentError, CaptureError, fmtShape } from '../errors.js';
import { wasmThreads } from '../kernels/wasm/threads.js';
import type { Storage } from '../storage.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tidy } from '../tidy.js';
import { checkFunction, checkOptions, isThenable } from '../validate.js';
import { type Guard, type RecordedCall, Recording, activeRecording, pinArray, refuseCapture, setActiveRecording } from './recording.js';
import { ObjectIds, firstDifference, signatureOf } from './signature.js';
import { InputSlots, tensorOf } from './slots.js';

/** Options of `compile`. */
export interface CompileOptions {
  /** Throw a CaptureError instead of running fn eagerly when it cannot be captured (PyTorch's name). */
  fullgraph?: boolean;
}

/** What a compiled function does now. */
export type CaptureMode = 'tracing' | 'replaying' | 'eager';

/** A function made by `compile`. */
export interface CompiledFunction<A extends unknown[], R> {
  (...args: A): R;
  /** 'tracing' (the first calls, and after a guard changed), 'replaying', or 'eager' (refused: see `reason`). */
  readonly mode: CaptureMode;
  /** Why fn runs eagerly for good, or what made the last replay trace again; null if nothing did. */
  readonly reason: string | null;
  /**
   * Calls so far: traced (eager and recorded), replayed, and how often a guard sent it back to tracing; and of
   * the replayed step's recorded calls, how many replay as the wasm calls they launched (`directCalls`, see
   * `replay`) and how many in all (`calls`).
   */
  readonly stats: {
    readonly traces: number; readonly replays: number; readonly recaptures: number; readonly directCalls: number; readonly calls: number;
  };
}

/** Consecutive traces that may disagree before fn is left eager. */
const MAX_TRACES = 4;
/** Times guards may send a capture back to tracing before fn is left eager (torch.compile's cache limit). */
const MAX_RECAPTURES = 8;

/** One traced call. */
interface Trace {
  readonly recording: Recording;
  readonly output: unknown;
  readonly signature: string[];
  readonly args: readonly unknown[];
  /** Per argument, the memory it stood for when traced (see `argumentMemory`). */
  readonly argMemory: readonly unknown[];
  readonly settings: string;
  /** The calls a replay makes: each recorded call, or the wasm calls it launched (see `replay`). */
  readonly direct: readonly RecordedCall[];
  /** The thread count the launches were split for. */
  readonly threads: number;
}

/**
 * Captures fn, a training or inference step over tensors of fixed shapes, and replays its kernel calls on
 * later calls (see the file comment). The replay gives the same bits as the eager call.
 *
 * ```js
 * const step = compile((x, y) => {
 *   optimizer.zeroGrad();
 *   const loss = F.crossEntropy(model.call(x), y);
 *   loss.backward();
 *   optimizer.step();
 *   return loss;                                     // overwritten by the next call
 * });
 * for (const [images, labels] of loader) console.log(step(images, labels).item());
 * ```
 */
export function compile<A extends unknown[], R>(fn: (...args: A) => R, opts: CompileOptions = {}): CompiledFunction<A, R> {
  checkFunction('compile', 'fn', fn);
  const { fullgraph = false } = checkOptions('compile', opts, ['fullgraph']);
  if (typeof fullgraph !== 'boolean') throw new ArgumentError('compile', `fullgraph must be a boolean, got ${typeof fullgraph}`);
  const ids = new ObjectIds();
  let mode: CaptureMode = 'tracing';
  let reason: string | null = null;
  const stats = { traces: 0, replays: 0, recaptures: 0 };
  let previous: Trace | null = null; // the last trace, awaiting one that agrees
  let candidate: Trace | null = null; // two traces agreed: checked against an eager run on the next call
  let plan: Trace | null = null;
  let disagreements = 0;

  const leaveEager = (why: string): void => {
    mode = 'eager';
    reason = why;
    previous = candidate = plan = null;
    if (fullgraph) throw new CaptureError('compile', `cannot capture fn: ${why} (fullgraph: true; the call ran eagerly)`);
  };

  const trace = (args: A): Trace => {
    const recording = new Recording();
    const scope: Storage[] = [];
    scopes.push(scope); // its storage is the capture's, not an enclosing tidy()'s
    const outer = setActiveRecording(recording);
    let output: unknown;
    try {
      output = fn(...args);
    } finally {
      setActiveRecording(outer);
      scopes.pop();
      keepForReplay(recording, scope);
      stats.traces++;
    }
    if (isThenable(output)) {
      output.then(undefined, () => undefined);
      recording.refusals.push('fn returned a Promise (an async function?)');
    }
    return {
      recording, output, args: args.slice(), argMemory: args.map(argumentMemory), settings: settings(),
      signature: signatureOf(recording, output, ids), direct: directCalls(recording), threads: wasmThreads(),
    };
  };

  /** Traces one call and moves the capture on: refused, agreeing with the previous trace, or not yet. */
  const traceAndCompare = (args: A): unknown => {
    const t = trace(args);
    if (t.recording.refusals.length !== 0) {
      leaveEager(t.recording.refusals[0]);
      return t.output;
    }
    const difference = previous === null ? 'first trace' : firstDifference(previous.signature, t.signature);
    if (difference === null) {
      candidate = t;
      previous = null;
      disagreements = 0;
    } else {
      previous = t;
      if (difference !== 'first trace' && ++disagreements >= MAX_TRACES) {
        leaveEager(`its calls differ from one call to the next (${difference})`);
      }
    }
    return t.output;
  };

  /** The call after two traces agreed: eager and recorded, then the candidate replayed on the same state. */
  const verify = (c: Trace, args: A): unknown => {
    const state = memoryBefore(c);
    const counters = countersOf(c);
    const saved = state.map((a) => a.slice());
    const savedCounters = counters.map(numbersOf);
    const v = trace(args);
    if (v.recording.refusals.length !== 0) {
      leaveEager(v.recording.refusals[0]);
      return v.output;
    }
    if (firstDifference(c.signature, v.signature) !== null) {
      previous = v;
      return v.output;
    }
    const eager = state.map((a) => a.slice());
    const eagerCounters = counters.map(numbersOf);
    state.forEach((a, i) => a.set(saved[i]));
    counters.forEach((o, i) => Object.assign(o, savedCounters[i]));
    replay(c);
    const mismatch = compareWithEager(c, v, state, eager) ?? (counters.every((o, i) => sameValue(numbersOf(o), eagerCounters[i])) ? null : 'a number a recorded call keeps');
    if (mismatch !== null) {
      // Back to the eager call's results: its memory and numbers, and its JavaScript effects (.grad) run again.
      state.forEach((a, i) => a.set(eager[i]));
      counters.forEach((o, i) => Object.assign(o, eagerCounters[i]));
      for (const call of v.recording.calls) if (call.effect) call.fn(...(call.args as never[]));
      leaveEager(`a replay differs from the eager call (${mismatch}): fn computes something outside the recorded calls`);
      return v.output;
    }
    plan = c;
    mode = 'replaying';
    return c.output;
  };

  const slots = new InputSlots();
  const compiled = (...callerArgs: A): R => {
    if (activeRecording() !== null) {
      refuseCapture('a compiled function was called inside the step');
      return fn(...callerArgs);
    }
    if (mode === 'eager') {
      if (fullgraph) throw new CaptureError('compile', `cannot capture fn: ${reason} (fullgraph: true)`);
      return tidy(() => fn(...callerArgs));
    }
    const args = slots.fill(callerArgs) as A;
    if (plan !== null) {
      const changed = changedGuard(plan, args);
      if (changed === null) {
        replay(plan);
        stats.replays++;
        return plan.output as R;
      }
      reason = `traced again: ${changed}`;
      plan = null;
      mode = 'tracing';
      if (++stats.recaptures > MAX_RECAPTURES) {
        leaveEager(`guards changed ${MAX_RECAPTURES} times, last: ${changed}`);
        return tidy(() => fn(...callerArgs)); // as every eager call: the caller's own tensors
      }
    }
    if (candidate !== null) {
      const c: Trace = candidate;
      candidate = null;
      if (changedGuard(c, args) === null) return verify(c, args) as R;
    }
    return traceAndCompare(args) as R;
  };
  return Object.defineProperties(compiled, {
    mode: { get: () => mode },
    reason: { get: () => reason },
    stats: {
      get: () => ({
        ...stats,
        directCalls: plan?.recording.calls.filter((c) => c.launches !== undefined).length ?? 0,
        calls: plan?.recording.calls.length ?? 0,
      }),
    },
  }) as unknown as CompiledFunction<A, R>;
}

/**
 * Repeats t's calls. A kernel call that logged its wasm launches (kernels/wasm/launches.ts) is replayed as those
 * launches alone, skipping its JavaScript (operand checks, staging, step lists), while the thread count is the
 * one they were split for; after setThreads changed it, every recorded call runs as traced.
 */
function replay(t: Trace): void {
  const calls = t.threads === wasmThreads() ? t.direct : t.recording.calls;
  for (let i = 0; i < calls.length; i++) calls[i].fn(...(calls[i].args as never[]));
}

/** r's calls with each kernel call that logged its wasm launches replaced by them. */
function directCalls(r: Recording): RecordedCall[] {
  return r.calls.flatMap((c) => (c.launches === undefined ? [c] : c.launches.map((l) => ({ ...l, name: c.name }))));
}

/** The process-wide settings a trace depends on. */
function settings(): string {
  return `${getBackend().name} ${getConvAlgorithm()}`;
}

/** What an argument stands for: a tensor's (or a tensor-like's) tensor, storage and array; else itself. */
function argumentMemory(a: unknown): unknown {
  const t = tensorOf(a);
  return t === null ? a : [t, t.storage, t.storage.data];
}

/** What keeps a replay of t from matching a call with `args` now, or null. */
function changedGuard(t: Trace, args: readonly unknown[]): string | null {
  if (args.length !== t.args.length) return `${args.length} arguments instead of ${t.args.length}`;
  for (let i = 0; i < args.length; i++) {
    if (Object.is(args[i], t.args[i]) && sameValue(argumentMemory(args[i]), t.argMemory[i])) continue;
    const was = t.args[i];
    if (typeof was !== 'object' || was === null) return `argument ${i} changed (${String(was)} -> ${String(args[i])})`;
    // A tensor argument gets a new slot (slots.ts) only for another shape or dtype.
    const a = tensorOf(was);
    const b = tensorOf(args[i]);
    if (a !== null && b !== null && (!sameShape(a.shape, b.shape) || a.dtype !== b.dtype)) return `argument ${i} changed from ${fmtShape(a.shape)} ${a.dtype} to ${fmtShape(b.shape)} ${b.dtype}`;
    return `argument ${i} is another object (a tensor that requires grad, or any other object, must be the same on every call)`;
  }
  const now = settings();
  if (now !== t.settings) return `the backend or conv algorithm changed (${t.settings} -> ${now})`;
  const guards: Guard[] = t.recording.guards;
  for (let i = 0; i < guards.length; i++) {
    if (!sameValue(guards[i].read(), guards[i].value)) return `${guards[i].what} changed`;
  }
  return null;
}

/** Deep equality of numbers, strings, booleans, arrays and plain objects; identity of anything else. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isPlain(a) && isPlain(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Keeps the memory a trace used from being reused: every array its calls name stays where it is (the storage
 * it allocated was pinned as it was allocated, see recording.ts; memory from before the step is pinned here).
 * `scope` is every storage allocated during the trace, also inside recorded calls (not the trace's).
 */
function keepForReplay(r: Recording, scope: readonly Storage[]): void {
  for (const s of r.storages) backendOf(s).pin?.(s);
  forEachArray(r, (a) => pinArray(a));
  // What a recorded call allocated for itself (its replays allocate their own) is the trace's no longer.
  const mine = new Set(r.storages);
  for (const s of scope) if (!mine.has(s)) backendOf(s).evict?.(s);
}

/** Every typed array the recorded calls name (directly or through tensors, storages, arrays and objects, and their declared memory). */
function forEachArray(r: Recording, visit: (a: TypedArray, call: number) => void): void {
  r.calls.forEach((c, i) => {
    const seen = new Set<object>();
    for (const arg of c.args) arraysIn(arg, (a) => visit(a, i), seen);
    if (c.memory) for (const m of c.memory) arraysIn(m, (a) => visit(a, i), seen);
  });
}

function arraysIn(v: unknown, visit: (a: TypedArray) => void, seen: Set<object>): void {
  if (typeof v !== 'object' || v === null || seen.has(v)) return;
  seen.add(v);
  if (ArrayBuffer.isView(v)) visit(v as unknown as TypedArray);
  else if (v instanceof Tensor) visit(v.storage.data);
  else if (isStorage(v)) visit(v.data);
  else if (Array.isArray(v)) v.forEach((x) => arraysIn(x, visit, seen));
  else if (DISPATCH in v) arraysIn((v as { data?: unknown }).data, visit, seen);
  else if (isPlain(v)) Object.values(v).forEach((x) => arraysIn(x, visit, seen));
}

function isStorage(v: object): v is Storage {
  return 'version' in v && 'data' in v && 'dtype' in v && ArrayBuffer.isView((v as Storage).data);
}

/**
 * The plain objects t's calls declare as memory (an optimizer's per-parameter state): their numbers are state
 * a recorded call changes (Adam's step count), saved and restored around the check of the first replay.
 */
function countersOf(t: Trace): Record<string, unknown>[] {
  const found = new Set<Record<string, unknown>>();
  for (const c of t.recording.calls) for (const m of c.memory ?? []) if (isPlain(m)) found.add(m);
  return [...found];
}

/** The number-valued fields of o. */
function numbersOf(o: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out[k] = v;
  return out;
}

/** The arrays from before the step that t's calls name (parameters, gradients, optimizer state, inputs). */
function memoryBefore(t: Trace): TypedArray[] {
  const found = new Set<TypedArray>();
  forEachArray(t.recording, (a) => {
    if (!t.recording.constants.has(a) && t.recording.arrayShownBy(a) < 0) found.add(a);
  });
  return [...found];
}

/**
 * Compares a replay of c with the eager call v, array by array at the same places of their calls (identical
 * signatures put the same buffer at the same place): memory from before the step against its eager values,
 * c's own buffers against v's, and the outputs. A description of the first difference, or null.
 */
function compareWithEager(c: Trace, v: Trace, before: TypedArray[], eager: TypedArray[]): string | null {
  const eagerOf = new Map<TypedArray, TypedArray>();
  before.forEach((a, i) => eagerOf.set(a, eager[i]));
  const vArrays: TypedArray[][] = v.recording.calls.map(() => []);
  forEachArray(v.recording, (a, i) => vArrays[i].push(a));
  const cArrays: TypedArray[][] = c.recording.calls.map(() => []);
  forEachArray(c.recording, (a, i) => cArrays[i].push(a));
  for (let i = 0; i < cArrays.length; i++) {
    for (let j = 0; j < cArrays[i].length; j++) {
      const replayed = cArrays[i][j];
      const expected = eagerOf.get(replayed) ?? vArrays[i][j];
      if (!sameBits(replayed, expected)) return `memory named by call ${i + 1}, '${c.recording.calls[i].name}' (array ${j + 1}${eagerOf.has(replayed) ? ', from before the step' : ''})`;
    }
  }
  const outs: TypedArray[] = [];
  const eagerOuts: TypedArray[] = [];
  arraysIn(c.output, (a) => outs.push(a), new Set());
  arraysIn(v.output, (a) => eagerOuts.push(a), new Set());
  if (outs.length !== eagerOuts.length || outs.some((a, i) => !sameBits(a, eagerOuts[i]))) return 'the output';
  return null;
}

function sameBits(a: TypedArray, b: TypedArray): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  // Compared as integers of the element's width (NaNs with the same payload are the same bits).
  const bits = (t: TypedArray): ArrayLike<number> =>
    t.BYTES_PER_ELEMENT === 1 ? new Uint8Array(t.buffer, t.byteOffset, t.length)
      : t instanceof Float64Array ? new Uint32Array(t.buffer, t.byteOffset, 2 * t.length)
        : new Uint32Array(t.buffer, t.byteOffset, t.length);
  const x = bits(a);
  const y = bits(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
