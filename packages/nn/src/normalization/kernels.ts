// The fused kernels behind every normalization: pure loops over contiguous typed arrays, no tensors.
// They implement the reduction described in ./core.ts over a NormLayout: x viewed as [n, c, s], one
// (mean, variance) per statistics slot; all accumulation is in float64 (JS numbers) whatever the dtype.

export type FloatArray = Float32Array | Float64Array;

/**
 * x viewed as [n, c, s] (batch, channels, everything after the channels). Channels are split into
 * `groups` consecutive groups; a statistics slot holds one group, of one batch row, or of every row
 * when `acrossBatch` (BatchNorm). Slot k = (acrossBatch ? 0 : row) * groups + group.
 */
export interface NormLayout {
  readonly n: number;
  readonly c: number;
  readonly s: number;
  readonly groups: number;
  readonly acrossBatch: boolean;
}

/** Number of statistics slots (length of the mean/rstd arrays). */
export function slotCount(l: NormLayout): number {
  return (l.acrossBatch ? 1 : l.n) * l.groups;
}

/** Number of elements that share one mean and variance. */
export function slotSize(l: NormLayout): number {
  return (l.acrossBatch ? l.n : 1) * (l.c / l.groups) * l.s;
}

/**
 * Mean, biased variance and rstd = 1/sqrt(var + eps) of every slot, by two passes (mean, then the
 * squared deviations from it), which stays accurate when the mean is large compared to the spread.
 */
export function normStats(
  x: FloatArray,
  xOff: number,
  l: NormLayout,
  eps: number,
  mean: Float64Array,
  variance: Float64Array,
  rstd: Float64Array,
): void {
  const rows = l.acrossBatch ? l.n : 1;
  const len = (l.c / l.groups) * l.s; // one group of one row is contiguous
  const rowStride = l.c * l.s;
  const count = rows * len;
  const slots = slotCount(l);
  for (let k = 0; k < slots; k++) {
    const first = l.acrossBatch ? xOff + k * len : xOff + Math.floor(k / l.groups) * rowStride + (k % l.groups) * len;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const base = first + r * rowStride;
      for (let i = base, end = base + len; i < end; i++) sum += x[i];
    }
    const m = sum / count;
    let m2 = 0;
    for (let r = 0; r < rows; r++) {
      const base = first + r * rowStride;
      for (let i = base, end = base + len; i < end; i++) {
        const d = x[i] - m;
        m2 += d * d;
      }
    }
    const v = m2 / count;
    mean[k] = m;
    variance[k] = v;
    rstd[k] = 1 / Math.sqrt(v + eps);
  }
}

/** out = (x - mean) * rstd * weight[c] + bias[c] for every element; weight/bias null mean 1/0. */
export function normApply(
  x: FloatArray,
  xOff: number,
  l: NormLayout,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  weight: FloatArray | null,
  bias: FloatArray | null,
  out: FloatArray,
): void {
  const { n, c, s, groups } = l;
  const perGroup = c / groups;
  let o = 0;
  for (let row = 0; row < n; row++) {
    const slotBase = l.acrossBatch ? 0 : row * groups;
    for (let ch = 0; ch < c; ch++) {
      const k = slotBase + Math.floor(ch / perGroup);
      const m = mean[k];
      const scale = rstd[k] * (weight === null ? 1 : weight[ch]);
      const shift = bias === null ? 0 : bias[ch];
      // (x - m) first: a one-element slot gives exactly `shift`
      for (let i = xOff + o, end = i + s; i < end; i++, o++) out[o] = (x[i] - m) * scale + shift;
    }
  }
}

/**
 * The analytic backward of normApply. With `statsFromInput` the mean and rstd are functions of x (the
 * usual training case): dx = rstd * (dy*w - mean_slot(dy*w) - xhat * mean_slot(dy*w*xhat)); otherwise
 * they are constants (BatchNorm in eval mode) and dx = dy * w * rstd. dweight[c] = sum dy*xhat and
 * dbias[c] = sum dy over the elements of channel c. Any of dx/dweight/dbias may be null (not needed).
 */
export function normBackward(
  x: FloatArray,
  xOff: number,
  dy: FloatArray,
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
  const { n, c, s, groups } = l;
  const perGroup = c / groups;
  const rows = l.acrossBatch ? n : 1;
  const len = perGroup * s;
  const rowStride = c * s;
  const count = rows * len;
  const slots = slotCount(l);
  // per channel of the current slot: sum dy and sum dy*(x - mean)
  const sumDy = new Float64Array(perGroup);
  const sumDyXc = new Float64Array(perGroup);
  const accW = dweight === null ? null : new Float64Array(c);
  const accB = dbias === null ? null : new Float64Array(c);
  for (let k = 0; k < slots; k++) {
    const row0 = l.acrossBatch ? 0 : Math.floor(k / groups);
    const g = k % groups;
    const first = row0 * rowStride + g * len;
    const m = mean[k];
    const r = rstd[k];
    sumDy.fill(0);
    sumDyXc.fill(0);
    for (let row = 0; row < rows; row++) {
      const base = first + row * rowStride;
      for (let j = 0; j < perGroup; j++) {
        const start = base + j * s;
        let sd = 0;
        let sdx = 0;
        for (let i = 0; i < s; i++) {
          const d = dy[dyOff + start + i];
          sd += d;
          sdx += d * (x[xOff + start + i] - m);
        }
        sumDy[j] += sd;
        sumDyXc[j] += sdx;
      }
    }
    // slot means of dy*w and dy*w*xhat
    let meanA = 0;
    let meanB = 0;
    for (let j = 0; j < perGroup; j++) {
      const ch = g * perGroup + j;
      const w = weight === null ? 1 : weight[ch];
      meanA += w * sumDy[j];
      meanB += w * sumDyXc[j] * r;
      if (accW !== null) accW[ch] += sumDyXc[j] * r;
      if (accB !== null) accB[ch] += sumDy[j];
    }
    meanA /= count;
    meanB /= count;
    if (dx === null) continue;
    for (let row = 0; row < rows; row++) {
      const base = first + row * rowStride;
      for (let j = 0; j < perGroup; j++) {
        const w = weight === null ? 1 : weight[g * perGroup + j];
        const start = base + j * s;
        if (statsFromInput) {
          for (let i = start, end = start + s; i < end; i++) {
            const xhat = (x[xOff + i] - m) * r;
            // w*dy - meanA is exactly 0 for a one-element slot, so dx is exactly 0 there
            dx[i] = r * (w * dy[dyOff + i] - meanA - xhat * meanB);
          }
        } else {
          const scale = w * r;
          for (let i = start, end = start + s; i < end; i++) dx[i] = dy[dyOff + i] * scale;
        }
      }
    }
  }
  if (accW !== null && dweight !== null) for (let ch = 0; ch < c; ch++) dweight[ch] = accW[ch];
  if (accB !== null && dbias !== null) for (let ch = 0; ch < c; ch++) dbias[ch] = accB[ch];
}
