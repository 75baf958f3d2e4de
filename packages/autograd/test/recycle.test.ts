// The engine hands the storage of gradient buffers it owns back to the backend's pool once consumed (see
// engine.ts, recycle). These tests run each graph twice, with a backend that recycles (and counts the calls)
// and with one that has no recycle, and check that the results are bit-identical and that every tensor the
// user can reach (kept by a hook, retained, returned by grad(), a leaf's .grad) still holds its values after
// the pool's arrays were handed out again and overwritten. Sizes are 64x64 floats (16 KB, the smallest the
// pool keeps) so that it really reuses the arrays; a wrongly pooled tensor is also emptied (size 0).
import { type Backend, type Tensor, getBackend, jsBackend, manualSeed, setBackend, wasmAvailable, wasmBackend, zeros } from '@minigrad/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { type Variable, detectAnomaly, grad, randn } from '../src/index.js';

const N = 64;
const values = (t: Tensor) => Array.from(t.toTypedArray() as Float32Array);

let recycled = 0;
const withPool = (base: Backend): Backend => ({
  name: base.name,
  alloc: base.alloc,
  fromArray: base.fromArray,
  recycle(storage) {
    recycled++;
    base.recycle!(storage);
  },
});
const withoutPool = (base: Backend): Backend => ({ name: base.name, alloc: base.alloc, fromArray: base.fromArray });

/** Takes every pooled array of the sizes used here and overwrites it, as the next step's activations would. */
function churn(): void {
  const held: Tensor[] = [];
  for (let i = 0; i < 16; i++) for (const shape of [[N, N], [N / 2, N * 2], [N, 1]]) held.push(zeros(shape).fill(9));
}

/** What one scenario leaves within the user's reach. */
type Reachable = (Variable | null)[];

interface Run {
  reach: Tensor[];
  snapshot: number[][];
  recycled: number;
}

function run(backend: Backend, scenario: () => Reachable): Run {
  const previous = getBackend();
  setBackend(backend);
  recycled = 0;
  try {
    manualSeed(7);
    const reach = scenario().map((v) => v!.data);
    const snapshot = reach.map(values);
    const count = recycled;
    churn();
    return { reach, snapshot, recycled: count };
  } finally {
    setBackend(previous);
  }
}

/** Runs with and without the pool; returns how many buffers were recycled. */
function check(base: Backend, scenario: () => Reachable): number {
  const off = run(withoutPool(base), scenario);
  const on = run(withPool(base), scenario);
  expect(on.snapshot).toEqual(off.snapshot);
  on.reach.forEach((t, i) => {
    expect(t.storage.size).toBeGreaterThan(0);
    expect(values(t)).toEqual(on.snapshot[i]);
  });
  return on.recycled;
}

/** x @ w -> relu -> @ w2 -> sum: matmul and relu return fresh gradients, so the engine owns buffers. */
function chain() {
  const x = randn([N, N], { requiresGrad: true });
  const w = randn([N, N], { requiresGrad: true });
  const w2 = randn([N, N], { requiresGrad: true });
  const a = x.matmul(w);
  const r = a.relu();
  return { x, w, w2, a, r, loss: () => r.matmul(w2).sum() };
}

const bases = wasmAvailable() ? [jsBackend, wasmBackend] : [jsBackend];

for (const base of bases) {
  describe(`gradient recycling [backend ${base.name}]`, () => {
    afterEach(() => expect(getBackend().recycle).toBeDefined());

    it('recycles consumed gradients and keeps leaf gradients', () => {
      const n = check(base, () => {
        const { x, w, w2, loss } = chain();
        loss().backward();
        return [x.grad, w.grad, w2.grad];
      });
      expect(n).toBeGreaterThan(0);
    });

    it('never recycles a gradient a hook kept, nor a view a hook returned', () => {
      check(base, () => {
        const { x, a, r, loss } = chain();
        let seenR: Variable | null = null;
        let seenA: Variable | null = null;
        r.registerHook((g) => {
          seenR = g;
        });
        a.registerHook((g) => {
          seenA = g;
          return g.reshape([N * N]).reshape([N, N]);
        });
        loss().backward();
        return [seenR, seenA, x.grad];
      });
    });

    it('never recycles a retained gradient', () => {
      check(base, () => {
        const { w, a, r, loss } = chain();
        a.retainGrad();
        r.retainGrad();
        loss().backward();
        return [a.grad, r.grad, w.grad];
      });
    });

    it('never recycles what grad() returns', () => {
      check(base, () => {
        const { x, a, r, loss } = chain();
        return grad([loss()], [r, a, x]);
      });
    });

    it('gives the same double backward under createGraph', () => {
      check(base, () => {
        const { x, w, w2, loss } = chain();
        const [gx] = grad([loss()], [x], { createGraph: true });
        gx!.mul(gx!).sum().backward();
        return [gx, w.grad, w2.grad];
      });
    });

    it('keeps gradients that pass through add, views and expand', () => {
      check(base, () => {
        const { x, w, a } = chain();
        const b = randn([N * 2, 1], { requiresGrad: true });
        const w3 = randn([N / 2, N], { requiresGrad: true });
        // reshape and t pass the (owned) gradient on as a view; add returns it twice; expand sums it back.
        const v = a.reshape([N / 2, N * 2]).t().add(b.expand([N * 2, N / 2]));
        v.add(v.mul(2)).matmul(w3).sum().backward();
        return [x.grad, w.grad, b.grad, w3.grad];
      });
    });

    it('accumulates a gradient used by two consumers', () => {
      check(base, () => {
        const { x, w, w2, r } = chain();
        r.matmul(w2).add(r.relu().matmul(w2.t())).sum().backward();
        return [x.grad, w.grad, w2.grad];
      });
    });

    it('accumulates a leaf over two backward calls without touching the first .grad', () => {
      check(base, () => {
        const { x, w, w2, r } = chain();
        r.matmul(w2).sum().backward();
        const first = x.grad;
        x.matmul(w).relu().matmul(w2).sum().backward();
        return [first, x.grad, w.grad];
      });
    });

    it('recycles a leaf gradient that arrives as a transposed view (stored as a copy)', () => {
      check(base, () => {
        const x = randn([N, N], { requiresGrad: true });
        const w = randn([N, N], { requiresGrad: true });
        x.matmul(w.t()).relu().sum().backward();
        return [x.grad, w.grad];
      });
    });

    it('backwards twice through a retained graph', () => {
      check(base, () => {
        const { x, w, loss } = chain();
        const l = loss();
        l.backward({ retainGraph: true });
        const first = w.grad;
        l.backward();
        return [first, x.grad, w.grad];
      });
    });

    it('gives the same results in anomaly mode', () => {
      check(base, () =>
        detectAnomaly(() => {
          const { x, w, w2, loss } = chain();
          loss().backward();
          return [x.grad, w.grad, w2.grad];
        }),
      );
    });

    it('keeps a leaf gradient a hook on the leaf kept', () => {
      check(base, () => {
        const { x, w, loss } = chain();
        let seen: Variable | null = null;
        w.registerHook((g) => {
          seen = g;
        });
        const l = loss();
        l.backward({ retainGraph: true });
        l.backward();
        return [seen, x.grad, w.grad];
      });
    });
  });
}
