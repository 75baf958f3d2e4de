// The fused kernels behind every normalization: pure loops over contiguous typed arrays, no tensors.
// They implement the reduction described in ./core.ts over a NormLayout: x viewed as [n, c, s], one
// (mean, variance) per statistics slot; all accumulation is in float64 (JS numbers) whatever the dtype.
import type { NormLayout } from './core.js';

export type FloatArray = Float32Array | Float64Array;

/** Number of statistics slots (length of the mean/rstd arrays). */
export function slotCount(l: NormLayout): number {
  return (l.acrossBatch ? 1 : l.n) * l.groups;
}

/** Number of elements that share one mean and variance. */
export function slotSize(l: NormLayout): number {
  return (l.acrossBatch ? l.n : 1) * (l.c / l.groups) * l.s;
}

/** Where slot k starts: the first element of its group in its first row (a group of one row is contiguous). */
function slotStart(l: NormLayout, k: number): number {
  const row = l.acrossBatch ? 0 : Math.floor(k / l.groups);
  return (row * l.c + (k % l.groups) * (l.c / l.groups)) * l.s;
}

/**
 * The elements of `a` from `offset` on, as an array indexed from 0. Rebasing once per call lets every loop
 * index x, dy, dx and out with one running index: V8 compiles that much faster than offset arithmetic.
 */
function from<A extends FloatArray>(a: A, offset: number): A {
  return (offset === 0 ? a : a.subarray(offset)) as A;
}

/**
 * Mean, biased variance and rstd = 1/sqrt(var + eps) of every slot, by two passes (mean, then the
 * squared deviations from it), which stays accurate when the mean is large compared to the spread.
 */
export function normStats(
  xData: FloatArray,
  xOff: number,
  l: NormLayout,
  eps: number,
  mean: Float64Array,
  variance: Float64Array,
  rstd: Float64Array,
): void {
  const x = from(xData, xOff);
  const rows = l.acrossBatch ? l.n : 1;
  const len = (l.c / l.groups) * l.s; // one group of one row is contiguous
  const rowStride = l.c * l.s;
  const count = rows * len;
  const slots = slotCount(l);
  for (let k = 0; k < slots; k++) {
    const first = slotStart(l, k);
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += blockSum(x, first + r * rowStride, len);
    const m = sum / count;
    let m2 = 0;
    for (let r = 0; r < rows; r++) m2 += blockSquaredDeviations(x, first + r * rowStride, len, m);
    const v = m2 / count;
    mean[k] = m;
    variance[k] = v;
    rstd[k] = 1 / Math.sqrt(v + eps);
  }
}

// Four independent accumulators: one add chain per element is latency-bound; four run about twice as fast
// (and sum pairwise, which is no less accurate).
function blockSum(x: FloatArray, start: number, len: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const end = start + len;
  let i = start;
  for (; i + 3 < end; i += 4) {
    a0 += x[i];
    a1 += x[i + 1];
    a2 += x[i + 2];
    a3 += x[i + 3];
  }
  for (; i < end; i++) a0 += x[i];
  return a0 + a1 + (a2 + a3);
}

/** Sum of (x - m)^2 over x[start, start + len), with four accumulators as blockSum. */
function blockSquaredDeviations(x: FloatArray, start: number, len: number, m: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const end = start + len;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const d0 = x[i] - m;
    const d1 = x[i + 1] - m;
    const d2 = x[i + 2] - m;
    const d3 = x[i + 3] - m;
    a0 += d0 * d0;
    a1 += d1 * d1;
    a2 += d2 * d2;
    a3 += d3 * d3;
  }
  for (; i < end; i++) {
    const d = x[i] - m;
    a0 += d * d;
  }
  return a0 + a1 + (a2 + a3);
}

