// Elementwise kernels: 1-D strided loops (n elements, start offset and step per operand; indices advance by
// addition, which V8 compiles tighter than offset + i * step). The n-d walk
// lives in iter.ts; a contiguous tensor is a single call with step 1. p0/p1 carry op parameters. Each op writes
// its loop out on purpose: one loop calling a per-op function would be a call per element.
import type { TypedArray } from '../../dtype.js';
import { erf, erfc } from '../../math/erf.js';
import { tableOf } from '../table.js';

/** floatResult: the op's result is floating point (an int or bool input gives float32); see floatResult(). */
export type UnaryKernel = ((
  n: number, x: TypedArray, xo: number, xs: number, out: TypedArray, oo: number, os: number, p0: number, p1: number,
) => void) & { readonly floatResult?: true };

export type BinaryKernel = (
  n: number, a: TypedArray, ao: number, as: number, b: TypedArray, bo: number, bs: number,
  out: TypedArray, oo: number, os: number, p0: number,
) => void;

export type WhereKernel = (
  n: number, c: TypedArray, co: number, cs: number, a: TypedArray, ao: number, as: number,
  b: TypedArray, bo: number, bs: number, out: TypedArray, oo: number, os: number,
) => void;

export type FillKernel = (n: number, out: TypedArray, oo: number, os: number, value: number) => void;

/** Marks a unary kernel whose result is floating point whatever the input dtype (exp, sqrt, sigmoid...). */
function floatResult(kernel: UnaryKernel): UnaryKernel {
  return Object.assign(kernel, { floatResult: true as const });
}

const SQRT1_2 = Math.SQRT1_2;
const GELU_TANH_C = Math.sqrt(2 / Math.PI);

/** Shorter runs keep the select: their sign patterns fit the branch predictor's history (measured 4x faster at 256). */
const RELU_BITS_MIN = 4096;

/**
 * relu of n contiguous float32/float64 elements without a branch: a float select compiles to a jump that
 * random signs mispredict about half the time, so instead the bits of x are ANDed with an all-zeros mask
 * where x < 0 and all-ones elsewhere. Bit-exact with the select (+0 for negatives and -Inf; -0, NaN, +Inf
 * kept). Returns false (nothing written) for other dtypes, which take the select loop.
 */
function reluBits(n: number, x: TypedArray, xo: number, out: TypedArray, oo: number): boolean {
  const f32 = x instanceof Float32Array && out instanceof Float32Array;
  if (!f32 && !(x instanceof Float64Array && out instanceof Float64Array)) return false;
  const words = f32 ? 1 : 2;
  const xBits = new Int32Array(x.buffer, x.byteOffset + xo * x.BYTES_PER_ELEMENT, n * words);
  const outBits = new Int32Array(out.buffer, out.byteOffset + oo * out.BYTES_PER_ELEMENT, n * words);
  if (f32) {
    for (let i = 0; i < n; i++) outBits[i] = xBits[i] & ~-(x[xo + i] < 0);
  } else {
    for (let i = 0, w = 0; i < n; i++, w += 2) {
      const keep = ~-(x[xo + i] < 0);
      outBits[w] = xBits[w] & keep;
      outBits[w + 1] = xBits[w + 1] & keep;
    }
  }
  return true;
}

