// A leaf's .grad that nobody has read goes back to the backend's pool when it is dropped (grad-ownership.ts).
// These tests check both halves: the memory really is reused (the next allocation of that size gets the very
// same array), and nothing a user could have reached is ever recycled: a gradient read through `.grad`, one a
// hook kept, one the user assigned. Sizes are 64x64 floats (16 KB, the smallest the pool keeps).
import { type Tensor, getBackend, jsBackend, randn as tensorRandn, setBackend, wasmAvailable, wasmBackend, zeros } from '@minigrad/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Variable, randn } from '../src/index.js';
import { dropGrad, peekGrad } from '../src/internal.js';

const N = 64;
const values = (t: Tensor) => Array.from(t.toTypedArray() as Float32Array);

/** w used twice in a small graph; backward gives w a fresh, contiguous gradient of its own. */
function leafWithGrad(): Variable {
  const w = randn([N, N], { requiresGrad: true });
  const x = randn([N, N]);
  x.matmul(w).relu().sum().backward();
  return w;
}

/** The typed array the next zero-filled allocation of w's size gets (the pool's, if it holds one). */
const nextArray = () => zeros([N, N]).data;

const bases = wasmAvailable() ? [jsBackend, wasmBackend] : [jsBackend];

for (const base of bases) {
  describe(`leaf gradient ownership [backend ${base.name}]`, () => {
    const previous = getBackend();
    beforeEach(() => setBackend(base));
    afterEach(() => setBackend(previous));

    it('hands an unread gradient back to the pool when it is dropped', () => {
      const w = leafWithGrad();
      const array = peekGrad(w)!.data.data;
      dropGrad(w);
      expect(peekGrad(w)).toBeNull();
      expect(nextArray()).toBe(array);
    });

    it('never recycles a gradient read through .grad, even if only once', () => {
      const w = leafWithGrad();
      const kept = w.grad!;
      const snapshot = values(kept.data);
      dropGrad(w);
      expect(w.grad).toBeNull();
      expect(nextArray()).not.toBe(kept.data.data);
      zeros([N, N]).fill(9);
      expect(kept.data.storage.size).toBe(N * N);
      expect(values(kept.data)).toEqual(snapshot);
    });

    it('never recycles a gradient the user assigned', () => {
      const w = randn([N, N], { requiresGrad: true });
      const mine = tensorRandn([N, N]);
      w.grad = mine;
      dropGrad(w);
      expect(nextArray()).not.toBe(mine.data);
      expect(mine.storage.size).toBe(N * N);
    });

    it('never recycles a gradient a leaf hook saw', () => {
      const w = randn([N, N], { requiresGrad: true });
      let seen: Variable | null = null;
      w.registerHook((g) => {
        seen = g;
      });
      randn([N, N]).matmul(w).sum().backward();
      const snapshot = values(seen!.data);
      dropGrad(w);
      zeros([N, N]).fill(9);
      expect(values(seen!.data)).toEqual(snapshot);
    });

    it('accumulates a second backward into an unread gradient in place, with the same values', () => {
      const w = randn([N, N], { requiresGrad: true });
      const x = randn([N, N]);
      const twice = randn([N, N], { requiresGrad: true });
      twice.data.copyFrom(w.data);
      x.matmul(w).sum().backward();
      const buffer = peekGrad(w)!;
      x.matmul(w).sum().backward();
      expect(peekGrad(w)).toBe(buffer);
      // The same sum computed out of place, on a leaf whose gradient was read in between.
      x.matmul(twice).sum().backward();
      void twice.grad;
      x.matmul(twice).sum().backward();
      expect(values(buffer.data)).toEqual(values(twice.grad!.data));
    });

    it('leaves a gradient that was read unchanged by the next backward (a new buffer takes the sum)', () => {
      const w = randn([N, N], { requiresGrad: true });
      const x = randn([N, N]);
      x.matmul(w).sum().backward();
      const first = w.grad!;
      const snapshot = values(first.data);
      x.matmul(w).sum().backward();
      expect(w.grad).not.toBe(first);
      expect(values(first.data)).toEqual(snapshot);
    });

    it('does not recycle a gradient that is a view of a larger storage', () => {
      const w = randn([N, N], { requiresGrad: true });
      const big = tensorRandn([2 * N, N]);
      w.installGrad(new Variable(big.narrow(0, 0, N)));
      dropGrad(w);
      expect(big.storage.size).toBe(2 * N * N);
    });
  });
}
