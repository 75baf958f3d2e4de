// The signature of a trace: each recorded call written out with its arguments in a form that two traces of a
// step share exactly when a replay of one would do what the other did. Numbers and strings by value; memory by
// where it comes from: the k-th storage this trace allocated (`a3`), or, for memory that was there before the
// step (parameters, optimizer state, inputs), the very object (`p12`: the same object in both traces); objects
// by their fields. Two traces of a step whose learning rate or bias correction changes from call to call, or
// whose ops depend on values, differ here.
import { DISPATCH } from '../dispatch.js';
import { ArrayStorage } from '../storage.js';
import { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import type { Recording } from './recording.js';

/** Numbers for objects met in traces of one compiled function (the same object has the same number in each). */
export class ObjectIds {
  private readonly ids = new WeakMap<object, number>();
  private next = 0;
  of(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.next++));
    return id;
  }
}

/** One line per recorded call, then the guards' values and the output. */
export function signatureOf(r: Recording, output: unknown, ids: ObjectIds): string[] {
  const storageIndex = new Map<object, number>();
  r.storages.forEach((s, k) => storageIndex.set(s, k));
  const arrayIndex = new Map<object, number>();
  r.arrays.forEach((a, k) => arrayIndex.set(a, k));
  // A view cut from an array of this trace (a subarray) is that array at an offset; any other view is the
  // memory it shows, from before the step.
  const viewOf = (v: TypedArray): string => {
    const k = r.arrayShownBy(v);
    if (k >= 0) return `a${k}+${v.byteOffset - r.arrays[k].byteOffset}:${v.length}`;
    return `m${ids.of(v.buffer)}@${v.byteOffset}:${v.length}${v.constructor === Float32Array ? 'f' : v.constructor.name}`;
  };
  const write = (v: unknown, seen: Set<object>): string => {
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v !== 'object' && typeof v !== 'function') return String(v);
    if (v === null) return 'null';
    if (typeof v === 'function') return `f${ids.of(v)}`;
    if (ArrayBuffer.isView(v)) {
      if (r.constants.has(v as never)) return `c[${Array.from(v as unknown as ArrayLike<number>).join(',')}]`;
      const k = arrayIndex.get(v);
      return k === undefined ? viewOf(v as unknown as TypedArray) : `a${k}`;
    }
    if (v instanceof ArrayStorage) {
      const k = storageIndex.get(v);
      return k === undefined ? `p${ids.of(v)}` : `s${k}`;
    }
    if (v instanceof Tensor) return `T(${write(v.storage, seen)};${v.shape};${v.strides};${v.offset};${v.dtype})`;
    if (seen.has(v)) return `cycle${ids.of(v)}`;
    seen.add(v);
    try {
      if (Array.isArray(v)) return `[${v.map((x) => write(x, seen)).join(',')}]`;
      // A tensor-like (autograd's Variable): made in this trace, it is its tensor; from before, itself.
      if (DISPATCH in v) {
        const data = (v as { data?: unknown }).data;
        return data instanceof Tensor && storageIndex.has(data.storage) ? `V${write(data, seen)}` : `p${ids.of(v)}`;
      }
      return `{${Object.entries(v).map(([k, x]) => `${k}:${write(x, seen)}`).join(',')}}`;
    } finally {
      seen.delete(v);
    }
  };
  // Declared memory is where the call works, not what it is told: tensors by their storage, objects themselves.
  const where = (m: unknown): string => (m instanceof Tensor ? write(m, new Set()) : typeof m === 'object' && m !== null ? `p${ids.of(m)}` : write(m, new Set()));
  const lines = r.calls.map((c) =>
    `${c.name} ${write(c.fn, new Set())}(${c.args.map((a) => write(a, new Set())).join(', ')})${c.memory ? ` on ${c.memory.map(where).join(',')}` : ''}`);
  for (const g of r.guards) lines.push(`guard ${g.what}: ${write(g.value, new Set())}`);
  lines.push(`output ${write(output, new Set())}`);
  return lines;
}

/** The first line where two signatures differ, shortened for a message; null when they are the same. */
export function firstDifference(a: readonly string[], b: readonly string[]): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      const cut = (s: string | undefined): string => (s === undefined ? '(nothing)' : s.length > 160 ? `${s.slice(0, 160)}...` : s);
      return `call ${i + 1}: ${cut(a[i])} then ${cut(b[i])}`;
    }
  }
  return null;
}
