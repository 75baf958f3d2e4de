// tidy(fn) and keep(): memory fn allocated and did not hand out goes back to the pool, so the next allocation of
// that size reuses the very same array; what fn returns or keeps survives with its values; a tensor used after
// its scope released it throws instead of reading someone else's numbers. Shapes are 64x64 floats (16 KB, the
// smallest size the pool keeps); smaller tensors are left to the garbage collector and stay readable.
import { describe, expect, it } from 'vitest';
import { ArgumentError, DISPATCH, MinigradError, type Tensor, keep, randn, tensor, tidy, zeros } from '../src/index.js';

const N = 64;
const values = (t: Tensor) => Array.from(t.toTypedArray());

describe('tidy', () => {
  it('returns what fn returns, and gives the memory of everything else back to the pool', () => {
    let inner: Tensor | undefined;
    const arrays: ArrayBufferView[] = [];
    const out = tidy(() => {
      const r = randn([N, N]);
      inner = r.mul(2);
      const result = inner.add(1);
      // (The returned tensor's first array too: the wasm backend moves it out of the scope's memory.)
      arrays.push(r.data, inner.data, result.data);
      return result;
    });
    expect(out.shape).toEqual([N, N]);
    // The next allocations of that size in a scope take the pooled memory: the very memory r and inner used (in
    // a scope, because the wasm backend gives scopes storage of its own, resident.test.ts; its views are new).
    const reused = (a: ArrayBufferView) => arrays.some((b) => b.buffer === a.buffer && b.byteOffset === a.byteOffset);
    tidy(() => {
      expect(reused(zeros([N, N]).data)).toBe(true);
      expect(reused(zeros([N, N]).data)).toBe(true);
    });
    expect(inner!.storage.size).toBe(0);
    expect(() => inner!.sum()).toThrow(MinigradError);
    expect(() => inner!.sum()).toThrow(/released when the tidy\(\) scope that made it ended/);
  });

  it('keeps the values of what it returns, through arrays, plain objects, Maps and tensor-likes', () => {
    const like = (t: Tensor) => ({ [DISPATCH]: () => undefined, data: t });
    const out = tidy(() => {
      const a = randn([N, N]);
      return { list: [a, a.mul(2)], nested: { m: new Map([['k', a.add(3)]]) }, wrapped: like(a.neg()) };
    });
    const snapshot = [values(out.list[0]), values(out.list[1]), values(out.nested.m.get('k')!), values(out.wrapped.data)];
    for (let i = 0; i < 8; i++) zeros([N, N]).fill(9);
    expect([values(out.list[0]), values(out.list[1]), values(out.nested.m.get('k')!), values(out.wrapped.data)]).toEqual(snapshot);
  });

  it('keeps a view fn returns (its storage survives) and what keep() marked', () => {
    let kept: Tensor | undefined;
    const view = tidy(() => {
      kept = keep(randn([N, N]));
      return randn([N, N]).transpose(0, 1).narrow(0, 0, 3);
    });
    const snapshot = [values(view), values(kept!)];
    for (let i = 0; i < 8; i++) zeros([N, N]).fill(9);
    expect([values(view), values(kept!)]).toEqual(snapshot);
  });

  it('toTypedArray() inside a scope returns an array the caller owns, whatever the scope releases', () => {
    const copies = tidy(() => {
      const a = randn([N, N]);
      return [a.toTypedArray(), a.t().toTypedArray(), a.sum().toTypedArray()];
    });
    const snapshot = copies.map((c) => Array.from(c));
    for (let i = 0; i < 4; i++) tidy(() => zeros([N, N]).fill(9).add(1));
    expect(copies.map((c) => Array.from(c))).toEqual(snapshot);
    expect(copies.some((c) => c.buffer instanceof SharedArrayBuffer)).toBe(false);
  });

  it('never recycles an array the user handed in', () => {
    const mine = new Float32Array(N * N).fill(5);
    tidy(() => {
      tensor(mine).add(1);
    });
    expect(zeros([N * N]).data).not.toBe(mine);
    expect(mine[0]).toBe(5);
  });

  it('leaves tensors made before the scope alone', () => {
    const before = randn([N, N]);
    const snapshot = values(before);
    tidy(() => before.mul(3).sum());
    for (let i = 0; i < 4; i++) zeros([N, N]).fill(9);
    expect(values(before)).toEqual(snapshot);
  });

  it('nests: what an inner scope returns belongs to the outer one, which releases it unless returned', () => {
    let fromInner: Tensor | undefined;
    const out = tidy(() => {
      fromInner = tidy(() => randn([N, N]).mul(2));
      expect(fromInner.storage.size).toBe(N * N);
      return fromInner.sum();
    });
    expect(out.item()).toBeTypeOf('number');
    expect(fromInner!.storage.size).toBe(0);
  });

  it('releases what fn made when fn throws, and rethrows', () => {
    let made: Tensor | undefined;
    expect(() =>
      tidy(() => {
        made = randn([N, N]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(made!.storage.size).toBe(0);
  });

  it('refuses an async fn, after closing its scope', async () => {
    expect(() => tidy(async () => randn([N, N]))).toThrow(ArgumentError);
    expect(() => tidy(async () => 1)).toThrow(/returned a Promise/);
    // The scope is closed: a later allocation is not tracked by it.
    const after = randn([N, N]);
    tidy(() => 1);
    expect(after.storage.size).toBe(N * N);
  });

  it('refuses a non-function', () => {
    expect(() => tidy(3 as unknown as () => number)).toThrow(ArgumentError);
  });

  it('keep outside every scope is a no-op that returns its argument', () => {
    const t = zeros([2]);
    expect(keep(t)).toBe(t);
    expect(keep(null)).toBeNull();
  });
});
