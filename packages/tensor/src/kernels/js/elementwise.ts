// Elementwise kernels: 1-D strided loops (n elements, start offset and step per operand). The n-d walk
// lives in iter.ts; a contiguous tensor is a single call with step 1. p0/p1 carry op parameters.
import type { TypedArray } from '../../dtype.js';
import { erf, erfc } from '../../math/erf.js';

export type UnaryKernel = (
  n: number, x: TypedArray, xo: number, xs: number, out: TypedArray, oo: number, os: number, p0: number, p1: number,
) => void;

export type BinaryKernel = (
  n: number, a: TypedArray, ao: number, as: number, b: TypedArray, bo: number, bs: number,
  out: TypedArray, oo: number, os: number, p0: number,
) => void;

export type WhereKernel = (
  n: number, c: TypedArray, co: number, cs: number, a: TypedArray, ao: number, as: number,
  b: TypedArray, bo: number, bs: number, out: TypedArray, oo: number, os: number,
) => void;

export type FillKernel = (n: number, out: TypedArray, oo: number, os: number, value: number) => void;

const SQRT1_2 = Math.SQRT1_2;
const GELU_TANH_C = Math.sqrt(2 / Math.PI);

export const unaryKernels: Record<string, UnaryKernel> = {
  copy: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = x[xo + i * xs];
  },
  toBool: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = x[xo + i * xs] !== 0 ? 1 : 0;
  },
  neg: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = -x[xo + i * xs];
  },
  abs: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.abs(x[xo + i * xs]);
  },
  exp: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.exp(x[xo + i * xs]);
  },
  log: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.log(x[xo + i * xs]);
  },
  sqrt: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.sqrt(x[xo + i * xs]);
  },
  rsqrt: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = 1 / Math.sqrt(x[xo + i * xs]);
  },
  sin: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.sin(x[xo + i * xs]);
  },
  cos: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.cos(x[xo + i * xs]);
  },
  tanh: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.tanh(x[xo + i * xs]);
  },
  // exp of a non-positive number only, so it never overflows.
  sigmoid: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      if (v >= 0) out[oo + i * os] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        out[oo + i * os] = e / (1 + e);
      }
    }
  },
  relu: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      out[oo + i * os] = v < 0 ? 0 : v;
    }
  },
  leakyRelu: (n, x, xo, xs, out, oo, os, slope) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      out[oo + i * os] = v < 0 ? v * slope : v;
    }
  },
  // x * Phi(x) with Phi written through erfc so the left tail keeps its relative precision.
  gelu: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      out[oo + i * os] = 0.5 * v * erfc(-v * SQRT1_2);
    }
  },
  geluTanh: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      out[oo + i * os] = 0.5 * v * (1 + Math.tanh(GELU_TANH_C * (v + 0.044715 * v * v * v)));
    }
  },
  // PyTorch: x itself once beta*x exceeds the threshold; log1p(exp(.)) below it.
  softplus: (n, x, xo, xs, out, oo, os, beta, threshold) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      const bx = v * beta;
      out[oo + i * os] = bx > threshold ? v : Math.log1p(Math.exp(bx)) / beta;
    }
  },
  sign: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      out[oo + i * os] = v > 0 ? 1 : v < 0 ? -1 : 0; // NaN gives 0, as PyTorch
    }
  },
  reciprocal: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = 1 / x[xo + i * xs];
  },
  square: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      out[oo + i * os] = v * v;
    }
  },
  erf: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = erf(x[xo + i * xs]);
  },
  // min(max(x, lo), hi): hi wins when lo > hi; NaN passes through (neither comparison holds).
  clamp: (n, x, xo, xs, out, oo, os, lo, hi) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i * xs];
      const t = v < lo ? lo : v;
      out[oo + i * os] = t > hi ? hi : t;
    }
  },
  logicalNot: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = x[xo + i * xs] === 0 ? 1 : 0;
  },
};

export const binaryKernels: Record<string, BinaryKernel> = {
  // alpha (p0) scales b: add(a, b, alpha) as PyTorch's add.
  add: (n, a, ao, as, b, bo, bs, out, oo, os, alpha) => {
    if (alpha === 1) for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] + b[bo + i * bs];
    else for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] + alpha * b[bo + i * bs];
  },
  sub: (n, a, ao, as, b, bo, bs, out, oo, os, alpha) => {
    if (alpha === 1) for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] - b[bo + i * bs];
    else for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] - alpha * b[bo + i * bs];
  },
  mul: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] * b[bo + i * bs];
  },
  div: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] / b[bo + i * bs];
  },
  pow: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = Math.pow(a[ao + i * as], b[bo + i * bs]);
  },
  // NaN in either operand propagates, as PyTorch's maximum/minimum.
  maximum: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const x = a[ao + i * as];
      const y = b[bo + i * bs];
      out[oo + i * os] = x > y || x !== x ? x : y;
    }
  },
  minimum: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) {
      const x = a[ao + i * as];
      const y = b[bo + i * bs];
      out[oo + i * os] = x < y || x !== x ? x : y;
    }
  },
  eq: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] === b[bo + i * bs] ? 1 : 0;
  },
  ne: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] !== b[bo + i * bs] ? 1 : 0;
  },
  lt: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] < b[bo + i * bs] ? 1 : 0;
  },
  le: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] <= b[bo + i * bs] ? 1 : 0;
  },
  gt: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] > b[bo + i * bs] ? 1 : 0;
  },
  ge: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] >= b[bo + i * bs] ? 1 : 0;
  },
  logicalAnd: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] !== 0 && b[bo + i * bs] !== 0 ? 1 : 0;
  },
  logicalOr: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0; i < n; i++) out[oo + i * os] = a[ao + i * as] !== 0 || b[bo + i * bs] !== 0 ? 1 : 0;
  },
};

export const where: WhereKernel = (n, c, co, cs, a, ao, as, b, bo, bs, out, oo, os) => {
  for (let i = 0; i < n; i++) out[oo + i * os] = c[co + i * cs] !== 0 ? a[ao + i * as] : b[bo + i * bs];
};

export const fill: FillKernel = (n, out, oo, os, value) => {
  if (os === 1) out.fill(value, oo, oo + n);
  else for (let i = 0; i < n; i++) out[oo + i * os] = value;
};