export const unaryKernels = tableOf<UnaryKernel>()({
  copy: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = x[xi];
  },
  toBool: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = x[xi] !== 0 ? 1 : 0;
  },
  neg: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = -x[xi];
  },
  abs: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.abs(x[xi]);
  },
  exp: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.exp(x[xi]);
  }),
  log: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.log(x[xi]);
  }),
  sqrt: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.sqrt(x[xi]);
  }),
  rsqrt: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = 1 / Math.sqrt(x[xi]);
  }),
  sin: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.sin(x[xi]);
  }),
  cos: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.cos(x[xi]);
  }),
  tanh: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = Math.tanh(x[xi]);
  }),
  // exp of a non-positive number only, so it never overflows.
  sigmoid: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      if (v >= 0) out[oi] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        out[oi] = e / (1 + e);
      }
    }
  }),
  // -0 and NaN pass through unchanged, as PyTorch's relu.
  relu: (n, x, xo, xs, out, oo, os) => {
    if (n >= RELU_BITS_MIN && xs === 1 && os === 1 && reluBits(n, x, xo, out, oo)) return;
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      out[oi] = v < 0 ? 0 : v;
    }
  },
  leakyRelu: (n, x, xo, xs, out, oo, os, slope) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      out[oi] = v < 0 ? v * slope : v;
    }
  },
  // x * Phi(x) with Phi written through erfc so the left tail keeps its relative precision.
  gelu: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      out[oi] = 0.5 * v * erfc(-v * SQRT1_2);
    }
  }),
  geluTanh: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      out[oi] = 0.5 * v * (1 + Math.tanh(GELU_TANH_C * (v + 0.044715 * v * v * v)));
    }
  }),
  // PyTorch: x itself once beta*x exceeds the threshold; log1p(exp(.)) below it.
  softplus: floatResult((n, x, xo, xs, out, oo, os, beta, threshold) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      const bx = v * beta;
      out[oi] = bx > threshold ? v : Math.log1p(Math.exp(bx)) / beta;
    }
  }),
  sign: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      out[oi] = v > 0 ? 1 : v < 0 ? -1 : 0; // NaN gives 0, as PyTorch
    }
  },
  reciprocal: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = 1 / x[xi];
  }),
  square: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      out[oi] = v * v;
    }
  },
  erf: floatResult((n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = erf(x[xi]);
  }),
  // min(max(x, lo), hi): hi wins when lo > hi; NaN passes through (neither comparison holds).
  clamp: (n, x, xo, xs, out, oo, os, lo, hi) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) {
      const v = x[xi];
      const t = v < lo ? lo : v;
      out[oi] = t > hi ? hi : t;
    }
  },
  logicalNot: (n, x, xo, xs, out, oo, os) => {
    for (let i = 0, xi = xo, oi = oo; i < n; i++, xi += xs, oi += os) out[oi] = x[xi] === 0 ? 1 : 0;
  },
});

export const binaryKernels = tableOf<BinaryKernel>()({
  // alpha (p0) scales b: add(a, b, alpha) as PyTorch's add.
  add: (n, a, ao, as, b, bo, bs, out, oo, os, alpha) => {
    if (alpha === 1) for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] + b[bi];
    else for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] + alpha * b[bi];
  },
  sub: (n, a, ao, as, b, bo, bs, out, oo, os, alpha) => {
    if (alpha === 1) for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] - b[bi];
    else for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] - alpha * b[bi];
  },
  mul: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] * b[bi];
  },
  div: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] / b[bi];
  },
  pow: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = Math.pow(a[ai], b[bi]);
  },
  // NaN in either operand propagates, as PyTorch's maximum/minimum.
  maximum: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
      const x = a[ai];
      const y = b[bi];
      out[oi] = x > y || x !== x ? x : y;
    }
  },
  minimum: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) {
      const x = a[ai];
      const y = b[bi];
      out[oi] = x < y || x !== x ? x : y;
    }
  },
  eq: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] === b[bi] ? 1 : 0;
  },
  ne: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] !== b[bi] ? 1 : 0;
  },
  lt: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] < b[bi] ? 1 : 0;
  },
  le: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] <= b[bi] ? 1 : 0;
  },
  gt: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] > b[bi] ? 1 : 0;
  },
  ge: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] >= b[bi] ? 1 : 0;
  },
  logicalAnd: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] !== 0 && b[bi] !== 0 ? 1 : 0;
  },
  logicalOr: (n, a, ao, as, b, bo, bs, out, oo, os) => {
    for (let i = 0, ai = ao, bi = bo, oi = oo; i < n; i++, ai += as, bi += bs, oi += os) out[oi] = a[ai] !== 0 || b[bi] !== 0 ? 1 : 0;
  },
});

export const where: WhereKernel = (n, c, co, cs, a, ao, as, b, bo, bs, out, oo, os) => {
  for (let i = 0, ci = co, ai = ao, bi = bo, oi = oo; i < n; i++, ci += cs, ai += as, bi += bs, oi += os) {
    out[oi] = c[ci] !== 0 ? a[ai] : b[bi];
  }
};

export const fill: FillKernel = (n, out, oo, os, value) => {
  if (os === 1) out.fill(value, oo, oo + n);
  else for (let i = 0, oi = oo; i < n; i++, oi += os) out[oi] = value;
};

export type UnaryName = keyof typeof unaryKernels;
export type BinaryName = keyof typeof binaryKernels;
