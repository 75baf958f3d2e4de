// The operands of one wasm kernel call. An operand whose array is resident (a view of the wasm memory, see
// resident.ts) is read or written in place at its own address; any other array is copied into the call arena
// before the call and, for an output, copied back out after it. Kernels declare their operands, `place()` them,
// call the wasm export with the addresses, and `finish()`. Operands are float32 data, or float64 / int32 arrays
// of JavaScript's own (statistics, indices), which are always copied.
import { align4, isResident, reserveArena, selectInstance, sharedIsCheaper, stagingView, zeroFloats } from './instance.js';
import { type Launch, logScratch, logging, noteLaunch, spoilLaunchLog } from './launches.js';

/** An operand's byte address in wasm memory, known once its call is placed. */
export interface Operand {
  at: number;
}

/** How an output's region starts: unspecified (the kernel writes all of it), zeros, or the array's values (it accumulates). */
export type OutputStart = 'unset' | 'zero' | 'values';

/** What an operand can be: a tensor's float32 data, or JavaScript's own float64 or int32 values. */
export type OperandArray = Float32Array | Float64Array | Int32Array;

interface Entry {
  readonly operand: Operand;
  readonly array: OperandArray | null;
  readonly offset: number;
  readonly length: number;
  readonly output: boolean;
  readonly start: OutputStart;
  /** An input whose arena region this output may take, for a kernel that can write over that input. */
  readonly over: Entry | null;
  /** Whether the array is a view of the shared memory (set by place). */
  resident: boolean;
  /** Whether the operand goes through the arena (set by place). */
  staged: boolean;
}

export class KernelCall {
  private readonly entries: Entry[] = [];
  /** Whether the call was placed on the shared instance (place). */
  private shared = false;

  /** An operand the kernel only reads: array[offset, offset + length). */
  input(array: OperandArray, offset: number, length: number): Operand {
    return this.add(array, offset, length, false, 'unset');
  }

  /**
   * An operand the kernel writes (and, with start 'values', reads first): array[offset, offset + length). With
   * `over` (an input of the same length that the kernel can overwrite as it goes) and start 'unset', a
   * non-resident output takes that input's arena region when the input was copied there too: the copy out then
   * reads memory the kernel just wrote, still in cache.
   */
  output(array: OperandArray, offset: number, length: number, start: OutputStart, over?: Operand): Operand {
    return this.add(array, offset, length, true, start, over === undefined ? null : this.entries.find((e) => e.operand === over)!);
  }

  /** `floats` floats of arena for the call alone (contents unspecified). */
  scratch(floats: number): Operand {
    return this.add(null, 0, floats, false, 'unset');
  }

