// Optimizers and clipping read gradients without marking them seen, so that zeroGrad can hand a gradient
// nobody read back to the pool (autograd's grad-ownership.ts) and the next backward reuses its memory; a
// gradient the user did read keeps its values. 64x64 floats: the smallest size the pool keeps.
import { Variable, randn } from '@minigrad/autograd';
import { peekGrad } from '@minigrad/autograd/internal';
import { randn as tensorRandn, zeros } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, SGD, clipGradNorm } from '../src/index.js';

const N = 64;

function model() {
  const w = randn([N, N], { requiresGrad: true });
  const x = tensorRandn([N, N]);
  return { w, loss: () => x.matmul(w).relu().sum() };
}

describe('gradient reuse across steps', () => {
  const optimizers: [string, (w: Variable) => SGD | Adam][] = [
    ['SGD with momentum', (w) => new SGD([w], { lr: 0.1, momentum: 0.9 })],
    ['Adam', (w) => new Adam([w], { lr: 0.01 })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: step, clipGradNorm and zeroGrad leave an unread gradient to be reused`, () => {
      const { w, loss } = model();
      const opt = make(w);
      loss().backward();
      clipGradNorm([w], 1);
      opt.step();
      const first = peekGrad(w)!.data.data;
      opt.zeroGrad();
      // The pool hands it to the next allocation of its size (in a training loop, often the next activation).
      expect(zeros([N, N]).data).toBe(first);
    });
  }

  it('a gradient the user read keeps its values through zeroGrad and the next backward', () => {
    const { w, loss } = model();
    const opt = new SGD([w], { lr: 0.1 });
    loss().backward();
    const logged = w.grad!;
    const snapshot = Array.from(logged.data.toTypedArray());
    opt.step();
    opt.zeroGrad();
    expect(zeros([N, N]).data).not.toBe(logged.data.data);
    loss().backward();
    expect(Array.from(logged.data.toTypedArray())).toEqual(snapshot);
  });

  it('zeroGrad({ setToNull: false }) keeps the buffer and zeroes it', () => {
    const { w, loss } = model();
    const opt = new SGD([w], { lr: 0.1 });
    loss().backward();
    const buffer = peekGrad(w)!;
    opt.zeroGrad({ setToNull: false });
    expect(peekGrad(w)).toBe(buffer);
    expect(buffer.data.toTypedArray().every((v) => v === 0)).toBe(true);
  });
});