/** out = (x - mean) * rstd * weight[c] + bias[c] for every element; weight/bias null mean 1/0. */
export function normApply(
  xData: FloatArray,
  xOff: number,
  l: NormLayout,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  weight: FloatArray | null,
  bias: FloatArray | null,
  out: FloatArray,
): void {
  const x = from(xData, xOff);
  const { n, c, s, groups } = l;
  const perGroup = c / groups;
  for (let row = 0; row < n; row++) {
    for (let g = 0; g < groups; g++) {
      const k = (l.acrossBatch ? 0 : row * groups) + g;
      const start = (row * c + g * perGroup) * s;
      if (s === 1) applyElements(x, out, start, g * perGroup, perGroup, mean[k], rstd[k], weight, bias);
      else applyChannels(x, out, start, g * perGroup, perGroup, s, mean[k], rstd[k], weight, bias);
    }
  }
}

// (x - m) first in both: a one-element slot gives exactly the bias.

/** One group of one row: perGroup channels of s contiguous elements each, from `start`. */
function applyChannels(
  x: FloatArray,
  out: FloatArray,
  start: number,
  ch0: number,
  perGroup: number,
  s: number,
  m: number,
  r: number,
  weight: FloatArray | null,
  bias: FloatArray | null,
): void {
  let i = start;
  for (let j = 0; j < perGroup; j++) {
    const scale = weight === null ? r : r * weight[ch0 + j];
    const shift = bias === null ? 0 : bias[ch0 + j];
    for (const end = i + s; i < end; i++) out[i] = (x[i] - m) * scale + shift;
  }
}

/** One group of one row when every element is its own channel (s = 1, LayerNorm's layout). */
function applyElements(
  x: FloatArray,
  out: FloatArray,
  start: number,
  ch0: number,
  len: number,
  m: number,
  r: number,
  weight: FloatArray | null,
  bias: FloatArray | null,
): void {
  for (let j = ch0, i = start, end = ch0 + len; j < end; j++, i++) {
    const scale = weight === null ? r : r * weight[j];
    out[i] = (x[i] - m) * scale + (bias === null ? 0 : bias[j]);
  }
}

/**
 * The analytic backward of normApply. With `statsFromInput` the mean and rstd are functions of x (the
 * usual training case): dx = rstd * (dy*w - mean_slot(dy*w) - xhat * mean_slot(dy*w*xhat)); otherwise
 * they are constants (BatchNorm in eval mode) and dx = dy * w * rstd. dweight[c] = sum dy*xhat and
 * dbias[c] = sum dy over the elements of channel c. Any of dx/dweight/dbias may be null (not needed).
 * Two passes per slot: channel sums of dy and dy*(x - mean), then dx.
 */
export function normBackward(
  xData: FloatArray,
  xOff: number,
  dyData: FloatArray,
  dyOff: number,
  l: NormLayout,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  weight: FloatArray | null,
  statsFromInput: boolean,
  dx: FloatArray | null,
  dweight: FloatArray | null,
  dbias: FloatArray | null,
): void {
  const x = from(xData, xOff);
  const dy = from(dyData, dyOff);
  const { c, groups } = l;
  const perGroup = c / groups;
  const count = slotSize(l);
  const slots = slotCount(l);
  // per channel of the current slot: sum dy and sum dy*(x - mean)
  const sumDy = new Float64Array(perGroup);
  const sumDyXc = new Float64Array(perGroup);
  const accW = new Float64Array(c);
  const accB = new Float64Array(c);
  const w = new Float64Array(perGroup);
  for (let k = 0; k < slots; k++) {
    const g = k % groups;
    const first = slotStart(l, k);
    const m = mean[k];
    const r = rstd[k];
    if (l.s === 1 && !l.acrossBatch) {
      slotBackwardElements(x, dy, first, g * perGroup, perGroup, m, r, weight, statsFromInput, dx, accW, accB);
      continue;
    }
    slotChannelSums(x, dy, l, first, m, sumDy, sumDyXc);
    // slot means of dy*w and dy*w*xhat
    let meanA = 0;
    let meanB = 0;
    for (let j = 0; j < perGroup; j++) {
      const ch = g * perGroup + j;
      w[j] = weight === null ? 1 : weight[ch];
      meanA += w[j] * sumDy[j];
      meanB += w[j] * sumDyXc[j] * r;
      accW[ch] += sumDyXc[j] * r;
      accB[ch] += sumDy[j];
    }
    if (dx === null) continue;
    if (statsFromInput) slotDx(x, dy, l, first, m, r, w, meanA / count, meanB / count, dx);
    else slotDx(x, dy, l, first, m, r, w, 0, 0, dx);
  }
  if (dweight !== null) for (let ch = 0; ch < c; ch++) dweight[ch] = accW[ch];
  if (dbias !== null) for (let ch = 0; ch < c; ch++) dbias[ch] = accB[ch];
}

