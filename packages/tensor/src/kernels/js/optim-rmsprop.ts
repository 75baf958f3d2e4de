// The fused RMSprop update (PyTorch's torch.optim.RMSprop): the reference kernel of 'optim.rmsprop'. Each
// partial result is rounded to the dtype as PyTorch's float32 path rounds it, one loop per dtype (float32
// rounding as an inlined Math.fround); the wasm kernel (kernels/wasm/optim-rmsprop.ts) reproduces the
// float32 loop bit for bit.
import type { FloatArray } from '../../dtype.js';

/** RMSprop's hyperparameters (a parameter group of @minigrad/optim's RMSprop has these fields). */
export interface RmspropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  maximize: boolean;
}

/**
 * Updates n elements of p (from p[po]) in place with the gradient g (from g[go]) and the running average of
 * squared gradients s (from s[so]); `gAvg` (from gAvg[ao]) is the running average of gradients when centered,
 * else null; `b` (from b[bo]) the momentum buffer, or null. `g += wd*p` (g negated by maximize);
 * `s = alpha*s + (1-alpha)*g^2`; `avg = sqrt(s - gAvg^2) + eps` (centered, `gAvg = alpha*gAvg + (1-alpha)*g`)
 * or `sqrt(s) + eps`; with momentum `b = m*b + g/avg`, `p -= lr*b`, else `p -= lr*g/avg`.
 */
export type RmspropKernel = (
  n: number, p: FloatArray, po: number, g: FloatArray, go: number, s: FloatArray, so: number,
  gAvg: FloatArray | null, ao: number, b: FloatArray | null, bo: number, o: RmspropHyper,
) => void;

export const rmsprop: RmspropKernel = (n, p, po, g, go, s, so, gAvg, ao, b, bo, o) => {
  // The state is re-based to offset 0: indexing it at an offset too made the loops measurably slower.
  if (so !== 0) s = s.subarray(so);
  if (gAvg !== null && ao !== 0) gAvg = gAvg.subarray(ao);
  if (b !== null && bo !== 0) b = b.subarray(bo);
  if (p instanceof Float32Array) {
    rmsprop32(n, p, po, g as Float32Array, go, s as Float32Array, gAvg as Float32Array | null, b as Float32Array | null, o);
  } else {
    rmsprop64(n, p, po, g as Float64Array, go, s as Float64Array, gAvg as Float64Array | null, b as Float64Array | null, o);
  }
};

function rmsprop32(
  n: number, p: Float32Array, po: number, g: Float32Array, go: number, s: Float32Array,
  gAvg: Float32Array | null, b: Float32Array | null, o: RmspropHyper,
): void {
  const r = Math.fround;
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = r(o.weightDecay);
  const alpha = r(o.alpha);
  const keep = r(1 - o.alpha);
  const eps = r(o.eps);
  const m = r(o.momentum);
  const scale = r(-o.lr);
  for (let i = 0; i < n; i++) {
    let gi = sign * g[go + i];
    if (decay) gi = r(gi + wd * p[po + i]);
    const si = r(r(s[i] * alpha) + r(r(keep * gi) * gi));
    s[i] = si;
    let avg: number;
    if (gAvg !== null) {
      const gai = r(r(gAvg[i] * alpha) + keep * gi);
      gAvg[i] = gai;
      avg = r(Math.sqrt(r(si - r(gai * gai))));
    } else {
      avg = r(Math.sqrt(si));
    }
    avg = r(avg + eps);
    if (b !== null) {
      const bi = r(r(b[i] * m) + r(gi / avg));
      b[i] = bi;
      p[po + i] += scale * bi;
    } else {
      p[po + i] += r(r(scale * gi) / avg);
    }
  }
}

function rmsprop64(
  n: number, p: Float64Array, po: number, g: Float64Array, go: number, s: Float64Array,
  gAvg: Float64Array | null, b: Float64Array | null, o: RmspropHyper,
): void {
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = o.weightDecay;
  const alpha = o.alpha;
  const keep = 1 - o.alpha;
  const eps = o.eps;
  const m = o.momentum;
  const scale = -o.lr;
  for (let i = 0; i < n; i++) {
    let gi = sign * g[go + i];
    if (decay) gi += wd * p[po + i];
    const si = s[i] * alpha + keep * gi * gi;
    s[i] = si;
    let avg: number;
    if (gAvg !== null) {
      const gai = gAvg[i] * alpha + keep * gi;
      gAvg[i] = gai;
      avg = Math.sqrt(si - gai * gai);
    } else {
      avg = Math.sqrt(si);
    }
    avg += eps;
    if (b !== null) {
      const bi = b[i] * m + gi / avg;
      b[i] = bi;
      p[po + i] += scale * bi;
    } else {
      p[po + i] += (scale * gi) / avg;
    }
  }
}
