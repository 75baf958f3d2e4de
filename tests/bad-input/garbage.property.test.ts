// Generated garbage (wrong types incl. Symbol and BigInt, NaN, +-Infinity, negative and fractional sizes,
// strings for numbers and booleans, null/undefined, objects whose toString throws, unknown option names incl.
// PyTorch's snake_case spellings) thrown at every public function, constructor, method and option of every
// package (the specs in garbage-surface.ts). Each call must throw a MinigradError or return a result with
// no NaN the inputs did not contain; an unknown option name must be rejected, naming it. A TypeError or
// RangeError from deep inside is a failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinigradError, Tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { NOT_USER_INPUT, isOptions, publicSurface, surface, surfaceGaps } from './garbage-surface.js';

const throwingToString = { toString(): string { throw new Error('toString called'); } };
const GARBAGE: unknown[] = [
  NaN, Infinity, -Infinity, -1, 0, 1, 3, 2.5, -0.5, 1e12, 2 ** 53, -(2 ** 31), null, undefined, true, false,
  'false', '1', '0.1', '', [], [2, -1], [1.5], [NaN], ['2'], [[1], [2, 3]], {}, { bogus: 1 }, () => 1, Symbol('s'), 10n,
  throwingToString, Object.create(null), new Date(0), new Float32Array(2), Tensor.zeros([3], 'float32').fill(1),
];
/** Option names that are not minigrad's (typos and PyTorch's snake_case). */
const UNKNOWN_KEYS = ['bogus', 'label_smoothing', 'unbiased', 'ceil_mode', 'count_include_pad', 'keepdim', 'weight_decay', 'requires_grad', 'dim'];

/** Whether a value holds a NaN or an infinity (then a NaN result may be the right answer). */
function nonFinite(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (depth > 3 || v === null || typeof v !== 'object') return false;
  if (v instanceof Variable) return nonFinite(v.data, depth);
  if (v instanceof Tensor) return (v.dtype === 'float32' || v.dtype === 'float64') && Array.from(v.toTypedArray() as Float64Array).some((e) => !Number.isFinite(e));
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<unknown>).some((e) => nonFinite(e, depth + 1));
  return Object.values(v).some((e) => nonFinite(e, depth + 1));
}
function hasNaN(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return Number.isNaN(v);
  if (depth > 3 || v === null || typeof v !== 'object') return false;
  if (v instanceof Variable) return hasNaN(v.data, depth);
  if (v instanceof Tensor) return (v.dtype === 'float32' || v.dtype === 'float64') && v.numel() <= 1 << 20 && Array.from(v.toTypedArray() as Float64Array).some(Number.isNaN);
  if (Array.isArray(v)) return v.some((e) => hasNaN(e, depth + 1));
  if (Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).some((e) => hasNaN(e, depth + 1));
  return false;
}

type Mutation = { pos: number; value: unknown; key?: number; unknownKey?: string };

/**
 * Applies mutations to fresh valid arguments: replace an argument, one value of an options object, or add an
 * option name. `unknown` lists the added names the call must reject (when nothing else was garbled).
 */
function mutate(args: unknown[], muts: Mutation[]): { args: unknown[]; unknown?: string[] } {
  const out = [...args];
  const options = args.map(isOptions);
  const added = new Map<number, string[]>();
  let other = false;
  for (const m of muts) {
    const pos = m.pos % Math.max(1, out.length);
    if (options[pos] && m.key !== undefined) {
      const copy: Record<string, unknown> = { ...(out[pos] as object) };
      const keys = Object.keys(args[pos] as object);
      if (m.unknownKey !== undefined && !keys.includes(m.unknownKey)) {
        copy[m.unknownKey] = m.value;
        added.set(pos, [...(added.get(pos) ?? []), m.unknownKey]);
      } else if (keys.length > 0) {
        copy[m.unknownKey ?? keys[m.key % keys.length]] = m.value;
        other = true;
      }
      out[pos] = copy;
    } else {
      out[pos] = m.value;
      options[pos] = false;
      other = true;
    }
  }
  // With garbage anywhere else too, that may be what the error is about.
  const unknown = !other && added.size === 1 && options[[...added.keys()][0]] ? [...added.values()][0] : undefined;
  return { args: out, unknown };
}

