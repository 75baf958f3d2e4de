// The PyTorch gradient conventions of ../../shared/SEMANTICS.md, checked on hand-picked points
// (kinks, ties, repeated indices) where finite differences cannot decide.
import { tensor as rawTensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { maxPool2d, tensor } from '../src/index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };
const idx = (d: number[] | number[][]) => rawTensor(d, { dtype: 'int32' });

describe('gradients at kinks', () => {
  it("relu'(0) = 0", () => {
    const x = tensor([-1, 0, 2], f64);
    x.relu().sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 1]);
  });

  it("leakyRelu'(0) = negative slope", () => {
    const x = tensor([-1, 0, 2], f64);
    x.leakyRelu(0.1).sum().backward();
    expect(x.grad!.toArray()).toEqual([0.1, 0.1, 1]);
  });

  it("abs'(0) = 0", () => {
    const x = tensor([-2, 0, 3], f64);
    x.abs().sum().backward();
    expect(x.grad!.toArray()).toEqual([-1, 0, 1]);
  });

  it('clamp passes the gradient at the bounds (inclusive)', () => {
    const x = tensor([-2, -1, 0, 1, 2], f64);
    x.clamp(-1, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1, 1, 1, 0]);
  });

  it('softplus above the threshold is the identity, gradient exactly 1', () => {
    const x = tensor([30, 0], f64);
    x.softplus(1, 20).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 0.5]);
  });
});

describe('pow', () => {
  it('the gradient wrt the exponent is 0 where the base is 0 (not NaN)', () => {
    const a = tensor([0, 2], f64);
    const b = tensor([2, 3], f64);
    a.pow(b).sum().backward();
    expect(b.grad!.toArray()).toEqual([0, 8 * Math.log(2)]);
    expect(a.grad!.toArray()).toEqual([0, 12]);
  });

  it('x^0 has gradient 0 at x = 0, with a tensor or a number exponent', () => {
    const a = tensor([0, 3], f64);
    a.pow(tensor([0, 0], { dtype: 'float64' })).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 0]);
    const c = tensor([0, 3], f64);
    c.pow(0).sum().backward();
    expect(c.grad!.toArray()).toEqual([0, 0]);
  });
});

describe('ties', () => {
  it('full max()/amax split the gradient evenly among ties', () => {
    const x = tensor([1, 3, 3, 2], f64);
    x.max().backward();
    expect(x.grad!.toArray()).toEqual([0, 0.5, 0.5, 0]);
    const y = tensor([[5, 1, 5], [2, 2, 0]], f64);
    y.amax(1).sum().backward();
    expect(y.grad!.toArray()).toEqual([[0.5, 0, 0.5], [0.5, 0.5, 0]]);
    const z = tensor([4, 1, 1], f64);
    z.amin().backward();
    expect(z.grad!.toArray()).toEqual([0, 0.5, 0.5]);
  });

  it('max along a dim routes the gradient to the returned index', () => {
    const x = tensor([[1, 3, 3], [7, 0, 7]], f64);
    const { values, indices } = x.max(1);
    expect(values.toArray()).toEqual([3, 7]);
    values.sum().backward();
    const routed = [[0, 0, 0], [0, 0, 0]];
    (indices.toArray() as number[]).forEach((j, i) => (routed[i][j] = 1));
    expect(x.grad!.toArray()).toEqual(routed);
    expect(indices.dtype).toBe('int32');
    expect(indices.requiresGrad).toBe(false);
  });

  it('maximum/minimum of two tensors split ties in half', () => {
    const a = tensor([1, 2, 3], f64);
    const b = tensor([3, 2, 1], f64);
    a.maximum(b).sum().backward();
    expect(a.grad!.toArray()).toEqual([0, 0.5, 1]);
    expect(b.grad!.toArray()).toEqual([1, 0.5, 0]);
  });
});

describe('repeated indices accumulate', () => {
  it('gather', () => {
    const x = tensor([[1, 2, 3]], f64);
    x.gather(1, idx([[2, 2, 0, 2]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 3]]);
  });

  it('indexSelect', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], f64);
    x.indexSelect(0, idx([2, 0, 2])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 1], [0, 0], [2, 2]]);
  });
});

describe('reductions', () => {
  it('var is unbiased by default; correction 0 is the biased one', () => {
    const x = tensor([1, 2, 3, 6], f64); // mean 3
    x.var().backward();
    expect(x.grad!.toArray()).toEqual([-4 / 3, -2 / 3, 0, 2]); // 2 (x - mean) / (n - 1)
    const y = tensor([1, 2, 3, 6], f64);
    y.var(0, { correction: 0 }).backward();
    expect(y.grad!.toArray()).toEqual([-1, -0.5, 0, 1.5]); // 2 (x - mean) / n
  });

  it('prod with zeros gives the product of the others', () => {
    const x = tensor([[2, 0, 3], [0, 0, 5]], f64);
    x.prod(1).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 6, 0], [0, 0, 0]]);
    const y = tensor([4, 0, 5], f64);
    y.prod().backward();
    expect(y.grad!.toArray()).toEqual([0, 20, 0]);
  });

  it('mean divides the gradient by the reduced count', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], f64);
    x.mean(0).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1 / 3, 1 / 3], [1 / 3, 1 / 3], [1 / 3, 1 / 3]]);
  });
});

describe('maxPool2d', () => {
  it('sends the gradient to the first maximum of a window; overlapping windows accumulate', () => {
    const x = tensor([[[[1, 3], [3, 2]]]], f64);
    maxPool2d(x, { kernelSize: 2 }).sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[0, 1], [0, 0]]]]);
    const y = tensor([[[[0, 1, 0], [1, 9, 1], [0, 1, 0]]]], f64);
    maxPool2d(y, { kernelSize: 2, stride: 1 }).sum().backward();
    expect(y.grad!.toArray()).toEqual([[[[0, 0, 0], [0, 4, 0], [0, 0, 0]]]]);
  });

  it('pads with -Infinity: an all-negative window next to the padding still picks an input element', () => {
    const x = tensor([[[[-5, -6], [-7, -8]]]], f64);
    const y = maxPool2d(x, { kernelSize: 2, stride: 1, padding: 1 });
    expect(y.toArray()).toEqual([[[[-5, -5, -6], [-5, -5, -6], [-7, -7, -8]]]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[4, 2], [2, 1]]]]);
  });
});
