// 10,000 forward/backward/update steps on a small MLP must not grow the heap: tapes and saved tensors
// are released once nothing refers to a step's output.
import { manualSeed } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { noGrad, randn, tensor, type Variable } from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;

async function settledHeap(): Promise<number> {
  // WeakRefs and finalizers are only cleared between jobs: yield, collect, twice.
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 0));
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

describe('memory', () => {
  it('holds a steady heap over 10,000 training steps of a small MLP', async () => {
    manualSeed(0);
    const x = randn([8, 4]);
    const y = randn([8, 2]);
    const params = [randn([4, 16]).mul(0.3), tensor(new Float32Array(16)), randn([16, 2]).mul(0.3), tensor(new Float32Array(2))].map(
      (p) => p.requiresGrad_(),
    );
    const [w1, b1, w2, b2] = params;
    const losses: number[] = [];
    const step = () => {
      const loss = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sub(y).square().mean();
      loss.backward();
      noGrad(() => {
        for (const p of params) {
          p.data.subInPlace(p.grad!.data, 0.05);
          p.grad = null;
        }
      });
      return loss;
    };
    const firstLoss = ((): WeakRef<Variable> => {
      const loss = step();
      losses.push(loss.item());
      return new WeakRef(loss);
    })();
    for (let i = 0; i < 999; i++) step();
    const before = await settledHeap();
    for (let i = 0; i < 9000; i++) step();
    const after = await settledHeap();
    losses.push(step().item());
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]); // it trains
    if (gc !== undefined) {
      expect(firstLoss.deref()).toBeUndefined();
      expect(after - before).toBeLessThan(1_000_000);
    } else {
      // Without --expose-gc only a gross leak is detectable: 9,000 retained graphs would take tens of MB.
      expect(after - before).toBeLessThan(20_000_000);
    }
  }, 30_000);
});