/** Runs one garbage call; returns a description of what went wrong, or null. */
function check(name: string, muts: Mutation[]): string | null {
  const spec = surface[name];
  const { args, unknown } = mutate(spec.args(), muts);
  let out: unknown;
  try {
    out = spec.call(...args);
  } catch (e) {
    if (!(e instanceof MinigradError)) return `threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}`;
    if (unknown !== undefined && !unknown.some((k) => e.message.includes(`'${k}'`))) return `unknown option '${unknown.join("', '")}' not named: ${e.message}`;
    return null;
  }
  if (unknown !== undefined) return `unknown option '${unknown.join("', '")}' accepted`;
  if (hasNaN(out) && !nonFinite(args)) return 'returned a NaN the inputs did not contain';
  return null;
}

function show(v: unknown): string {
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v) + (typeof v === 'bigint' ? 'n' : '');
  if (v === throwingToString) return '{toString throws}';
  if (typeof v === 'function') return 'fn';
  try { return JSON.stringify(v) ?? String(v); } catch { return Object.prototype.toString.call(v); }
}

describe('garbage in: a MinigradError or a correct result out', () => {
  it('every public function, constructor and method has a garbage spec (or a reason it takes no user input)', () => {
    expect(surfaceGaps()).toEqual([]);
  });

  it('every spec runs as written (the valid call succeeds)', () => {
    const failed = Object.keys(surface).flatMap((name) => {
      const r = check(name, []);
      return r === null ? [] : [`${name}: ${r}`];
    });
    expect(failed).toEqual([]);
  });

  it(`sweep: each argument and each option of ${Object.keys(surface).length} entries replaced by each garbage value, each unknown option added`, { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    for (const name of Object.keys(surface)) {
      const base = surface[name].args();
      const positions = Math.max(1, base.length);
      for (let pos = 0; pos < positions; pos++) {
        for (const value of GARBAGE) {
          const r = check(name, [{ pos, value }]);
          if (r) failures.push(`${name} arg ${pos} = ${show(value)}: ${r}`);
        }
        if (!isOptions(base[pos])) continue;
        const keys = Object.keys(base[pos] as object);
        for (let key = 0; key < keys.length; key++) {
          for (const value of GARBAGE) {
            const r = check(name, [{ pos, value, key }]);
            if (r) failures.push(`${name} ${keys[key]} = ${show(value)}: ${r}`);
          }
        }
        for (const unknownKey of UNKNOWN_KEYS) {
          if (keys.includes(unknownKey)) continue;
          const r = check(name, [{ pos, value: 0.1, key: 0, unknownKey }]);
          if (r) failures.push(`${name} arg ${pos}: ${r}`);
        }
      }
    }
    if (process.env.GARBAGE_DUMP) (await import('node:fs')).writeFileSync(process.env.GARBAGE_DUMP, failures.join('\n'));
    expect(failures.slice(0, 60), `${failures.length} failures`).toEqual([]);
  });

  it('property: several garbage arguments and options at once', { timeout: 60_000 }, () => {
    const names = Object.keys(surface);
    const mutation = fc.record(
      {
        pos: fc.nat({ max: 5 }),
        value: fc.oneof(fc.constantFrom(...GARBAGE), fc.integer({ min: -4, max: 6 }), fc.double({ min: -10, max: 10 })),
        key: fc.nat({ max: 9 }),
        unknownKey: fc.constantFrom(...UNKNOWN_KEYS),
      },
      { requiredKeys: ['pos', 'value'] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 3 }), (name, muts) => {
        const r = check(name, muts);
        if (r !== null) throw new Error(`${name}: ${r}`);
      }),
      { numRuns: 2000, seed: 1313 },
    );
  });

  it('counts', () => {
    const surfaceNames = publicSurface();
    const exempt = surfaceNames.filter((n) => NOT_USER_INPUT[n]).length;
    // Printed for the closing note: how much of the public surface the garbage reaches.
    console.log(`garbage specs: ${Object.keys(surface).length}; public names: ${surfaceNames.length}, of which ${exempt} take no user input`);
  });
});
