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

/**
 * gradIn [planes, inPlane] (overwritten) = gradOut [planes, outPlane] routed to the recorded argmax of each
 * window and summed in order where windows share one. Returns -1, or the position of the first index outside
 * [0, inPlane) (the caller throws; gradIn is then partly written): checking here saves the op a pass over the
 * indices.
 */
export function maxPool2dBackward(
  planes: number, inPlane: number, outPlane: number, gradOut: FloatArray, indices: Int32Array, gradIn: FloatArray,
): number {
  gradIn.fill(0, 0, planes * inPlane);
  for (let p = 0, o = 0; p < planes; p++) {
    const inBase = p * inPlane;
    for (const end = o + outPlane; o < end; o++) {
      const j = indices[o];
      if (!(j >= 0 && j < inPlane)) return o;
      gradIn[inBase + j] += gradOut[o];
    }
  }
  return -1;
}

/** Options of average pooling that decide the divisor of each window. */
export interface AvgPoolDivisor {
  countIncludePad: boolean;
  /** 0 means none. */
  divisorOverride: number;
}

/** One input window [lo[i], hi[i]) per output row (or column), clipped to the image, and its divisor factor. */
interface Windows {
  lo: Int32Array;
  hi: Int32Array;
  len: Float64Array;
}

function windows(n: number): Windows {
  return { lo: new Int32Array(n), hi: new Int32Array(n), len: new Float64Array(n) };
}

/**
 * Average pooling's windows along one dim, and the divisor factor as PyTorch computes it: the window clipped to
 * the padded image (countIncludePad), else the number of input elements it covers.
 */
function avgWindows(out: number, size: number, k: number, stride: number, pad: number, countIncludePad: boolean): Windows {
  const w = windows(out);
  for (let i = 0; i < out; i++) {
    const start = i * stride - pad;
    const end = Math.min(start + k, size + pad);
    w.lo[i] = Math.max(start, 0);
    w.hi[i] = Math.min(end, size);
    w.len[i] = countIncludePad ? end - start : w.hi[i] - w.lo[i];
  }
  return w;
}

/** Bin i of an adaptive pool over `size` inputs into `out` outputs: [floor(i*size/out), ceil((i+1)*size/out)). */
function adaptiveWindows(out: number, size: number): Windows {
  const w = windows(out);
  for (let i = 0; i < out; i++) {
    w.lo[i] = Math.floor((i * size) / out);
    w.hi[i] = Math.ceil(((i + 1) * size) / out);
    w.len[i] = w.hi[i] - w.lo[i];
  }
  return w;
}

/**
 * The divisor of each window rows[oh] x cols[ow]: the override if not 0, else rows.len * cols.len; 1 for an
 * empty window (its sum, 0, then gives 0, and it spreads nothing).
 */
function divisors(rows: Windows, cols: Windows, override: number): Float64Array {
  const oH = rows.lo.length, oW = cols.lo.length;
  const div = new Float64Array(oH * oW);
  for (let oh = 0, o = 0; oh < oH; oh++) {
    for (let ow = 0; ow < oW; ow++, o++) {
      const empty = rows.lo[oh] >= rows.hi[oh] || cols.lo[ow] >= cols.hi[ow];
      div[o] = empty ? 1 : override !== 0 ? override : rows.len[oh] * cols.len[ow];
    }
  }
  return div;
}

/** out [planes, oH, oW] = sum of x [planes, H, W] over each window rows[oh] x cols[ow] / its divisor. */
function windowMean(planes: number, H: number, W: number, rows: Windows, cols: Windows, div: Float64Array, x: FloatArray, out: FloatArray): void {
  const oH = rows.lo.length, oW = cols.lo.length;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    // q: the window's index within the plane (o runs on over the planes).
    for (let oh = 0, q = 0; oh < oH; oh++) {
      const h0 = rows.lo[oh], h1 = rows.hi[oh];
      for (let ow = 0; ow < oW; ow++, o++, q++) {
        const w0 = cols.lo[ow], w1 = cols.hi[ow];
        let s = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) s += x[row + iw];
        }
        out[o] = s / div[q];
      }
    }
  }
}

/**
 * The adjoint of windowMean: gradIn (zero-filled) += gradOut / divisor over each window (windows may overlap).
 * The same walk as windowMean on purpose (like col2im): a direction flag would sit in the inner loops.
 */
function windowSpread(
  planes: number, H: number, W: number, rows: Windows, cols: Windows, div: Float64Array, gradOut: FloatArray, gradIn: FloatArray,
): void {
  const oH = rows.lo.length, oW = cols.lo.length;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    // q: the window's index within the plane (o runs on over the planes).
    for (let oh = 0, q = 0; oh < oH; oh++) {
      const h0 = rows.lo[oh], h1 = rows.hi[oh];
      for (let ow = 0; ow < oW; ow++, o++, q++) {
        const w0 = cols.lo[ow], w1 = cols.hi[ow];
        const v = gradOut[o] / div[q];
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * W;
          for (let iw = w0; iw < w1; iw++) gradIn[row + iw] += v;
        }
      }
    }
  }
}

/** out = mean of each window (dilation is not supported by average pooling, as in PyTorch). */
export function avgPool2dForward(g: PoolGeometry, d: AvgPoolDivisor, x: FloatArray, out: FloatArray): void {
  const rows = avgWindows(g.oH, g.H, g.kH, g.strideH, g.padH, d.countIncludePad);
  const cols = avgWindows(g.oW, g.W, g.kW, g.strideW, g.padW, d.countIncludePad);
  windowMean(g.planes, g.H, g.W, rows, cols, divisors(rows, cols, d.divisorOverride), x, out);
}

/** gradIn (zero-filled) += gradOut / divisor over each window. */
export function avgPool2dBackward(g: PoolGeometry, d: AvgPoolDivisor, gradOut: FloatArray, gradIn: FloatArray): void {
  const rows = avgWindows(g.oH, g.H, g.kH, g.strideH, g.padH, d.countIncludePad);
  const cols = avgWindows(g.oW, g.W, g.kW, g.strideW, g.padW, d.countIncludePad);
  windowSpread(g.planes, g.H, g.W, rows, cols, divisors(rows, cols, d.divisorOverride), gradOut, gradIn);
}

/** out [planes, oH, oW] = mean over the adaptive bins of x [planes, H, W]. */
export function adaptiveAvgPool2dForward(
  planes: number, H: number, W: number, oH: number, oW: number, x: FloatArray, out: FloatArray,
): void {
  const rows = adaptiveWindows(oH, H), cols = adaptiveWindows(oW, W);
  windowMean(planes, H, W, rows, cols, divisors(rows, cols, 0), x, out);
}

/** gradIn (zero-filled) += gradOut spread evenly over each adaptive bin (bins may overlap). */
export function adaptiveAvgPool2dBackward(
  planes: number, H: number, W: number, oH: number, oW: number, gradOut: FloatArray, gradIn: FloatArray,
): void {
  const rows = adaptiveWindows(oH, H), cols = adaptiveWindows(oW, W);
  windowSpread(planes, H, W, rows, cols, divisors(rows, cols, 0), gradOut, gradIn);
}
