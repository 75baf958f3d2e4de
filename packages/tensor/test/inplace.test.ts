// In-place ops: values against out-of-place ops, dtype rules, aliasing, and the storage version counter.
import { describe, expect, test } from 'vitest';
import { arange, ones, tensor, zeros } from '@minigrad/tensor';
import { naiveValues } from './reference.js';

describe('in-place ops', () => {
  const base = () => arange(6, { dtype: 'float64' }).reshape(2, 3).add(1);
  test.each([
    ['subInPlace', (x: ReturnType<typeof base>) => x.subInPlace(tensor([1, 2, 3], { dtype: 'float64' }), 3), (x: ReturnType<typeof base>) => x.sub(tensor([1, 2, 3], { dtype: 'float64' }), 3)],
    ['mulInPlace', (x: ReturnType<typeof base>) => x.mulInPlace(2.5), (x: ReturnType<typeof base>) => x.mul(2.5)],
    ['divInPlace', (x: ReturnType<typeof base>) => x.divInPlace(tensor([[2], [4]], { dtype: 'float64' })), (x: ReturnType<typeof base>) => x.div(tensor([[2], [4]], { dtype: 'float64' }))],
    ['addInPlace', (x: ReturnType<typeof base>) => x.addInPlace(1, 2), (x: ReturnType<typeof base>) => x.add(2)],
  ])('%s equals the out-of-place op and returns self', (_, inPlace, outOfPlace) => {
    const expected = naiveValues(outOfPlace(base()));
    const x = base();
    expect(inPlace(x)).toBe(x);
    expect(naiveValues(x)).toEqual(expected);
  });

  test('every in-place op bumps the version once; views share it', () => {
    const x = zeros(2, 2);
    const v = x.t();
    const ops = [() => v.addInPlace(1), () => v.subInPlace(ones(2)), () => v.mulInPlace(3), () => v.divInPlace(2), () => v.copyFrom(ones(2, 2)), () => v.fill(4), () => v.zero()];
    ops.forEach((op, i) => {
      op();
      expect(x.storage.version).toBe(i + 1);
    });
  });

  test('an operand that aliases self is read before it is overwritten', () => {
    const x = arange(9, { dtype: 'float64' }).reshape(3, 3);
    const expected = naiveValues(x.add(x.t()));
    x.addInPlace(x.t());
    expect(naiveValues(x)).toEqual(expected);
    const y = arange(5, { dtype: 'float64' });
    const shifted = naiveValues(y.slice(0, 0, 4));
    y.slice(0, 1).copyFrom(y.slice(0, 0, 4));
    expect(naiveValues(y.slice(0, 1))).toEqual(shifted);
  });

  test('copyFrom converts dtypes like to(): truncation toward zero, nonzero is true', () => {
    const i = zeros([3], { dtype: 'int32' }).copyFrom(tensor([-3.5, 2.7, 0.2]));
    expect(i.toArray()).toEqual([-3, 2, 0]);
    const b = zeros([3], { dtype: 'bool' }).copyFrom(tensor([0.5, 0, -2]));
    expect(b.toArray()).toEqual([1, 0, 1]);
    expect(tensor([0.5, 0, -2]).to('bool').toArray()).toEqual([1, 0, 1]);
  });

  test('fill and int in-place ops keep integer dtypes', () => {
    const x = zeros([2], { dtype: 'int32' }).fill(7).mulInPlace(3).subInPlace(1);
    expect(x.toArray()).toEqual([20, 20]);
    expect(zeros([2], { dtype: 'bool' }).fill(5).toArray()).toEqual([1, 1]);
  });
});
