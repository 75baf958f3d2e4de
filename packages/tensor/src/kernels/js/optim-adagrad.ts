// The fused Adagrad update (PyTorch's torch.optim.Adagrad): the reference kernel of 'optim.adagrad'. Each
// partial result is rounded to the dtype as PyTorch's float32 path rounds it, one loop per dtype (float32
// rounding as an inlined Math.fround); the wasm kernel (kernels/wasm/optim-adagrad.ts) reproduces the
// float32 loop bit for bit.
import type { FloatArray } from '../../dtype.js';

/** Adagrad's hyperparameters (a parameter group of @minigrad/optim's Adagrad has these fields). */
export interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/**
 * Step number `step` (from 1) over n elements: p (from p[po]) is updated in place from the gradient g (from
 * g[go]) and the sum of squared gradients s (from s[so]): `g += wd*p` (g negated by maximize), `s += g^2`,
 * `p -= lr/(1 + (step-1)*lrDecay) * g/(sqrt(s) + eps)`.
 */
export type AdagradKernel = (
  n: number, p: FloatArray, po: number, g: FloatArray, go: number, s: FloatArray, so: number, step: number, o: AdagradHyper,
) => void;

/** The step size `-lr/(1 + (step-1)*lrDecay)` (not yet rounded to the dtype). */
export function adagradScale(o: AdagradHyper, step: number): number {
  return -(o.lr / (1 + (step - 1) * o.lrDecay));
}

export const adagrad: AdagradKernel = (n, p, po, g, go, s, so, step, o) => {
  // The sum is re-based to offset 0: indexing it at an offset too made the loops measurably slower.
  if (so !== 0) s = s.subarray(so);
  if (p instanceof Float32Array) adagrad32(n, p, po, g as Float32Array, go, s as Float32Array, step, o);
  else adagrad64(n, p, po, g as Float64Array, go, s as Float64Array, step, o);
};

function adagrad32(n: number, p: Float32Array, po: number, g: Float32Array, go: number, s: Float32Array, step: number, o: AdagradHyper): void {
  const r = Math.fround;
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = r(o.weightDecay);
  const eps = r(o.eps);
  const scale = r(adagradScale(o, step));
  for (let i = 0; i < n; i++) {
    let gi = sign * g[go + i];
    if (decay) gi = r(gi + wd * p[po + i]);
    const si = r(s[i] + r(gi * gi));
    s[i] = si;
    const std = r(r(Math.sqrt(si)) + eps);
    p[po + i] += r(r(scale * gi) / std);
  }
}

function adagrad64(n: number, p: Float64Array, po: number, g: Float64Array, go: number, s: Float64Array, step: number, o: AdagradHyper): void {
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = o.weightDecay;
  const eps = o.eps;
  const scale = adagradScale(o, step);
  for (let i = 0; i < n; i++) {
    let gi = sign * g[go + i];
    if (decay) gi += wd * p[po + i];
    const si = s[i] + gi * gi;
    s[i] = si;
    const std = Math.sqrt(si) + eps;
    p[po + i] += (scale * gi) / std;
  }
}