/** sumDy[j] = sum of dy and sumDyXc[j] = sum of dy * (x - m) over channel j of the slot starting at `first`. */
function slotChannelSums(
  x: FloatArray,
  dy: FloatArray,
  l: NormLayout,
  first: number,
  m: number,
  sumDy: Float64Array,
  sumDyXc: Float64Array,
): void {
  const s = l.s;
  const perGroup = sumDy.length;
  const rows = l.acrossBatch ? l.n : 1;
  const rowStride = l.c * s;
  sumDy.fill(0);
  sumDyXc.fill(0);
  for (let row = 0; row < rows; row++) {
    let i = first + row * rowStride;
    for (let j = 0; j < perGroup; j++) {
      // Two accumulators per sum, as in blockSum: one add chain per element is latency-bound.
      let sd0 = 0;
      let sd1 = 0;
      let sdx0 = 0;
      let sdx1 = 0;
      const end = i + s;
      for (; i + 1 < end; i += 2) {
        const d0 = dy[i];
        const d1 = dy[i + 1];
        sd0 += d0;
        sd1 += d1;
        sdx0 += d0 * (x[i] - m);
        sdx1 += d1 * (x[i + 1] - m);
      }
      if (i < end) {
        const d = dy[i];
        sd0 += d;
        sdx0 += d * (x[i] - m);
        i++;
      }
      sumDy[j] += sd0 + sd1;
      sumDyXc[j] += sdx0 + sdx1;
    }
  }
}

/**
 * dx = rstd * (w*dy - meanA - xhat * meanB) over one slot (meanA = meanB = 0 for constant statistics).
 * For a one-element slot w*dy - meanA is exactly 0, so dx is exactly 0 there.
 */
function slotDx(
  x: FloatArray,
  dy: FloatArray,
  l: NormLayout,
  first: number,
  m: number,
  r: number,
  w: Float64Array,
  meanA: number,
  meanB: number,
  dx: FloatArray,
): void {
  // The same walk over the slot as slotChannelSums, written out rather than shared: a per-element callback would cost here.
  const s = l.s;
  const perGroup = w.length;
  const rows = l.acrossBatch ? l.n : 1;
  const rowStride = l.c * s;
  for (let row = 0; row < rows; row++) {
    let i = first + row * rowStride;
    for (let j = 0; j < perGroup; j++) {
      const wj = w[j];
      for (const end = i + s; i < end; i++) {
        const xhat = (x[i] - m) * r;
        dx[i] = r * (wj * dy[i] - meanA - xhat * meanB);
      }
    }
  }
}

/**
 * The whole backward of one slot when every element is its own channel (s = 1 and one row: LayerNorm's
 * layout), in two passes over the slot instead of per-channel loops of one element.
 */
function slotBackwardElements(
  x: FloatArray,
  dy: FloatArray,
  start: number,
  ch0: number,
  len: number,
  m: number,
  r: number,
  weight: FloatArray | null,
  statsFromInput: boolean,
  dx: FloatArray | null,
  accW: Float64Array,
  accB: Float64Array,
): void {
  let sumA = 0;
  let sumB = 0;
  const end = ch0 + len;
  for (let j = ch0, i = start; j < end; j++, i++) {
    const d = dy[i];
    const dxc = d * (x[i] - m);
    const w = weight === null ? 1 : weight[j];
    sumA += w * d;
    sumB += w * dxc;
    accW[j] += dxc * r;
    accB[j] += d;
  }
  if (dx === null) return;
  const meanA = statsFromInput ? sumA / len : 0;
  const meanB = statsFromInput ? (sumB * r) / len : 0;
  for (let j = ch0, i = start; j < end; j++, i++) {
    const w = weight === null ? 1 : weight[j];
    const xhat = (x[i] - m) * r;
    dx[i] = r * (w * dy[i] - meanA - xhat * meanB);
  }
}
