// The normalization kernels (the fused fast path of @minigrad/nn's GroupNorm, LayerNorm, InstanceNorm and
// BatchNorm, like ATen's native_group_norm / native_batch_norm kernels): pure loops over contiguous typed
// arrays. x is viewed as [n, c, s] and one (mean, variance) is kept per statistics slot (see NormGeometry);
// all accumulation is in float64 (JS numbers) whatever the dtype.
//
// Every reduction keeps P interleaved partial sums (element i of a run goes to partial i % P, a ragged tail
// to partial 0), combined pairwise: (p0 + p1) + (p2 + p3), and for P = 8 that plus ((p4 + p5) + (p6 + p7)).
// The statistics use P = 8, each backward sum P = 4 (two sums share the loop). Independent add chains run
// several times faster than one, and the wasm kernels (assembly/norm.ts) keep the same partials in the lanes
// of f64x2 vectors, so both backends add the same numbers in the same order and agree bit for bit.
import type { FloatArray } from '../../dtype.js';

/**
 * x viewed as [n, c, s] (batch, channels, everything after the channels). Channels are split into `groups`
 * consecutive groups; a statistics slot holds one group, of one batch row, or of every row when
 * `acrossBatch`. Slot k = (acrossBatch ? 0 : row) * groups + group. nn's NormLayout is this geometry.
 */
export interface NormGeometry {
  readonly n: number;
  readonly c: number;
  readonly s: number;
  readonly groups: number;
  readonly acrossBatch: boolean;
}

/** Number of statistics slots (length of the mean/rstd arrays). */
export function normSlotCount(g: NormGeometry): number {
  return (g.acrossBatch ? 1 : g.n) * g.groups;
}

/** Number of elements that share one mean and variance. */
export function normSlotSize(g: NormGeometry): number {
  return (g.acrossBatch ? g.n : 1) * (g.c / g.groups) * g.s;
}

