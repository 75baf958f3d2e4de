// 2-D pooling kernels over contiguous [planes, H, W] float arrays (planes = N*C), forward and backward.
import type { FloatArray } from '../../dtype.js';
import type { WindowGeometry } from './window.js';

/** One pooling window layout: input planes [H, W] -> output planes [oH, oW]. */
export interface PoolGeometry extends WindowGeometry {
  planes: number;
  /** Padding on each side (the same before and after). */
  padH: number;
  padW: number;
}

/** Smallest t >= 0 with start + t*step >= 0 (the first window tap inside the image). */
function firstInside(start: number, step: number): number {
  return start >= 0 ? start : start + Math.ceil(-start / step) * step;
}

/**
 * values = max over each window (padding counts as -inf), indices = the argmax as an index into the input
 * plane (ih*W + iw). The first maximum in row-major window order wins; a NaN wins over numbers (as PyTorch).
 */
export function maxPool2dForward(g: PoolGeometry, x: FloatArray, values: FloatArray, indices: Int32Array): void {
  const { H, W, oH, oW, kH, kW, strideH, strideW, padH, padW, dilationH, dilationW } = g;
  const plane = H * W;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const base = p * plane;
    for (let oh = 0; oh < oH; oh++) {
      const hStart = oh * strideH - padH;
      const hEnd = Math.min(hStart + (kH - 1) * dilationH + 1, H);
      const h0 = firstInside(hStart, dilationH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const wStart = ow * strideW - padW;
        const wEnd = Math.min(wStart + (kW - 1) * dilationW + 1, W);
        const w0 = firstInside(wStart, dilationW);
        let best = -Infinity;
        let bestIndex = h0 * W + w0;
        for (let ih = h0; ih < hEnd; ih += dilationH) {
          for (let iw = w0; iw < wEnd; iw += dilationW) {
            const idx = ih * W + iw;
            const v = x[base + idx];
            if (v > best || v !== v) {
              best = v;
              bestIndex = idx;
            }
          }
        }
        values[o] = best;
        indices[o] = bestIndex;
      }
    }
  }
}

/** gradIn (zero-filled, [planes, H*W]) += gradOut routed to the recorded argmax of each window. */
export function maxPool2dBackward(
  planes: number, inPlane: number, outPlane: number, gradOut: FloatArray, indices: Int32Array, gradIn: FloatArray,
): void {
  for (let p = 0; p < planes; p++) {
    const inBase = p * inPlane;
    const outBase = p * outPlane;
    for (let i = 0; i < outPlane; i++) gradIn[inBase + indices[outBase + i]] += gradOut[outBase + i];
  }
}

/** Options of average pooling that decide the divisor of each window. */
export interface AvgPoolDivisor {
  countIncludePad: boolean;
  /** 0 means none. */
  divisorOverride: number;
}

// The clipped window [h0, h1) x [w0, w1) and its divisor, written by avgWindow (no allocation per element).
const win = new Float64Array(5);

/**
 * The window of output (oh, ow) clipped to the image, and its divisor as PyTorch computes it: the override,
 * else the window clipped to the padded image (countIncludePad), else the number of input elements it covers.
 */
function avgWindow(g: PoolGeometry, d: AvgPoolDivisor, oh: number, ow: number): void {
  const h0 = oh * g.strideH - g.padH;
  const h1 = Math.min(h0 + g.kH, g.H + g.padH);
  const w0 = ow * g.strideW - g.padW;
  const w1 = Math.min(w0 + g.kW, g.W + g.padW);
  const ch0 = Math.max(h0, 0);
  const ch1 = Math.min(h1, g.H);
  const cw0 = Math.max(w0, 0);
  const cw1 = Math.min(w1, g.W);
  win[0] = ch0;
  win[1] = ch1;
  win[2] = cw0;
  win[3] = cw1;
  win[4] = d.divisorOverride !== 0 ? d.divisorOverride : d.countIncludePad ? (h1 - h0) * (w1 - w0) : (ch1 - ch0) * (cw1 - cw0);
}

/** out = mean of each window (dilation is not supported by average pooling, as in PyTorch). */
export function avgPool2dForward(g: PoolGeometry, d: AvgPoolDivisor, x: FloatArray, out: FloatArray): void {
  const { H, W, oH, oW } = g;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++, o++) {
        avgWindow(g, d, oh, ow);
        const h0 = win[0], h1 = win[1], w0 = win[2], w1 = win[3];
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) s += x[row + iw];
        }
        out[o] = h0 < h1 && w0 < w1 ? s / win[4] : 0;
      }
    }
  }
}

/** gradIn (zero-filled) += gradOut / divisor over each window. */
export function avgPool2dBackward(g: PoolGeometry, d: AvgPoolDivisor, gradOut: FloatArray, gradIn: FloatArray): void {
  const { H, W, oH, oW } = g;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++, o++) {
        avgWindow(g, d, oh, ow);
        const h0 = win[0], h1 = win[1], w0 = win[2], w1 = win[3];
        const v = gradOut[o] / win[4];
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) gradIn[row + iw] += v;
        }
      }
    }
  }
}

/** Bin i of an adaptive pool over n inputs into m outputs: [floor(i*n/m), ceil((i+1)*n/m)). */
function binStart(i: number, n: number, m: number): number {
  return Math.floor((i * n) / m);
}
function binEnd(i: number, n: number, m: number): number {
  return Math.ceil(((i + 1) * n) / m);
}

/** out [planes, oH, oW] = mean over the adaptive bins of x [planes, H, W]. */
export function adaptiveAvgPool2dForward(
  planes: number, H: number, W: number, oH: number, oW: number, x: FloatArray, out: FloatArray,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = binStart(oh, H, oH);
      const h1 = binEnd(oh, H, oH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = binStart(ow, W, oW);
        const w1 = binEnd(ow, W, oW);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) s += x[row + iw];
        }
        out[o] = s / ((h1 - h0) * (w1 - w0));
      }
    }
  }
}

/** gradIn (zero-filled) += gradOut spread evenly over each adaptive bin (bins may overlap). */
export function adaptiveAvgPool2dBackward(
  planes: number, H: number, W: number, oH: number, oW: number, gradOut: FloatArray, gradIn: FloatArray,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = binStart(oh, H, oH);
      const h1 = binEnd(oh, H, oH);
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = binStart(ow, W, oW);
        const w1 = binEnd(ow, W, oW);
        const v = gradOut[o] / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) gradIn[row + iw] += v;
        }
      }
    }
  }
}
