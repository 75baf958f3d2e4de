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

const keep = (x: number): number => x;

/** The per-step scalars, each rounded to the dtype as PyTorch rounds them (shared with the wasm kernel). */
export function adamScalars(o: AdamHyper, step: number, decoupled: boolean, f32: boolean) {
  const r = f32 ? Math.fround : keep;
  const [beta1, beta2] = o.betas;
  return {
    sign: o.maximize ? -1 : 1,
    l2: !decoupled && o.weightDecay !== 0,
    shrinkWeights: decoupled && o.weightDecay !== 0,
    wd: r(o.weightDecay),
    shrink: r(1 - o.lr * o.weightDecay),
    b1: r(beta1),
    c1: r(1 - beta1),
    b2: r(beta2),
    c2: r(1 - beta2),
    biasCorrection2Sqrt: r(Math.sqrt(1 - beta2 ** step)),
    eps: r(o.eps),
    scale: r(-(o.lr / (1 - beta1 ** step))),
  };
}

// One loop per dtype: float32 rounding written as Math.fround inline. Calling it through a variable that
// holds either Math.fround or an identity function kept V8 from inlining it and made the loop ~10x slower.

export const adam: AdamKernel = (n, p, po, g, go, m, mo, v, vo, vMax, xo, step, decoupled, o) => {
  if (p instanceof Float32Array) {
    adam32(n, p, po, g as Float32Array, go, m as Float32Array, mo, v as Float32Array, vo, vMax as Float32Array | null, xo, step, decoupled, o);
  } else {
    adam64(n, p, po, g as Float64Array, go, m as Float64Array, mo, v as Float64Array, vo, vMax as Float64Array | null, xo, step, decoupled, o);
  }
};

function adam32(
  n: number, p: Float32Array, po: number, g: Float32Array, go: number, m: Float32Array, mo: number, v: Float32Array, vo: number,
  vMax: Float32Array | null, xo: number, step: number, decoupled: boolean, o: AdamHyper,
): void {
  const { sign, l2, shrinkWeights, wd, shrink, b1, c1, b2, c2, biasCorrection2Sqrt, eps, scale } = adamScalars(o, step, decoupled, true);
  const r = Math.fround;
  for (let i = 0; i < n; i++) {
    if (shrinkWeights) p[po + i] *= shrink;
    let gi = sign * g[go + i];
    if (l2) gi = r(gi + wd * p[po + i]);
    const mi = r(r(m[mo + i] * b1) + c1 * gi);
    m[mo + i] = mi;
    let vi = r(r(v[vo + i] * b2) + r(r(c2 * gi) * gi));
    v[vo + i] = vi;
    if (vMax !== null) {
      vi = Math.max(vMax[xo + i], vi);
      vMax[xo + i] = vi;
    }
    const denom = r(r(r(Math.sqrt(vi)) / biasCorrection2Sqrt) + eps);
    p[po + i] += r(r(scale * mi) / denom);
  }
}

function adam64(
  n: number, p: Float64Array, po: number, g: Float64Array, go: number, m: Float64Array, mo: number, v: Float64Array, vo: number,
  vMax: Float64Array | null, xo: number, step: number, decoupled: boolean, o: AdamHyper,
): void {
  const { sign, l2, shrinkWeights, wd, shrink, b1, c1, b2, c2, biasCorrection2Sqrt, eps, scale } = adamScalars(o, step, decoupled, false);
  for (let i = 0; i < n; i++) {
    if (shrinkWeights) p[po + i] *= shrink;
    let gi = sign * g[go + i];
    if (l2) gi += wd * p[po + i];
    const mi = m[mo + i] * b1 + c1 * gi;
    m[mo + i] = mi;
    let vi = v[vo + i] * b2 + c2 * gi * gi;
    v[vo + i] = vi;
    if (vMax !== null) {
      vi = Math.max(vMax[xo + i], vi);
      vMax[xo + i] = vi;
    }
    const denom = Math.sqrt(vi) / biasCorrection2Sqrt + eps;
    p[po + i] += (scale * mi) / denom;
  }
}
