import { describe, expect, test } from 'vitest';
import {
  ArgumentError, DTypeError, IndexError, MinigradError, ShapeError, Tensor, arange, cat, eye, full, manualSeed,
  fullLike, matmul, ones, onesLike, rand, randn, tensor, zeros, zerosLike,
} from '@minigrad/tensor';
import { assertClose } from '@minigrad/testing';
import { at, indices, naiveBinary, naiveMatmul2d, naiveReduce, naiveValues } from './reference.js';

const seq = (...shape: number[]) => arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);

describe('creation and conversion', () => {
  test('nested data keeps its shape and values', () => {
    const data = [[1, 2, 3], [4, 5, 6]];
    const t = tensor(data);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual(data);
    expect(t.isContiguous()).toBe(true);
  });

  test('typed arrays keep their dtype and are copied', () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const t = tensor(src, { shape: [2, 2] });
    src[0] = 100;
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  test('booleans give a bool tensor', () => {
    const t = tensor([true, false]);
    expect(t.dtype).toBe('bool');
    expect(Array.from(t.toTypedArray())).toEqual([1, 0]);
  });

  test('zeros/ones/full/eye/arange', () => {
    expect(Array.from(zeros(2, 3).toTypedArray())).toEqual(new Array(6).fill(0));
    expect(Array.from(ones([2], { dtype: 'int32' }).toTypedArray())).toEqual([1, 1]);
    expect(full([3], 2.5).toArray()).toEqual([2.5, 2.5, 2.5]);
    const e = eye(3);
    for (const [i, j] of indices([3, 3])) expect(at(e, [i, j])).toBe(i === j ? 1 : 0);
    const r = arange(1, 2, 0.25);
    expect(r.toArray()).toEqual([1, 1.25, 1.5, 1.75]);
  });

  test('item needs exactly one element', () => {
    expect(tensor([[7]]).item()).toBe(7);
    expect(() => tensor([1, 2]).item()).toThrow(ShapeError);
  });

  test('seeded random numbers repeat', () => {
    manualSeed(42);
    const a = randn(5).toArray();
    const u = rand(100);
    manualSeed(42);
    expect(randn(5).toArray()).toEqual(a);
    expect(u.toTypedArray().every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('views share storage', () => {
  test('transpose, permute, slice, select, expand are views', () => {
    const x = seq(2, 3, 4);
    for (const v of [x.transpose(0, 2), x.permute(2, 0, 1), x.slice(2, 1, 4, 2), x.select(1, -1), x.expand(5, 2, 3, 4), x.view(6, 4)]) {
      expect(v.storage).toBe(x.storage);
    }
  });

  test('transpose reads the same elements', () => {
    const x = seq(3, 4);
    const t = x.t();
    for (const [i, j] of indices([4, 3])) expect(at(t, [i, j])).toBe(at(x, [j, i]));
  });

  test('reshape copies only when no view exists; view refuses', () => {
    const x = seq(3, 4).t();
    expect(() => x.view(12)).toThrow(ShapeError);
    const r = x.reshape(12);
    expect(r.storage).not.toBe(x.storage);
    expect(naiveValues(r)).toEqual(naiveValues(x));
    const y = seq(2, 3, 4);
    expect(y.reshape(6, -1).storage).toBe(y.storage);
  });

  test('contiguous copies only when needed', () => {
    const x = seq(2, 3);
    expect(x.contiguous()).toBe(x);
    const t = x.t();
    const c = t.contiguous();
    expect(c.storage).not.toBe(x.storage);
    expect(naiveValues(c)).toEqual(naiveValues(t));
  });

  test('slice with negative indices and clamped stops', () => {
    const x = arange(10);
    expect(x.slice(0, -3).toArray()).toEqual([7, 8, 9]);
    expect(x.slice(0, 2, 100, 3).toArray()).toEqual([2, 5, 8]);
    expect(x.slice(0, 8, 2).numel()).toBe(0);
  });
});

describe('elementwise', () => {
  test('broadcast add over strided inputs matches the naive reference', () => {
    const a = seq(3, 1, 4).transpose(0, 2); // [4,1,3]
    const b = seq(5, 3).mul(0.5);
    const out = a.add(b);
    const ref = naiveBinary(a, b, (x, y) => x + y);
    expect(out.shape).toEqual(ref.shape);
    assertClose(out.toTypedArray(), ref.values);
  });

  test('scalars do not widen float tensors', () => {
    expect(tensor([1, 2]).mul(2.5).dtype).toBe('float32');
    expect(tensor([1, 2], { dtype: 'int32' }).mul(2).dtype).toBe('int32');
    expect(tensor([1, 2], { dtype: 'int32' }).mul(2.5).dtype).toBe('float32');
  });

  test('sigmoid and softplus do not overflow', () => {
    const x = tensor([-1000, -20, 0, 20, 1000], { dtype: 'float64' });
    const s = x.sigmoid().toTypedArray();
    assertClose(s, [-1000, -20, 0, 20, 1000].map((v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))), { rtol: 1e-12 });
    expect(Array.from(x.softplus().toTypedArray()).every(Number.isFinite)).toBe(true);
  });

  test('incompatible broadcast throws a ShapeError naming both shapes', () => {
    expect(() => zeros(2, 3).add(zeros(4))).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/);
  });
});

describe('reductions', () => {
  test('sum over dims of a transposed tensor', () => {
    const x = seq(2, 3, 4).permute(2, 0, 1);
    for (const dims of [[0], [1], [2], [0, 2], [0, 1, 2]]) {
      const ref = naiveReduce(x, dims, (vs) => vs.reduce((a, b) => a + b, 0));
      const out = x.sum(dims);
      expect(out.shape).toEqual(ref.shape);
      assertClose(out.toTypedArray(), ref.values);
    }
  });

  test('max with a dim gives values and first indices', () => {
    const x = tensor([[1, 3, 3], [2, 2, 0]]);
    const { values, indices: idx } = x.max(1);
    expect(values.toArray()).toEqual([3, 2]);
    expect(idx.toArray()).toEqual([1, 0]);
    expect(idx.dtype).toBe('int32');
  });

  test('mean keepdim', () => {
    const x = seq(2, 3);
    const m = x.mean(1, true);
    expect(m.shape).toEqual([2, 1]);
    assertClose(m.toTypedArray(), naiveReduce(x, [1], (vs) => vs.reduce((a, b) => a + b, 0) / vs.length).values);
  });
});

describe('matmul', () => {
  test('transposed operands', () => {
    const a = randn(5, 7).t();
    const b = randn(5, 3);
    assertClose(matmul(a, b).toTypedArray(), naiveMatmul2d(a, b), { atol: 1e-5 });
  });

  test('not aligned message', () => {
    expect(() => matmul(zeros(2, 3), zeros(4, 5))).toThrow('matmul: shapes [2,3] and [4,5] are not aligned (3 != 4)');
  });
});

describe('in place and errors', () => {
  test('addInPlace bumps the version and writes through views', () => {
    const x = zeros(2, 3);
    const v0 = x.storage.version;
    x.t().addInPlace(ones(3, 2), 2);
    expect(x.storage.version).toBe(v0 + 1);
    expect(Array.from(x.toTypedArray())).toEqual(new Array(6).fill(2));
  });

  test('writing into an expanded view throws', () => {
    expect(() => zeros(1, 3).expand(4, 3).fill(1)).toThrow(ArgumentError);
  });

  test('error classes share the MinigradError base and carry op', () => {
    try {
      zeros(2).sum(3);
    } catch (e) {
      expect(e).toBeInstanceOf(IndexError);
      expect(e).toBeInstanceOf(MinigradError);
      expect((e as MinigradError).op).toBe('sum');
    }
    expect(() => tensor([1], { dtype: 'int32' }).mean()).toThrow(DTypeError);
    expect(() => zeros(-1)).toThrow(ArgumentError);
    expect(() => cat([zeros(2, 3), zeros(3, 2)], 0)).toThrow(ShapeError);
    expect(zeros(1)).toBeInstanceOf(Tensor);
  });
});

describe('split and chunk methods', () => {
  test('match the functions and stay views', () => {
    const x = seq(5, 2);
    const parts = x.chunk(3);
    expect(parts.map((p) => p.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    parts.forEach((p) => expect(p.storage).toBe(x.storage));
    expect(x.split([1, 4]).map((p) => p.shape[0])).toEqual([1, 4]);
    expect(naiveValues(cat(x.split(2, 1), 1))).toEqual(naiveValues(x));
  });
});

describe('conversion copies', () => {
  test('toTypedArray is a fresh row-major copy, also of a contiguous tensor', () => {
    const x = seq(2, 3);
    const flat = x.toTypedArray();
    flat[0] = 100;
    expect(at(x, [0, 0])).toBe(0);
    expect(Array.from(x.t().toTypedArray())).toEqual(naiveValues(x.t()));
    expect(x.narrow(1, 1, 2).toTypedArray().length).toBe(4);
  });

  test('to() returns the tensor itself for its own dtype and converts otherwise', () => {
    const x = seq(2, 2);
    expect(x.to('float32')).toBe(x);
    const d = x.to('float64');
    expect(d.dtype).toBe('float64');
    expect(naiveValues(d)).toEqual(naiveValues(x));
    expect(tensor([1.7, -1.7]).to('int32').toArray()).toEqual([1, -1]);
  });

  test('*Like keep shape and dtype unless told otherwise', () => {
    const x = zeros([2, 3], { dtype: 'float64' });
    for (const t of [zerosLike(x), onesLike(x), fullLike(x, 3)]) {
      expect(t.shape).toEqual([2, 3]);
      expect(t.dtype).toBe('float64');
    }
    expect(fullLike(x, 3).toTypedArray().every((v) => v === 3)).toBe(true);
    expect(onesLike(x, { dtype: 'int32' }).dtype).toBe('int32');
  });

  test('typed arrays convert to a requested dtype; nested data accepts empty dims', () => {
    expect(tensor(new Int32Array([1, 2]), { dtype: 'float32' }).toArray()).toEqual([1, 2]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
    expect(() => tensor([1, [2]] as never)).toThrow(ArgumentError);
  });
});

describe('shape arguments', () => {
  test('varargs sizes may end with an options object', () => {
    const z = zeros(2, 3, { dtype: 'float64' });
    expect([z.shape, z.dtype]).toEqual([[2, 3], 'float64']);
    expect(ones(4, { dtype: 'int32' }).dtype).toBe('int32');
    expect(randn(2, 2, { dtype: 'float64' }).dtype).toBe('float64');
    expect(zeros().shape).toEqual([]);
  });
});
