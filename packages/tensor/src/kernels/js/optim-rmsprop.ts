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
  if (p instanceof Float32Array) {
    rmsprop32(n, p, po, g as Float32Array, go, s as Float32Array, so, gAvg as Float32Array | null, ao, b as Float32Array | null, bo, o);
  } else {
    rmsprop64(n, p, po, g as Float64Array, go, s as Float64Array, so, gAvg as Float64Array | null, ao, b as Float64Array | null, bo, o);
  }
};

function rmsprop32(
  n: number, p: Float32Array, po: number, g: Float32Array, go: number, s: Float32Array, so: number,
  gAvg: Float32Array | null, ao: number, b: Float32Array | null, bo: number, o: RmspropHyper,
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
    const si = r(r(s[so + i] * alpha) + r(r(keep * gi) * gi));
    s[so + i] = si;
    let avg: number;
    if (gAvg !== null) {
      const gai = r(r(gAvg[ao + i] * alpha) + keep * gi);
      gAvg[ao + i] = gai;
      avg = r(Math.sqrt(r(si - r(gai * gai))));
    } else {
      avg = r(Math.sqrt(si));
    }
    avg = r(avg + eps);
    if (b !== null) {
      const bi = r(r(b[bo + i] * m) + r(gi / avg));
      b[bo + i] = bi;
      p[po + i] += scale * bi;
    } else {
      p[po + i] += r(r(scale * gi) / avg);
    }
  }
}

function rmsprop64(
  n: number, p: Float64Array, po: number, g: Float64Array, go: number, s: Float64Array, so: number,
  gAvg: Float64Array | null, ao: number, b: Float64Array | null, bo: number, o: RmspropHyper,
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
    const si = s[so + i] * alpha + keep * gi * gi;
    s[so + i] = si;
    let avg: number;
    if (gAvg !== null) {
      const gai = gAvg[ao + i] * alpha + keep * gi;
      gAvg[ao + i] = gai;
      avg = Math.sqrt(si - gai * gai);
    } else {
      avg = Math.sqrt(si);
    }
    avg += eps;
    if (b !== null) {
      const bi = b[bo + i] * m + gi / avg;
      b[bo + i] = bi;
      p[po + i] += scale * bi;
    } else {
      p[po + i] += (scale * gi) / avg;
    }
  }
}
