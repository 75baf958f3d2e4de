// The shared fixture helpers: decoding encoded tensors (NaN and infinities included) and assertClose's verdicts.
import { describe, expect, it } from 'vitest';
import { assertClose, decode, values, type EncodedTensor } from '../src/index.js';

describe('fixture helpers', () => {
  it('decodes an encoded tensor with its shape, dtype and special values', () => {
    const e: EncodedTensor = { shape: [2, 2], dtype: 'float64', data: [1.5, 'nan', 'inf', '-inf'] };
    const t = decode(e);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('float64');
    expect(Array.from(t.toTypedArray())).toEqual([1.5, NaN, Infinity, -Infinity]);
    expect(values({ shape: [2], dtype: 'int32', data: [3, -4] })).toEqual([3, -4]);
    expect(decode({ shape: [3], dtype: 'bool', data: [1, 0, 1] }).dtype).toBe('bool');
  });

  it('assertClose accepts values within atol + rtol * |expected|, NaN against NaN and equal infinities', () => {
    expect(() => assertClose([1.00001, NaN, Infinity], [1, NaN, Infinity])).not.toThrow();
    expect(() => assertClose([101], [100], { atol: 0, rtol: 0.01 })).not.toThrow();
  });

  it('assertClose names the worst element, and refuses NaN for a number and a length mismatch', () => {
    expect(() => assertClose([1, 2.5, 3.1], [1, 2, 3], { label: 'out' })).toThrow('out: element 1 is 2.5, expected 2');
    expect(() => assertClose([NaN], [0])).toThrow('element 0 is NaN');
    expect(() => assertClose([-Infinity], [Infinity])).toThrow('element 0');
    expect(() => assertClose([1, 2], [1])).toThrow('2 elements, expected 1');
  });
});
