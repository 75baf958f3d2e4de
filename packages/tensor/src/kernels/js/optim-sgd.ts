// The fused SGD update (PyTorch's torch.optim.SGD, as torch._fused_sgd_): the reference kernel of
// 'optim.sgd'. Each partial result is rounded to the dtype as PyTorch's float32 mul_/add_ round them, with
// one loop per dtype so that float32 rounding is an inlined Math.fround. The wasm kernel
// (kernels/wasm/optim-sgd.ts) reproduces these float32 loops bit for bit, including where they compute
// `Math.fround(x + y * z)` in double.
import type { FloatArray } from '../../dtype.js';

/** SGD's hyperparameters (a parameter group of @minigrad/optim's SGD has these fields). */
export interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Updates n elements of `p` (from p[po]) in place with the gradient g (from g[go]) and, when momentum is
 * used, the momentum buffer b (from b[bo]; null without momentum). `first`: b is used for the first time
 * (it is then set to the gradient instead of being decayed). `g = grad + wd*p` (the sign of grad flipped by
 * maximize); `b = first ? g : m*b + (1 - dampening)*g`; `p -= lr * (nesterov ? g + m*b : b)`.
 * p, g and b have one dtype (float32 or float64).
 */
export type SgdKernel = (
  n: number, p: FloatArray, po: number, g: FloatArray, go: number, b: FloatArray | null, bo: number, first: boolean, o: SgdHyper,
) => void;

export const sgd: SgdKernel = (n, p, po, g, go, b, bo, first, o) => {
  // The buffer is re-based to offset 0: indexing it at an offset too made the loops measurably slower.
  if (b !== null && bo !== 0) b = b.subarray(bo);
  if (o.weightDecay === 0 && !o.nesterov) {
    if (b === null) return plainUpdate(n, p, po, g, go, o);
    if (!first) return momentumUpdate(n, p, po, g, go, b, o);
  }
  if (p instanceof Float32Array) generalUpdate32(n, p, po, g as Float32Array, go, b as Float32Array | null, first, o);
  else generalUpdate64(n, p, po, g as Float64Array, go, b as Float64Array | null, first, o);
};

/** `p -= lr * g` (the sign of g flipped by maximize, which is exact). */
function plainUpdate(n: number, p: FloatArray, po: number, g: FloatArray, go: number, o: SgdHyper): void {
  const lr = p instanceof Float32Array ? Math.fround(-o.lr) : -o.lr;
  const scale = lr * (o.maximize ? -1 : 1);
  for (let i = 0; i < n; i++) p[po + i] += scale * g[go + i];
}

/** `b = m*b + (1 - dampening)*g; p -= lr * b` after the first step. */
function momentumUpdate(n: number, p: FloatArray, po: number, g: FloatArray, go: number, b: FloatArray, o: SgdHyper): void {
  const sign = o.maximize ? -1 : 1;
  if (p instanceof Float32Array) {
    const g32 = g as Float32Array;
    const b32 = b as Float32Array;
    const m = Math.fround(o.momentum);
    const gradShare = Math.fround(1 - o.dampening) * sign;
    const scale = Math.fround(-o.lr);
    for (let i = 0; i < n; i++) {
      const bi = Math.fround(Math.fround(b32[i] * m) + gradShare * g32[go + i]);
      b32[i] = bi;
      p[po + i] += scale * bi;
    }
  } else {
    const m = o.momentum;
    const gradShare = (1 - o.dampening) * sign;
    const scale = -o.lr;
    for (let i = 0; i < n; i++) {
      const bi = b[i] * m + gradShare * g[go + i];
      b[i] = bi;
      p[po + i] += scale * bi;
    }
  }
}

// Any combination of the options (weight decay, Nesterov, the first momentum step). The buffer is read on
// every step, the first included (it holds zeros then): a load that only runs from the second call on
// reaches the optimizing compiler without type feedback, which made V8 deoptimize this loop and leave it
// ~10x slower.

function generalUpdate32(
  n: number, p: Float32Array, po: number, g: Float32Array, go: number, b: Float32Array | null, first: boolean, o: SgdHyper,
): void {
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = Math.fround(o.weightDecay);
  const m = Math.fround(o.momentum);
  const gradShare = Math.fround(1 - o.dampening);
  const nesterov = o.nesterov;
  const scale = Math.fround(-o.lr);
  for (let i = 0; i < n; i++) {
    let d = sign * g[go + i];
    if (decay) d = Math.fround(d + wd * p[po + i]);
    if (b !== null) {
      const prev = b[i];
      const bi = first ? d : Math.fround(Math.fround(prev * m) + gradShare * d);
      b[i] = bi;
      d = nesterov ? Math.fround(d + m * bi) : bi;
    }
    p[po + i] += scale * d;
  }
}

function generalUpdate64(
  n: number, p: Float64Array, po: number, g: Float64Array, go: number, b: Float64Array | null, first: boolean, o: SgdHyper,
): void {
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = o.weightDecay;
  const m = o.momentum;
  const gradShare = 1 - o.dampening;
  const nesterov = o.nesterov;
  const scale = -o.lr;
  for (let i = 0; i < n; i++) {
    let d = sign * g[go + i];
    if (decay) d += wd * p[po + i];
    if (b !== null) {
      const prev = b[i];
      const bi = first ? d : prev * m + gradShare * d;
      b[i] = bi;
      d = nesterov ? d + m * bi : bi;
    }
    p[po + i] += scale * d;
  }
}
