// sort/argsort/topk, cumsum, the masked ops, clamp with tensor bounds and the casts: what the PyTorch
// fixtures (sort_scan_mask.json) do not pin: edge shapes, dtypes, and the errors.
import { describe, expect, it } from 'vitest';
import { DTypeError, IndexError, ShapeError, ArgumentError, oneHot, tensor, zeros } from '@minigrad/tensor';

describe('sort, argsort, topk', () => {
  it('sorts stably along the last dim by default, NaN last ascending and first descending', () => {
    const x = tensor([2, NaN, 1, 2, -Infinity]);
    const asc = x.sort();
    expect(Array.from(asc.values.toTypedArray())).toEqual([-Infinity, 1, 2, 2, NaN]);
    expect(Array.from(asc.indices.toTypedArray())).toEqual([4, 2, 0, 3, 1]);
    expect(asc.indices.dtype).toBe('int32');
    const desc = x.sort(0, { descending: true });
    expect(Array.from(desc.indices.toTypedArray())).toEqual([1, 0, 3, 2, 4]);
    expect(x.argsort(-1, { descending: true }).toArray()).toEqual([1, 0, 3, 2, 4]);
  });
  it('handles 0-d and empty tensors', () => {
    const s = tensor(5).sort();
    expect(s.values.shape).toEqual([]);
    expect(s.indices.item()).toBe(0);
    expect(zeros([0, 3]).sort(0).values.shape).toEqual([0, 3]);
    expect(zeros([2, 0]).topk(0).values.shape).toEqual([2, 0]);
  });
  it('topk keeps the k largest or smallest, ties in index order', () => {
    const x = tensor([[1, 3, 3, 0], [4, 4, 4, 4]]);
    expect(x.topk(2).indices.toArray()).toEqual([[1, 2], [0, 1]]);
    expect(x.topk(1, 0, { largest: false }).values.toArray()).toEqual([[1, 3, 3, 0]]);
    expect(x.topk(4, 1, { sorted: false }).values.shape).toEqual([2, 4]);
  });
  it('rejects a k out of range, a bad dim and unknown options', () => {
    const x = zeros([2, 3]);
    expect(() => x.topk(4)).toThrow(ArgumentError);
    expect(() => x.topk(-1)).toThrow(/k must be an integer >= 0 and <= 3/);
    expect(() => x.sort(2)).toThrow(IndexError);
    expect(() => x.sort(0, { descending: 'yes' as never })).toThrow(/descending must be a boolean/);
    expect(() => x.topk(1, -1, { dim: 0 } as never)).toThrow(/unknown option 'dim'/);
  });
});

describe('cumsum', () => {
  it('sums int32 and bool in int32, floats in their dtype, or in the dtype asked for', () => {
    expect(tensor([true, true, false, true]).cumsum(0).toArray()).toEqual([1, 2, 2, 3]);
    expect(tensor([true, false]).cumsum(0).dtype).toBe('int32');
    expect(tensor([1, 2], { dtype: 'int32' }).cumsum(0, { dtype: 'float64' }).dtype).toBe('float64');
    expect(tensor([[1, 2], [3, 4]]).t().cumsum(1).toArray()).toEqual([[1, 4], [2, 6]]);
    expect(tensor(2.5).cumsum(0).item()).toBe(2.5);
  });
  it('rejects a bool dtype and a bad dim', () => {
    expect(() => tensor([1, 2]).cumsum(0, { dtype: 'bool' })).toThrow(/dtype must be 'float32', 'float64' or 'int32'/);
    expect(() => tensor([1, 2]).cumsum(1)).toThrow(IndexError);
  });
});

