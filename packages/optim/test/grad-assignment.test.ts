// A gradient assigned by hand as a plain Tensor (`p.grad = t`, as PyTorch allows) is wrapped at assignment, so
// every optimizer steps with it; a wrong one is refused there, not inside step().
import { DTypeError, ShapeError, ones, zeros } from '@minigrad/tensor';
import { variable } from '@minigrad/autograd';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../src/index.js';

describe('p.grad = someTensor', () => {
  it.each([
    ['SGD', (ps: ReturnType<typeof variable>[]) => new SGD(ps, { lr: 0.5 })],
    ['Adam', (ps: ReturnType<typeof variable>[]) => new Adam(ps, { lr: 0.5 })],
    ['AdamW', (ps: ReturnType<typeof variable>[]) => new AdamW(ps, { lr: 0.5 })],
    ['RMSprop', (ps: ReturnType<typeof variable>[]) => new RMSprop(ps, { lr: 0.5 })],
    ['Adagrad', (ps: ReturnType<typeof variable>[]) => new Adagrad(ps, { lr: 0.5 })],
  ])('%s steps with a Tensor assigned as the gradient, as with the same values as a Variable', (_, make) => {
    const a = variable(ones([2, 3]), { requiresGrad: true });
    const b = variable(ones([2, 3]), { requiresGrad: true });
    a.grad = ones([2, 3]).mul(0.25);
    b.grad = variable(ones([2, 3]).mul(0.25));
    make([a]).step();
    make([b]).step();
    expect(a.data.toArray()).toEqual(b.data.toArray());
    expect(a.data.toArray()).not.toEqual(ones([2, 3]).toArray());
  });

  it('refuses a gradient of another shape or dtype at assignment', () => {
    const p = variable(zeros([2]), { requiresGrad: true });
    expect(() => { p.grad = zeros([3]); }).toThrow(new ShapeError('Variable.grad', 'assigned a gradient of shape [3] to a Variable of shape [2]'));
    expect(() => { p.grad = zeros([2], { dtype: 'float64' }); }).toThrow(DTypeError);
    expect(p.grad).toBeNull();
  });
});