  /**
   * Fixes every operand's address: resident arrays in place, the rest in the arena (inputs and 'values'
   * outputs copied in, 'zero' outputs zero-filled). A resident input that overlaps a resident output is copied
   * too, so that no kernel reads memory it is writing (the copies it had before residency). False, having
   * changed nothing, when the memory is at its maximum (instance.ts): the caller runs its JS kernel instead.
   * The call runs on the shared instance when `threaded` (worker threads will share it) or when most of its
   * operands' floats are resident there; else on the module's own memory, resident operands copied like the
   * rest, whichever copies fewer floats (sharedIsCheaper): at batch 2 the linear layer's 1.6 MB weight, a
   * parameter, is copied to the own memory rather than its few resident activations being read in place.
   * While a captured step traces the call (launches.ts), it goes on the shared instance, its copies are noted
   * as launches and its staged operands and scratch take the log's scratch instead of the arena.
   */
  place(threaded = false): boolean {
    // Floats each side would copy: an output that starts with its values is copied in and out.
    let resident = 0;
    let other = 0;
    for (const e of this.entries) {
      e.resident = e.array !== null && isResident(e.array);
      if (e.array === null) continue;
      const copies = e.output && e.start === 'values' ? 2 * floatsOf(e) : floatsOf(e);
      if (e.resident) resident += copies;
      else other += copies;
    }
    // A captured step's trace (launches.ts) stages on the shared memory, in scratch of the log's own; without a
    // shared memory (a page that is not cross-origin isolated) the call is placed as usual and not logged.
    let log = logging();
    if (log && !selectInstance(true)) {
      spoilLaunchLog();
      log = false;
    }
    this.shared = log || threaded || sharedIsCheaper(resident, other);
    if (!selectInstance(this.shared)) {
      spoilLaunchLog();
      return false;
    }
    let floats = 0;
    for (const e of this.entries) {
      e.staged = !this.shared || !e.resident || (!e.output && this.overlapsOutput(e));
      if (e.staged && e.over !== null && e.over.staged && e.start === 'unset') {
        e.operand.at = e.over.operand.at;
      } else if (e.staged) {
        e.operand.at = floats;
        floats += align4(floatsOf(e));
      } else {
        e.operand.at = e.array!.byteOffset + e.offset * e.array!.BYTES_PER_ELEMENT;
      }
    }
    let base = log ? logScratch(floats * 4) : -1;
    if (base < 0) {
      spoilLaunchLog();
      base = reserveArena(floats * 4);
      if (base < 0) return false;
    }
    for (const e of this.entries) {
      if (e.staged) e.operand.at = base + e.operand.at * 4;
      if (e.array === null) continue;
      if (e.output && e.start === 'zero') zeroFloats(e.operand.at, floatsOf(e));
      else if (e.staged && (!e.output || e.start === 'values')) this.copy(copyIn, [this.shared, e.array, e.offset, e.length, e.operand.at]);
    }
    return true;
  }

  /** Copies the outputs that went through the arena back to their arrays. */
  finish(): void {
    for (const e of this.entries) {
      if (e.staged && e.output) this.copy(copyOut, [this.shared, e.operand.at, e.array!, e.offset, e.length]);
    }
  }

  /** Makes a staging copy, noted as a launch when a log is open. */
  private copy<A extends unknown[]>(fn: (...args: A) => void, args: A): void {
    noteLaunch(fn as Launch['fn'], args);
    fn(...args);
  }

  private add(
    array: OperandArray | null, offset: number, length: number, output: boolean, start: OutputStart, over: Entry | null = null,
  ): Operand {
    const operand = { at: 0 };
    this.entries.push({ operand, array, offset, length, output, start, over, resident: false, staged: true });
    return operand;
  }

  /** Whether resident input e shares memory with a resident output of this call. */
  private overlapsOutput(e: Entry): boolean {
    const lo = e.array!.byteOffset + e.offset * e.array!.BYTES_PER_ELEMENT;
    const hi = lo + floatsOf(e) * 4;
    return this.entries.some((o) => {
      // Views of the memory before and after a grow have different buffers but the same addresses.
      if (!o.output || !o.resident) return false;
      const oLo = o.array!.byteOffset + o.offset * o.array!.BYTES_PER_ELEMENT;
      return oLo < hi && lo < oLo + floatsOf(o) * 4;
    });
  }
}

/** The float32 slots an entry's region takes (a float64 takes two). */
function floatsOf(e: Entry): number {
  return e.array instanceof Float64Array ? 2 * e.length : e.length;
}

/** `length` elements of the memory of the instance `shared` says, from byte address `at`, typed as `like`. */
function regionLike(like: OperandArray, shared: boolean, at: number, length: number): OperandArray {
  selectInstance(shared);
  const view = stagingView();
  if (like instanceof Float32Array) return view.subarray(at >> 2, (at >> 2) + length);
  return like instanceof Float64Array ? new Float64Array(view.buffer, at, length) : new Int32Array(view.buffer, at, length);
}

/** Copies array[offset, offset + length) to byte address `at` of the instance `shared` says. */
function copyIn(shared: boolean, array: OperandArray, offset: number, length: number, at: number): void {
  regionLike(array, shared, at, length).set(array.subarray(offset, offset + length));
}

/** Copies `length` elements from byte address `at` of the instance `shared` says to array[offset...]. */
function copyOut(shared: boolean, at: number, array: OperandArray, offset: number, length: number): void {
  array.set(regionLike(array, shared, at, length), offset);
}
