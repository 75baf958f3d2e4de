// Pooling kernels against naive window loops on random configurations (incl. ceilMode and ties), and one
// test per kind of bad input.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, IndexError, ShapeError, type Tensor, adaptiveAvgPool2d, avgPool2d, maxPool2d, tensor, zeros,
} from '@minigrad/tensor';
import { adaptiveAvgPool2dBackward, avgPool2dBackward, maxPool2dBackward } from '@minigrad/tensor/internal';
import { assertClose } from '@minigrad/testing';
import { int, lcg } from './seeded.js';


/** Values from {0, 1, 2} (many ties) or uniform ones. */
function randomTensor(shape: number[], rnd: () => number, ties: boolean): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n }, () => (ties ? int(rnd, 0, 2) : rnd() * 2 - 1));
  return tensor(data, { dtype: 'float64', shape });
}

/** Output size per PyTorch's docs: floor or ceil of (H + 2p - d(k-1) - 1)/s + 1, last window starting inside input + p. */
function outSize(H: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = (H + 2 * p - d * (k - 1) - 1) / s;
  let o = (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
  if (ceil && (o - 1) * s >= H + p) o--;
  return o;
}

const TOL = { atol: 1e-12, rtol: 1e-11 };

describe('maxPool2d vs a naive window scan', () => {
  it('random kernel / stride / padding / dilation / ceilMode, with and without ties', () => {
    const rnd = lcg(11);
    let tested = 0;
    while (tested < 60) {
      const [N, C, H, W] = [int(rnd, 1, 2), int(rnd, 1, 3), int(rnd, 1, 9), int(rnd, 1, 9)];
      const k = [int(rnd, 1, 4), int(rnd, 1, 4)];
      const s = [int(rnd, 1, 3), int(rnd, 1, 3)];
      const p = [int(rnd, 0, Math.floor(k[0] / 2)), int(rnd, 0, Math.floor(k[1] / 2))];
      const d = [int(rnd, 1, 2), int(rnd, 1, 2)];
      const ceilMode = rnd() < 0.5;
      const oH = outSize(H, k[0], s[0], p[0], d[0], ceilMode);
      const oW = outSize(W, k[1], s[1], p[1], d[1], ceilMode);
      if (oH < 1 || oW < 1) continue;
      const x = randomTensor([N, C, H, W], rnd, rnd() < 0.5);
      const xd = x.toTypedArray();
      const vals = new Float64Array(N * C * oH * oW);
      const idx: number[] = [];
      for (let pl = 0; pl < N * C; pl++)
        for (let oh = 0; oh < oH; oh++)
          for (let ow = 0; ow < oW; ow++) {
            let best = -Infinity;
            let at = -1;
            for (let i = 0; i < k[0]; i++)
              for (let j = 0; j < k[1]; j++) {
                const ih = oh * s[0] - p[0] + i * d[0];
                const iw = ow * s[1] - p[1] + j * d[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue; // padding is -inf: never the max
                if (at < 0 || xd[pl * H * W + ih * W + iw] > best) {
                  best = xd[pl * H * W + ih * W + iw];
                  at = ih * W + iw;
                }
              }
            vals[idx.length] = best;
            idx.push(at);
          }
      const opts = { kernelSize: k as [number, number], stride: s as [number, number], padding: p as [number, number], dilation: d as [number, number], ceilMode };
      const label = JSON.stringify({ x: x.shape, ...opts });
      const { values, indices } = maxPool2d(x, opts);
      expect(values.shape, label).toEqual([N, C, oH, oW]);
      assertClose(values.toTypedArray(), vals, { ...TOL, label });
      expect(Array.from(indices.toTypedArray()), label).toEqual(idx);
      // Backward: every output gradient lands on its argmax; overlapping windows add up.
      const g = randomTensor([N, C, oH, oW], rnd, false);
      const gd = g.toTypedArray();
      const gradX = new Float64Array(xd.length);
      idx.forEach((at, o) => (gradX[Math.floor(o / (oH * oW)) * H * W + at] += gd[o]));
      assertClose(maxPool2dBackward(g, indices, x.shape).toTypedArray(), gradX, { ...TOL, label: `${label} backward` });
      tested++;
    }
  });

  it('propagates NaN like PyTorch and defaults stride to kernelSize', () => {
    const x = tensor([[[1, NaN, 3, 4], [5, 6, 7, 8]]], { dtype: 'float64' });
    const { values, indices } = maxPool2d(x, { kernelSize: 2 });
    expect(values.shape).toEqual([1, 1, 2]);
    expect(Number.isNaN(values.toTypedArray()[0])).toBe(true);
    expect(Array.from(indices.toTypedArray())).toEqual([1, 7]);
  });
});

/**
 * A random input x [N, C, H, W] and output gradient g [N, C, oH, oW] (drawn in that order) with their values,
 * and the zeroed expected output and input gradient that a naive window mean fills in.
 */
function meanCase(N: number, C: number, H: number, W: number, oH: number, oW: number, rnd: () => number) {
  const x = randomTensor([N, C, H, W], rnd, false);
  const g = randomTensor([N, C, oH, oW], rnd, false);
  const xd = x.toTypedArray();
  return { x, g, xd, gd: g.toTypedArray(), out: new Float64Array(N * C * oH * oW), gradX: new Float64Array(xd.length) };
}

describe('avgPool2d vs a naive window mean', () => {
  it('random configurations of ceilMode, countIncludePad and divisorOverride', () => {
    const rnd = lcg(12);
    let tested = 0;
    while (tested < 60) {
      const [N, C, H, W] = [int(rnd, 1, 2), int(rnd, 1, 3), int(rnd, 1, 9), int(rnd, 1, 9)];
      const k = [int(rnd, 1, 4), int(rnd, 1, 4)];
      const s = [int(rnd, 1, 3), int(rnd, 1, 3)];
      const p = [int(rnd, 0, Math.floor(k[0] / 2)), int(rnd, 0, Math.floor(k[1] / 2))];
      const ceilMode = rnd() < 0.5;
      const countIncludePad = rnd() < 0.5;
      const divisorOverride = rnd() < 0.2 ? int(rnd, 1, 7) : undefined;
      const oH = outSize(H, k[0], s[0], p[0], 1, ceilMode);
      const oW = outSize(W, k[1], s[1], p[1], 1, ceilMode);
      if (oH < 1 || oW < 1) continue;
      const { x, g, xd, gd, out, gradX } = meanCase(N, C, H, W, oH, oW, rnd);
      let o = 0;
      for (let pl = 0; pl < N * C; pl++)
        for (let oh = 0; oh < oH; oh++)
          for (let ow = 0; ow < oW; ow++, o++) {
            // Count the window's cells inside the padded image and inside the image itself.
            let inPadded = 0;
            const cells: number[] = [];
            for (let i = 0; i < k[0]; i++)
              for (let j = 0; j < k[1]; j++) {
                const ih = oh * s[0] - p[0] + i;
                const iw = ow * s[1] - p[1] + j;
                if (ih >= H + p[0] || iw >= W + p[1]) continue;
                inPadded++;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W) cells.push(pl * H * W + ih * W + iw);
              }
            const divisor = divisorOverride ?? (countIncludePad ? inPadded : cells.length);
            out[o] = cells.reduce((a, c) => a + xd[c], 0) / divisor;
            for (const c of cells) gradX[c] += gd[o] / divisor;
          }
      const opts = { kernelSize: k as [number, number], stride: s as [number, number], padding: p as [number, number], ceilMode, countIncludePad, divisorOverride };
      const label = JSON.stringify({ x: x.shape, ...opts });
      const got = avgPool2d(x, opts);
      expect(got.shape, label).toEqual([N, C, oH, oW]);
      assertClose(got.toTypedArray(), out, { ...TOL, label });
      assertClose(avgPool2dBackward(g, x.shape, opts).toTypedArray(), gradX, { ...TOL, label: `${label} backward` });
      tested++;
    }
  });
});

describe('adaptiveAvgPool2d vs naive bins', () => {
  it('random input and output sizes (bins may overlap, output may exceed input)', () => {
    const rnd = lcg(13);
    for (let t = 0; t < 40; t++) {
      const [N, C, H, W] = [int(rnd, 1, 2), int(rnd, 1, 3), int(rnd, 1, 9), int(rnd, 1, 9)];
      const [oH, oW] = [int(rnd, 1, 10), int(rnd, 1, 10)];
      const { x, g, xd, gd, out, gradX } = meanCase(N, C, H, W, oH, oW, rnd);
      let o = 0;
      for (let pl = 0; pl < N * C; pl++)
        for (let i = 0; i < oH; i++)
          for (let j = 0; j < oW; j++, o++) {
            const [h0, h1] = [Math.floor((i * H) / oH), Math.ceil(((i + 1) * H) / oH)];
            const [w0, w1] = [Math.floor((j * W) / oW), Math.ceil(((j + 1) * W) / oW)];
            const n = (h1 - h0) * (w1 - w0);
            for (let ih = h0; ih < h1; ih++)
              for (let iw = w0; iw < w1; iw++) {
                out[o] += xd[pl * H * W + ih * W + iw] / n;
                gradX[pl * H * W + ih * W + iw] += gd[o] / n;
              }
          }
      const label = `x [${x.shape}] -> ${oH}x${oW}`;
      assertClose(adaptiveAvgPool2d(x, [oH, oW]).toTypedArray(), out, { ...TOL, label });
      assertClose(adaptiveAvgPool2dBackward(g, x.shape).toTypedArray(), gradX, { ...TOL, label: `${label} backward` });
    }
  });

  it('null keeps an input size; a number is used for both dims', () => {
    const x = zeros([1, 2, 5, 7]);
    expect(adaptiveAvgPool2d(x, [null, 3]).shape).toEqual([1, 2, 5, 3]);
    expect(adaptiveAvgPool2d(x, 2).shape).toEqual([1, 2, 2, 2]);
  });
});

describe('pooling errors', () => {
  const x = zeros([1, 1, 4, 4]);
  it('padding larger than half the kernel', () => {
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(/maxPool2d: padding \[2,2\] must be at most half of kernelSize \[2,2\]/);
    expect(() => avgPool2d(x, { kernelSize: 3, padding: [0, 2] })).toThrow(ArgumentError);
  });
  it('an input too small for the window (empty output)', () => {
    expect(() => maxPool2d(x, { kernelSize: 3, dilation: 2 })).toThrow(/maxPool2d: input \[1,1,4,4\] is too small for kernelSize \[3,3\].*0x0/);
    expect(() => avgPool2d(zeros([1, 1, 1, 4]), { kernelSize: 2 })).toThrow(ShapeError);
  });
  it('input of the wrong rank or with an empty plane', () => {
    expect(() => maxPool2d(zeros([4, 4]), { kernelSize: 2 })).toThrow(/maxPool2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[4,4\]/);
    expect(() => adaptiveAvgPool2d(zeros([1, 0, 4]), 2)).toThrow(/adaptiveAvgPool2d: input needs non-zero channels, height and width/);
  });
  it('non-float input', () => {
    expect(() => maxPool2d(zeros([1, 4, 4], { dtype: 'int32' }), { kernelSize: 2 })).toThrow(/maxPool2d: input must be float32 or float64, got int32/);
  });
  it('missing or invalid kernelSize / stride / options', () => {
    expect(() => maxPool2d(x, {} as { kernelSize: number })).toThrow(/maxPool2d: kernelSize must be an integer >= 1/);
    expect(() => maxPool2d(x, undefined as unknown as { kernelSize: number })).toThrow(/maxPool2d: needs an options object with kernelSize/);
    expect(() => avgPool2d(x, { kernelSize: 2, stride: 0 })).toThrow(/avgPool2d: stride must be an integer >= 1/);
    expect(() => maxPool2d(x, { kernelSize: 2, ceilMode: 1 as unknown as boolean })).toThrow(/maxPool2d: ceilMode must be a boolean/);
  });
  it('divisorOverride of zero', () => {
    expect(() => avgPool2d(x, { kernelSize: 2, divisorOverride: 0 })).toThrow(/avgPool2d: divisorOverride must be a non-zero integer, got 0/);
  });
  it('maxPool2dBackward: indices out of range, of the wrong dtype or shape', () => {
    const g = zeros([1, 1, 2, 2]);
    expect(() => maxPool2dBackward(g, tensor([[[[0, 1], [2, 16]]]], { dtype: 'int32' }), [1, 1, 4, 4]))
      .toThrow(IndexError);
    expect(() => maxPool2dBackward(g, tensor([[[[0, 1], [2, 16]]]], { dtype: 'int32' }), [1, 1, 4, 4]))
      .toThrow(/maxPool2dBackward: index 16 is out of range for an input plane of 4x4/);
    expect(() => maxPool2dBackward(g, zeros([1, 1, 2, 2]), [1, 1, 4, 4])).toThrow(DTypeError);
    expect(() => maxPool2dBackward(g, zeros([1, 1, 2, 3], { dtype: 'int32' }), [1, 1, 4, 4])).toThrow(ShapeError);
    expect(() => maxPool2dBackward(g, zeros([1, 1, 2, 2], { dtype: 'int32' }), [1, 2, 4, 4]))
      .toThrow(/maxPool2dBackward: gradOut \[1,1,2,2\] does not match the batch and channels of inputShape \[1,2,4,4\]/);
  });
  it('avgPool2dBackward / adaptiveAvgPool2dBackward with a gradOut of the wrong shape', () => {
    expect(() => avgPool2dBackward(zeros([1, 1, 3, 3]), [1, 1, 4, 4], { kernelSize: 2 }))
      .toThrow(/avgPool2dBackward: gradOut has shape \[1,1,3,3\] but avgPool2d of input \[1,1,4,4\] needs \[1,1,2,2\]/);
    expect(() => adaptiveAvgPool2dBackward(zeros([2, 1, 3, 3]), [1, 1, 4, 4])).toThrow(ShapeError);
  });
  it('adaptiveAvgPool2d with an invalid output size', () => {
    expect(() => adaptiveAvgPool2d(x, 0)).toThrow(/adaptiveAvgPool2d: outputSize must be a positive integer or a pair of them \(null keeps the input size\), got 0/);
    expect(() => adaptiveAvgPool2d(x, [2, 1.5])).toThrow(ArgumentError);
  });
});
