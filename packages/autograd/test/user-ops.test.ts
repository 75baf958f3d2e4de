// The ops a PyTorch user reaches for, on Variables: casts, clamp with tensor bounds at its ties, maskedFill
// with a tensor value, argsort and the free functions (gradcheck and the PyTorch fixtures cover the values).
import { describe, expect, it } from 'vitest';
import { tensor as rawTensor } from '@minigrad/tensor';
import { argsort, clamp, cumsum, maskedFill, maskedSelect, sort, tensor, topk } from '../src/index.js';

describe('casts on Variables', () => {
  it('float and double are differentiable; the gradient comes back in the input dtype', () => {
    const x = tensor([1.5, -2], { requiresGrad: true });
    const y = x.double();
    expect(y.dtype).toBe('float64');
    y.mul(3).sum().backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.toArray()).toEqual([3, 3]);
    expect(x.float()).toBe(x);
  });
  it('int and bool results require no grad', () => {
    const x = tensor([1.5, -2, 0], { requiresGrad: true });
    expect(x.int().requiresGrad).toBe(false);
    expect(x.int().toArray()).toEqual([1, -2, 0]);
    expect(x.bool().toArray()).toEqual([1, 1, 0]);
    expect(x.bool().dtype).toBe('bool');
  });
  it('clone is differentiable', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.clone().mul(2).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });
});

describe('clamp with tensor bounds', () => {
  it('follows PyTorch at ties (x == min goes to x) and with min > max (everything to max)', () => {
    const x = tensor([[1, 5], [2, 2]], { requiresGrad: true });
    const lo = tensor([2, 2], { requiresGrad: true });
    const hi = tensor([4, 1], { requiresGrad: true });
    clamp(x, lo, hi).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 0], [1, 0]]);
    expect(lo.grad!.toArray()).toEqual([1, 0]);
    expect(hi.grad!.toArray()).toEqual([0, 2]);
  });
  it('mixes a number and a tensor bound', () => {
    const x = tensor([-3, 0, 3], { requiresGrad: true });
    const hi = tensor([1, 1, 1], { requiresGrad: true });
    x.clamp(-1, hi).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1, 0]);
    expect(hi.grad!.toArray()).toEqual([0, 0, 1]);
  });
});

describe('maskedFill, maskedSelect, sort, topk, cumsum as free functions', () => {
  it('maskedFill gives a 0-d tensor value the gradient of the filled elements', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const v = tensor(0.5, { requiresGrad: true });
    const m = rawTensor([true, false]);
    maskedFill(x, m, v).mul(tensor([[1, 2], [3, 4]])).sum().backward();
    expect(v.grad!.item()).toBe(4);
    expect(x.grad!.toArray()).toEqual([[0, 2], [0, 4]]);
  });
  it('maskedSelect sums the gradient of an input broadcast by the mask', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    maskedSelect(x, rawTensor([[true, true], [true, false]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 1]);
  });
  it('argsort returns indices without a gradient; sort and topk give int32 indices', () => {
    const x = tensor([3, 1, 2], { requiresGrad: true });
    expect(argsort(x).requiresGrad).toBe(false);
    expect(argsort(x).toArray()).toEqual([1, 2, 0]);
    expect(sort(x, 0, { descending: true }).indices.dtype).toBe('int32');
    const t = topk(x, 2);
    t.values.mul(tensor([10, 1])).sum().backward();
    expect(x.grad!.toArray()).toEqual([10, 0, 1]);
  });
  it('0-d inputs: sort, topk and cumsum pass the gradient through as a fresh tensor', () => {
    for (const f of [(v: ReturnType<typeof tensor>) => sort(v).values, (v: ReturnType<typeof tensor>) => topk(v, 1).values, (v: ReturnType<typeof tensor>) => cumsum(v, 0)]) {
      const x = tensor(2, { requiresGrad: true });
      const g = tensor(3);
      f(x).backward(g);
      expect(x.grad!.item()).toBe(3);
      expect(x.grad!.data.storage).not.toBe(g.data.storage);
    }
  });
  it('cumsum with a dtype converts first, differentiably', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = cumsum(x, 0, { dtype: 'float64' });
    expect(y.dtype).toBe('float64');
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 2, 1]);
  });
});
