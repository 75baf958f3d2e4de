// defaultCollate: PyTorch's default_collate over minigrad's types, structure errors with the path.
import { ArgumentError, ShapeError, tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { defaultCollate } from '../src/index.js';

describe('defaultCollate', () => {
  it('stacks tensors along a new first dim', () => {
    const b = defaultCollate([tensor([[1, 2]]), tensor([[3, 4]]), tensor([[5, 6]])]);
    expect(b.shape).toEqual([3, 1, 2]);
    expect(b.toArray()).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(defaultCollate([tensor(1, { dtype: 'int32' }), tensor(2, { dtype: 'int32' })]).dtype).toBe('int32');
  });

  it('makes numbers int32 when all are int32 integers, else float32; booleans bool; typed arrays their dtype', () => {
    expect(defaultCollate([3, 1, 4])).toMatchObject({ dtype: 'int32', shape: [3] });
    expect(defaultCollate([3, 1.5]).dtype).toBe('float32');
    expect(defaultCollate([3, 2 ** 31]).dtype).toBe('float32');
    expect(defaultCollate([true, false])).toMatchObject({ dtype: 'bool', shape: [2] });
    const f64 = defaultCollate([Float64Array.of(1, 2), Float64Array.of(3, 4)]);
    expect([f64.dtype, f64.shape, f64.toArray()]).toEqual(['float64', [2, 2], [[1, 2], [3, 4]]]);
    expect(defaultCollate([Int32Array.of(7), Int32Array.of(8)]).dtype).toBe('int32');
    expect(defaultCollate(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('recurses into arrays position by position and plain objects key by key', () => {
    const b = defaultCollate([
      { image: tensor([1, 1]), meta: { label: 0, name: 'x' }, pair: [1, 0.5] },
      { image: tensor([2, 2]), meta: { label: 7, name: 'y' }, pair: [2, 1.5] },
    ]);
    expect(b.image.toArray()).toEqual([[1, 1], [2, 2]]);
    expect(b.meta.label.toArray()).toEqual([0, 7]);
    expect(b.meta.name).toEqual(['x', 'y']);
    expect(b.pair.map((t) => [t.dtype, t.toArray()])).toEqual([['int32', [1, 2]], ['float32', [0.5, 1.5]]]);
  });

  it('refuses mixed structures, naming the item and the path, and types it cannot batch', () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(() => defaultCollate([{ a: [tensor([1]), 1] }, { a: [tensor([1, 2]), 2] }])).toThrow(/^defaultCollate: item 1 at \.a\[0\] has shape \[2\] but item 0 has \[1\]/);
    expect(() => defaultCollate([[1, 2], [1]])).toThrow(/item 1 has 1 elements but item 0 has 2/);
    expect(() => defaultCollate([{ a: 1 }, { b: 1 }])).toThrow(/item 1 has the keys \{b\} but item 0 has \{a\}/);
    expect(() => defaultCollate([1, tensor(2)])).toThrow(/item 1 is a Tensor of shape \[\] but item 0 is 1/);
    expect(() => defaultCollate([null, null])).toThrow(/cannot batch null: the default collate takes Tensors/);
    expect(() => defaultCollate([Uint8Array.of(1)])).toThrow(/cannot batch a Uint8Array/);
    expect(() => defaultCollate([new Map()])).toThrow(ArgumentError);
    expect(() => defaultCollate([])).toThrow(/batch is empty/);
    expect(() => defaultCollate('ab' as unknown as string[])).toThrow(/batch must be an array/);
  });
});