describe('maskedFill and maskedSelect', () => {
  it('broadcast the mask with the input and keep the input dtype', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
    const m = tensor([true, false, true]);
    expect(x.maskedFill(m, -7.9).toArray()).toEqual([[-7, 2, -7], [-7, 5, -7]]);
    expect(x.maskedFill(m, tensor(2.5)).dtype).toBe('int32');
    expect(x.maskedSelect(m).toArray()).toEqual([1, 3, 4, 6]);
    expect(tensor(5).maskedFill(tensor([[true], [false]]), 0).shape).toEqual([2, 1]);
    expect(tensor(5).maskedSelect(tensor([true, false, true])).toArray()).toEqual([5, 5]);
  });
  it('say how to get a bool mask, and reject a value that is not a number or a 0-d tensor', () => {
    const x = zeros([2]);
    expect(() => x.maskedFill(tensor([1, 0]), 1)).toThrow(DTypeError);
    expect(() => x.maskedSelect(tensor([1, 0], { dtype: 'int32' }))).toThrow(/mask must be a bool tensor, got int32 .*mask.bool\(\)/);
    expect(() => x.maskedFill(tensor([true, false]), tensor([1, 2]))).toThrow(ShapeError);
    expect(() => x.maskedFill(tensor([true, false, true]), 1)).toThrow(ShapeError);
  });
});

describe('clamp with tensor bounds', () => {
  it('broadcasts all three and promotes the dtype', () => {
    const x = tensor([[0, 5, 10]], { dtype: 'int32' });
    const out = x.clamp(tensor([[1], [6]]), 8);
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([[1, 5, 8], [6, 6, 8]]);
    expect(x.clamp(null, tensor([3, 3, 3], { dtype: 'int32' })).toArray()).toEqual([[0, 3, 3]]);
  });
  it('rejects a bool result and garbage bounds', () => {
    expect(() => tensor([true]).clamp(tensor([false]))).toThrow(DTypeError);
    expect(() => zeros([2]).clamp(tensor([1]), NaN)).toThrow(/max must be a number/);
  });
});

describe('casts', () => {
  it('float double int bool convert (int truncates toward zero) and return the tensor itself when nothing changes', () => {
    const x = tensor([-1.7, 0, 2.9]);
    expect(x.int().toArray()).toEqual([-1, 0, 2]);
    expect(x.bool().toArray()).toEqual([1, 0, 1]);
    expect(x.double().dtype).toBe('float64');
    expect(x.float()).toBe(x);
    expect(x.long().dtype).toBe('int32');
  });
  it("name the dtype meant for PyTorch's spellings (int64 is int32 here)", () => {
    expect(() => tensor([0, 2], { dtype: 'int64' as never })).toThrow(
      /^tensor: unknown dtype 'int64' \(expected float32, float64, int32 or bool\); did you mean 'int32'\? \(minigrad's one integer dtype, for PyTorch's int64 labels and indices\)$/,
    );
    expect(() => zeros([2]).to('torch.long' as never)).toThrow(/did you mean 'int32'/);
    expect(() => zeros([2]).to('double' as never)).toThrow(/did you mean 'float64'\?$/);
    expect(() => zeros([2]).cumsum(0, { dtype: 'float' as never })).toThrow(/did you mean 'float32'\?$/);
    expect(() => zeros([2]).to('complex64' as never)).toThrow(/^to: unknown dtype 'complex64' \(expected float32, float64, int32 or bool\)$/);
  });
});

describe('integer labels', () => {
  it('index ops and oneHot take int32 and say how to convert float labels', () => {
    const labels = tensor([0, 2, 1]);
    expect(() => oneHot(labels, 3)).toThrow(/^oneHot: index has dtype float32 \(shape \[3\]\); class indices must be int32 \(use index.int\(\) or tensor\(values, \{ dtype: 'int32' \}\)\)$/);
    expect(oneHot(labels.int(), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(() => zeros([3, 3]).indexSelect(0, tensor([true, false]))).toThrow(/index has dtype bool .*use index.int\(\)/);
    expect(zeros([3, 3]).scatterAdd(0, labels.int().reshape([1, 3]), tensor([[1, 2, 3]])).sum().item()).toBe(6);
  });
});
