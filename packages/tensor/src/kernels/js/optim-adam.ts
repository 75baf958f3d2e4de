// The fused Adam/AdamW update (PyTorch's torch.optim.Adam and AdamW, as torch._fused_adam_/_fused_adamw_):
// the reference kernel of 'optim.adam'. Each partial result is rounded to the dtype as PyTorch's float32
// path rounds it; the wasm kernel (kernels/wasm/optim-adam.ts) reproduces the float32 loop bit for bit.
import type { FloatArray } from '../../dtype.js';

/** Adam's hyperparameters (a parameter group of @minigrad/optim's Adam or AdamW has these fields). */
export interface AdamHyper {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * One step (number `step`, counting from 1) over n elements: p (from p[po]) is updated in place from the
 * gradient g (from g[go]) and the moments m and v (from m[mo], v[vo]), which are updated too; vMax (from
 * vMax[xo]) is amsgrad's running max of v, or null. `decoupled` (AdamW): `p *= 1 - lr*wd` first; else the
 * decay is L2, `g += wd*p`. Then `m = b1*m + (1-b1)*g`, `v = b2*v + (1-b2)*g^2`,
 * `p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)` (v replaced by its running max with amsgrad).
 * All arrays have one dtype (float32 or float64).
 */
export type AdamKernel = (
  n: number, p: FloatArray, po: number, g: FloatArray, go: number, m: FloatArray, mo: number, v: FloatArray, vo: number,
  vMax: FloatArray | null, xo: number, step: number, decoupled: boolean, o: AdamHyper,
) => void;

// One loop per dtype, each computing its scalars in locals (as the wasm kernel does for float32):
// - float32 rounding is Math.fround written inline: calling it through a variable holding either Math.fround
//   or an identity function kept V8 from inlining it and made the loop ~10x slower;
// - scalars read from an object (e.g. destructured from a helper's result), and state read at an offset,
//   cost the float64 loop ~15% each, so the state arrays are re-based to offset 0 first (a subarray).

export const adam: AdamKernel = (n, p, po, g, go, m, mo, v, vo, vMax, xo, step, decoupled, o) => {
  if (mo !== 0) m = m.subarray(mo);
  if (vo !== 0) v = v.subarray(vo);
  if (vMax !== null && xo !== 0) vMax = vMax.subarray(xo);
  if (p instanceof Float32Array) {
    adam32(n, p, po, g as Float32Array, go, m as Float32Array, v as Float32Array, vMax as Float32Array | null, step, decoupled, o);
  } else {
    adam64(n, p, po, g as Float64Array, go, m as Float64Array, v as Float64Array, vMax as Float64Array | null, step, decoupled, o);
  }
};

function adam32(
  n: number, p: Float32Array, po: number, g: Float32Array, go: number, m: Float32Array, v: Float32Array, vMax: Float32Array | null,
  step: number, decoupled: boolean, o: AdamHyper,
): void {
  const r = Math.fround;
  const [beta1, beta2] = o.betas;
  const sign = o.maximize ? -1 : 1;
  const l2 = !decoupled && o.weightDecay !== 0;
  const shrinkWeights = decoupled && o.weightDecay !== 0;
  const wd = r(o.weightDecay);
  const shrink = r(1 - o.lr * o.weightDecay);
  const b1 = r(beta1);
  const c1 = r(1 - beta1);
  const b2 = r(beta2);
  const c2 = r(1 - beta2);
  const biasCorrection2Sqrt = r(Math.sqrt(1 - beta2 ** step));
  const eps = r(o.eps);
  const scale = r(-(o.lr / (1 - beta1 ** step)));
  for (let i = 0; i < n; i++) {
    if (shrinkWeights) p[po + i] *= shrink;
    let gi = sign * g[go + i];
    if (l2) gi = r(gi + wd * p[po + i]);
    const mi = r(r(m[i] * b1) + c1 * gi);
    m[i] = mi;
    let vi = r(r(v[i] * b2) + r(r(c2 * gi) * gi));
    v[i] = vi;
    if (vMax !== null) {
      vi = Math.max(vMax[i], vi);
      vMax[i] = vi;
    }
    const denom = r(r(r(Math.sqrt(vi)) / biasCorrection2Sqrt) + eps);
    p[po + i] += r(r(scale * mi) / denom);
  }
}

function adam64(
  n: number, p: Float64Array, po: number, g: Float64Array, go: number, m: Float64Array, v: Float64Array, vMax: Float64Array | null,
  step: number, decoupled: boolean, o: AdamHyper,
): void {
  const [beta1, beta2] = o.betas;
  const sign = o.maximize ? -1 : 1;
  const l2 = !decoupled && o.weightDecay !== 0;
  const shrinkWeights = decoupled && o.weightDecay !== 0;
  const wd = o.weightDecay;
  const shrink = 1 - o.lr * o.weightDecay;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
  const eps = o.eps;
  const scale = -(o.lr / (1 - beta1 ** step));
  for (let i = 0; i < n; i++) {
    if (shrinkWeights) p[po + i] *= shrink;
    let gi = sign * g[go + i];
    if (l2) gi += wd * p[po + i];
    const mi = m[i] * beta1 + c1 * gi;
    m[i] = mi;
    let vi = v[i] * beta2 + c2 * gi * gi;
    v[i] = vi;
    if (vMax !== null) {
      vi = Math.max(vMax[i], vi);
      vMax[i] = vi;
    }
    const denom = Math.sqrt(vi) / biasCorrection2Sqrt + eps;
    p[po + i] += (scale * mi) / denom;
  }
}
