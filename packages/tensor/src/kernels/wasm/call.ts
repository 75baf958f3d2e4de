// The operands of one wasm kernel call. An operand whose array is resident (a view of the wasm memory, see
// resident.ts) is read or written in place at its own address; any other array is copied into the call arena
// before the call and, for an output, copied back out after it. Kernels declare their operands, `place()` them,
// call the wasm export with the addresses, and `finish()`.
import { align4, f32, isResident, reserveArena, selectInstance, sharedIsCheaper, zeroFloats } from './instance.js';

/** An operand's byte address in wasm memory, known once its call is placed. */
export interface Operand {
  at: number;
}

/** How an output's region starts: unspecified (the kernel writes all of it), zeros, or the array's values (it accumulates). */
export type OutputStart = 'unset' | 'zero' | 'values';

interface Entry {
  readonly operand: Operand;
  readonly array: Float32Array | null;
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

  /** An operand the kernel only reads: array[offset, offset + length). */
  input(array: Float32Array, offset: number, length: number): Operand {
    return this.add(array, offset, length, false, 'unset');
  }

  /**
   * An operand the kernel writes (and, with start 'values', reads first): array[offset, offset + length). With
   * `over` (an input of the same length that the kernel can overwrite as it goes) and start 'unset', a
   * non-resident output takes that input's arena region when the input was copied there too: the copy out then
   * reads memory the kernel just wrote, still in cache.
   */
  output(array: Float32Array, offset: number, length: number, start: OutputStart, over?: Operand): Operand {
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
   */
  place(threaded = false): boolean {
    // Floats each side would copy: an output that starts with its values is copied in and out.
    let resident = 0;
    let other = 0;
    for (const e of this.entries) {
      e.resident = e.array !== null && isResident(e.array);
      if (e.array === null) continue;
      const copies = e.output && e.start === 'values' ? 2 * e.length : e.length;
      if (e.resident) resident += copies;
      else other += copies;
    }
    const shared = threaded || sharedIsCheaper(resident, other);
    if (!selectInstance(shared)) return false;
    let floats = 0;
    for (const e of this.entries) {
      e.staged = !shared || !e.resident || (!e.output && this.overlapsOutput(e));
      if (e.staged && e.over !== null && e.over.staged && e.start === 'unset') {
        e.operand.at = e.over.operand.at;
      } else if (e.staged) {
        e.operand.at = floats;
        floats += align4(e.length);
      } else {
        e.operand.at = e.array!.byteOffset + e.offset * 4;
      }
    }
    const base = reserveArena(floats * 4);
    if (base < 0) return false;
    const view = f32();
    for (const e of this.entries) {
      if (!e.staged) {
        if (e.output && e.start === 'zero') zeroFloats(e.operand.at, e.length);
        continue;
      }
      e.operand.at = base + e.operand.at * 4;
      if (e.array === null) continue;
      const first = e.operand.at >> 2;
      if (!e.output || e.start === 'values') view.set(e.array.subarray(e.offset, e.offset + e.length), first);
      else if (e.start === 'zero') zeroFloats(e.operand.at, e.length);
    }
    return true;
  }

  /** Copies the outputs that went through the arena back to their arrays. */
  finish(): void {
    const view = f32();
    for (const e of this.entries) {
      if (!e.staged || !e.output) continue;
      const first = e.operand.at >> 2;
      e.array!.set(view.subarray(first, first + e.length), e.offset);
    }
  }

  private add(
    array: Float32Array | null, offset: number, length: number, output: boolean, start: OutputStart, over: Entry | null = null,
  ): Operand {
    const operand = { at: 0 };
    this.entries.push({ operand, array, offset, length, output, start, over, resident: false, staged: true });
    return operand;
  }

  /** Whether resident input e shares memory with a resident output of this call. */
  private overlapsOutput(e: Entry): boolean {
    const lo = e.array!.byteOffset + e.offset * 4;
    const hi = lo + e.length * 4;
    return this.entries.some((o) => {
      // Views of the memory before and after a grow have different buffers but the same addresses.
      if (!o.output || !o.resident) return false;
      const oLo = o.array!.byteOffset + o.offset * 4;
      return oLo < hi && lo < oLo + o.length * 4;
    });
  }
}
