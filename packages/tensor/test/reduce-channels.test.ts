// sum/mean over every dim but 1 of a contiguous [N, C, *] tensor (the conv bias gradient) take a per-channel
// kernel. Its results must be bit-identical to the strided accumulate walk it replaces, whose order for this
// layout is: each (n, c) run summed from 0 in a double, then added to channel c's double total in n order
// (with one channel the walk sees x as one run). `channelOrder` writes that order out per element.
import { describe, expect, test } from 'vitest';
import { type DType, tensor } from '@minigrad/tensor';
import { lcg } from './seeded.js';

function channelOrder(values: ArrayLike<number>, shape: readonly number[], scale: number): number[] {
  const [N, C] = shape;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let c = 0; c < C; c++) {
    let total = 0;
    if (C === 1) {
      for (let i = 0; i < values.length; i++) total += values[i];
    } else {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let i = 0; i < inner; i++) s += values[(n * C + c) * inner + i];
        total += s;
      }
    }
    out.push(total * scale);
  }
  return out;
}

const shapes = [[2, 32, 28, 28], [3, 1, 5, 7], [1, 4, 9, 2], [5, 6, 1, 1], [4, 3, 10], [2, 3, 2, 2, 3], [0, 3, 4], [3, 2, 0]];

describe('sum/mean over all dims but 1 of a contiguous tensor', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
    test(`${dtype}: bit-identical to the documented order, keepdim, at a storage offset`, () => {
      const rnd = lcg(41);
      for (const shape of shapes) {
        const slab = shape.slice(1).reduce((a, b) => a * b, 1);
        const numel = shape[0] * slab;
        const dims = [...shape.keys()].filter((d) => d !== 1);
        // One extra leading slab, dropped by narrow: x is contiguous at a nonzero offset.
        const big = tensor(Array.from({ length: numel + slab }, () => (dtype === 'int32' ? Math.floor(rnd() * 200 - 100) : rnd() * 2 - 1 + rnd() * 1e-7)), { dtype })
          .reshape([shape[0] + 1, ...shape.slice(1)]);
        const x = big.narrow(0, 1, shape[0]);
        expect(x.isContiguous()).toBe(true);
        const values = Array.from(x.data.subarray(x.offset, x.offset + numel));
        const round = (v: number[]) => Array.from(x.data.constructor === Float64Array ? Float64Array.from(v) : dtype === 'int32' ? Int32Array.from(v) : Float32Array.from(v));
        const s = x.sum(dims);
        expect(s.shape, `${shape}`).toEqual([shape[1]]);
        expect(Array.from(s.data), `sum ${shape}`).toEqual(round(channelOrder(values, shape, 1)));
        expect(x.sum(dims, true).shape).toEqual(shape.map((n, d) => (d === 1 ? n : 1)));
        if (dtype !== 'int32') {
          const R = numel / Math.max(shape[1], 1);
          expect(Array.from(x.mean(dims).data), `mean ${shape}`).toEqual(round(channelOrder(values, shape, 1 / R)));
        }
      }
    });
  }

  test('close to a float64 sum of the same values (float32 input)', () => {
    const rnd = lcg(43);
    const shape = [4, 8, 6, 6];
    const data = Array.from({ length: 4 * 8 * 36 }, () => rnd() * 2 - 1);
    const got = tensor(data, { dtype: 'float32' }).reshape(shape).sum([0, 2, 3]).data;
    const f32 = Float32Array.from(data);
    for (let c = 0; c < 8; c++) {
      let want = 0;
      for (let n = 0; n < 4; n++) for (let i = 0; i < 36; i++) want += f32[(n * 8 + c) * 36 + i];
      expect(got[c]).toBeCloseTo(want, 4);
    }
  });
});