/** Where slot k starts: the first element of its group in its first row (a group of one row is contiguous). */
function slotStart(g: NormGeometry, k: number): number {
  const row = g.acrossBatch ? 0 : Math.floor(k / g.groups);
  return (row * g.c + (k % g.groups) * (g.c / g.groups)) * g.s;
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
  g: NormGeometry,
  eps: number,
  mean: Float64Array,
  variance: Float64Array,
  rstd: Float64Array,
): void {
  const x = from(xData, xOff);
  const rows = g.acrossBatch ? g.n : 1;
  const len = (g.c / g.groups) * g.s; // one group of one row is contiguous
  const rowStride = g.c * g.s;
  const count = rows * len;
  const slots = normSlotCount(g);
  for (let k = 0; k < slots; k++) {
    const first = slotStart(g, k);
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

/** Sum of x[start, start + len), in eight partials (file comment). */
function blockSum(x: FloatArray, start: number, len: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  const end = start + len;
  let i = start;
  for (; i + 7 < end; i += 8) {
    a0 += x[i];
    a1 += x[i + 1];
    a2 += x[i + 2];
    a3 += x[i + 3];
    a4 += x[i + 4];
    a5 += x[i + 5];
    a6 += x[i + 6];
    a7 += x[i + 7];
  }
  for (; i < end; i++) a0 += x[i];
  return a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

/** Sum of (x - m)^2 over x[start, start + len), in eight partials (file comment). */
function blockSquaredDeviations(x: FloatArray, start: number, len: number, m: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  const end = start + len;
  let i = start;
  for (; i + 7 < end; i += 8) {
    const d0 = x[i] - m;
    const d1 = x[i + 1] - m;
    const d2 = x[i + 2] - m;
    const d3 = x[i + 3] - m;
    const d4 = x[i + 4] - m;
    const d5 = x[i + 5] - m;
    const d6 = x[i + 6] - m;
    const d7 = x[i + 7] - m;
    a0 += d0 * d0;
    a1 += d1 * d1;
    a2 += d2 * d2;
    a3 += d3 * d3;
    a4 += d4 * d4;
    a5 += d5 * d5;
    a6 += d6 * d6;
    a7 += d7 * d7;
  }
  for (; i < end; i++) {
    const d = x[i] - m;
    a0 += d * d;
  }
  return a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

/** out = (x - mean) * rstd * weight[c] + bias[c] for every element; weight/bias null mean 1/0. */
export function normApply(
  xData: FloatArray,
  xOff: number,
  g: NormGeometry,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  weight: FloatArray | null,
  bias: FloatArray | null,
  out: FloatArray,
): void {
  const x = from(xData, xOff);
  const { n, c, s, groups } = g;
  const perGroup = c / groups;
  for (let row = 0; row < n; row++) {
    for (let grp = 0; grp < groups; grp++) {
      const k = (g.acrossBatch ? 0 : row * groups) + grp;
      const start = (row * c + grp * perGroup) * s;
      if (s === 1) applyElements(x, out, start, grp * perGroup, perGroup, mean[k], rstd[k], weight, bias);
      else applyChannels(x, out, start, grp * perGroup, perGroup, s, mean[k], rstd[k], weight, bias);
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
  g: NormGeometry,
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
  const { c, groups } = g;
  const perGroup = c / groups;
  const count = normSlotSize(g);
  const slots = normSlotCount(g);
  // per channel of the current slot: sum dy and sum dy*(x - mean)
  const sumDy = new Float64Array(perGroup);
  const sumDyXc = new Float64Array(perGroup);
  const accW = new Float64Array(c);
  const accB = new Float64Array(c);
  const w = new Float64Array(perGroup);
  const partials = new Float64Array(8);
  for (let k = 0; k < slots; k++) {
    const grp = k % groups;
    const first = slotStart(g, k);
    const m = mean[k];
    const r = rstd[k];
    if (g.s === 1 && !g.acrossBatch) {
      slotBackwardElements(x, dy, first, grp * perGroup, perGroup, m, r, weight, statsFromInput, dx, accW, accB, partials);
      continue;
    }
    slotChannelSums(x, dy, g, first, m, sumDy, sumDyXc);
    // slot means of dy*w and dy*w*xhat
    let meanA = 0;
    let meanB = 0;
    for (let j = 0; j < perGroup; j++) {
      const ch = grp * perGroup + j;
      w[j] = weight === null ? 1 : weight[ch];
      meanA += w[j] * sumDy[j];
      meanB += w[j] * sumDyXc[j] * r;
      accW[ch] += sumDyXc[j] * r;
      accB[ch] += sumDy[j];
    }
    if (dx === null) continue;
    if (statsFromInput) slotDx(x, dy, g, first, m, r, w, meanA / count, meanB / count, dx);
    else slotDx(x, dy, g, first, m, r, w, 0, 0, dx);
  }
  if (dweight !== null) for (let ch = 0; ch < c; ch++) dweight[ch] = accW[ch];
  if (dbias !== null) for (let ch = 0; ch < c; ch++) dbias[ch] = accB[ch];
}

/**
 * sumDy[j] = sum of dy and sumDyXc[j] = sum of dy * (x - m) over channel j of the slot starting at `first`
 * (each row's run of s elements in four partials, file comment; the rows added in order).
 */
function slotChannelSums(
  x: FloatArray,
  dy: FloatArray,
  g: NormGeometry,
  first: number,
  m: number,
  sumDy: Float64Array,
  sumDyXc: Float64Array,
): void {
  const s = g.s;
  const perGroup = sumDy.length;
  const rows = g.acrossBatch ? g.n : 1;
  const rowStride = g.c * s;
  sumDy.fill(0);
  sumDyXc.fill(0);
  for (let row = 0; row < rows; row++) {
    let i = first + row * rowStride;
    for (let j = 0; j < perGroup; j++) {
      let sd0 = 0;
      let sd1 = 0;
      let sd2 = 0;
      let sd3 = 0;
      let sdx0 = 0;
      let sdx1 = 0;
      let sdx2 = 0;
      let sdx3 = 0;
      const end = i + s;
      for (; i + 3 < end; i += 4) {
        const d0 = dy[i];
        const d1 = dy[i + 1];
        const d2 = dy[i + 2];
        const d3 = dy[i + 3];
        sd0 += d0;
        sd1 += d1;
        sd2 += d2;
        sd3 += d3;
        sdx0 += d0 * (x[i] - m);
        sdx1 += d1 * (x[i + 1] - m);
        sdx2 += d2 * (x[i + 2] - m);
        sdx3 += d3 * (x[i + 3] - m);
      }
      for (; i < end; i++) {
        const d = dy[i];
        sd0 += d;
        sdx0 += d * (x[i] - m);
      }
      sumDy[j] += sd0 + sd1 + (sd2 + sd3);
      sumDyXc[j] += sdx0 + sdx1 + (sdx2 + sdx3);
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
  g: NormGeometry,
  first: number,
  m: number,
  r: number,
  w: Float64Array,
  meanA: number,
  meanB: number,
  dx: FloatArray,
): void {
  // The same walk over the slot as slotChannelSums, written out rather than shared: a per-element callback would cost here.
  const s = g.s;
  const perGroup = w.length;
  const rows = g.acrossBatch ? g.n : 1;
  const rowStride = g.c * s;
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
 * layout), in two passes over the slot instead of per-channel loops of one element. The slot sums of w*dy
 * and w*dy*(x - m) keep four partials each (file comment), in partials[0..3] and partials[4..7].
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
  partials: Float64Array,
): void {
  partials.fill(0);
  const end = ch0 + len;
  const body = ch0 + (len & ~3);
  for (let j = ch0, i = start; j < end; j++, i++) {
    const d = dy[i];
    const dxc = d * (x[i] - m);
    const w = weight === null ? 1 : weight[j];
    const lane = j < body ? (j - ch0) & 3 : 0;
    partials[lane] += w * d;
    partials[lane + 4] += w * dxc;
    accW[j] += dxc * r;
    accB[j] += d;
  }
  if (dx === null) return;
  const p = partials;
  const meanA = statsFromInput ? (p[0] + p[1] + (p[2] + p[3])) / len : 0;
  const meanB = statsFromInput ? ((p[4] + p[5] + (p[6] + p[7])) * r) / len : 0;
  for (let j = ch0, i = start; j < end; j++, i++) {
    const w = weight === null ? 1 : weight[j];
    const xhat = (x[i] - m) * r;
    dx[i] = r * (w * dy[i] - meanA - xhat * meanB);
  }
}

/** The signatures under which the kernels are registered ('norm.stats', 'norm.apply', 'norm.backward'). */
export type NormStatsKernel = typeof normStats;
export type NormApplyKernel = typeof normApply;
export type NormBackwardKernel = typeof normBackward;
