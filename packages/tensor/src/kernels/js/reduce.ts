// Reduction kernels over a contiguous [outer, R, inner] layout starting at xo: each of the outer*inner
// results (written contiguously from oo) reduces R elements spaced `inner` apart. Sums accumulate in doubles.
import type { TypedArray } from '../../dtype.js';
import { tableOf } from '../table.js';

export type ReduceKernel = (
  outer: number, R: number, inner: number, x: TypedArray, xo: number, out: TypedArray, oo: number, p0: number,
) => void;

/** Values and their int32 indices along R (first occurrence wins ties; a NaN wins and propagates). */
export type ArgReduceKernel = (
  outer: number, R: number, inner: number, x: TypedArray, xo: number,
  values: TypedArray | null, indices: Int32Array | null, oo: number,
) => void;

/**
 * Sums times `scale`. With inner > 1, whole rows of `inner` contiguous elements are added into a float64
 * accumulator row, so memory is read in order (a column-by-column walk would stride through it).
 */
function sumRows(
  outer: number, R: number, inner: number, x: TypedArray, xo: number, out: TypedArray, oo: number, scale: number,
): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = xo + o * R;
      let acc = 0;
      for (let r = 0; r < R; r++) acc += x[base + r];
      out[oo + o] = acc * scale;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0, p = xo + o * R * inner; r < R; r++, p += inner) {
      for (let j = 0; j < inner; j++) acc[j] += x[p + j];
    }
    const base = oo + o * inner;
    for (let j = 0; j < inner; j++) out[base + j] = acc[j] * scale;
  }
}

/** The largest of the R elements x[base + r*inner] (-inf when R = 0; a NaN wins). */
function maxAlong(R: number, inner: number, x: TypedArray, base: number): number {
  let m = -Infinity;
  for (let r = 0; r < R; r++) {
    const v = x[base + r * inner];
    if (v > m || v !== v) m = v;
  }
  return m;
}

export const reduceKernels = tableOf<ReduceKernel>()({
  sum: (outer, R, inner, x, xo, out, oo) => sumRows(outer, R, inner, x, xo, out, oo, 1),
  mean: (outer, R, inner, x, xo, out, oo) => sumRows(outer, R, inner, x, xo, out, oo, 1 / R),
  prod: (outer, R, inner, x, xo, out, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = xo + o * R * inner + j;
        let acc = 1;
        for (let r = 0; r < R; r++) acc *= x[base + r * inner];
        out[oo + o * inner + j] = acc;
      }
    }
  },
  // amax and amin stay two loops: one shared loop with a direction flag (as argReduce) measured 10-40% slower.
  amax: (outer, R, inner, x, xo, out, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = xo + o * R * inner + j;
        let best = x[base];
        for (let r = 1; r < R; r++) {
          const v = x[base + r * inner];
          if (v > best || v !== v) best = v;
          if (best !== best) break;
        }
        out[oo + o * inner + j] = best;
      }
    }
  },
  amin: (outer, R, inner, x, xo, out, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = xo + o * R * inner + j;
        let best = x[base];
        for (let r = 1; r < R; r++) {
          const v = x[base + r * inner];
          if (v < best || v !== v) best = v;
          if (best !== best) break;
        }
        out[oo + o * inner + j] = best;
      }
    }
  },
  // max + log(sum(exp(x - max))); an infinite max is the answer itself (avoids inf - inf).
  logsumexp: (outer, R, inner, x, xo, out, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = xo + o * R * inner + j;
        const m = maxAlong(R, inner, x, base);
        if (m === Infinity || m === -Infinity || m !== m) {
          out[oo + o * inner + j] = m;
          continue;
        }
        let s = 0;
        for (let r = 0; r < R; r++) s += Math.exp(x[base + r * inner] - m);
        out[oo + o * inner + j] = m + Math.log(s);
      }
    }
  },
  // Two passes (mean, then squared deviations) for accuracy; divisor max(0, R - correction) as PyTorch.
  var: (outer, R, inner, x, xo, out, oo, correction) => {
    const div = Math.max(0, R - correction);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = xo + o * R * inner + j;
        let s = 0;
        for (let r = 0; r < R; r++) s += x[base + r * inner];
        const mean = s / R;
        let ss = 0;
        for (let r = 0; r < R; r++) {
          const d = x[base + r * inner] - mean;
          ss += d * d;
        }
        out[oo + o * inner + j] = ss / div;
      }
    }
  },
  // softmax and logSoftmax keep R: out has the same [outer, R, inner] layout as x (from oo).
  softmax: (outer, R, inner, x, xo, out, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * R * inner + j;
        const m = maxAlong(R, inner, x, xo + base);
        let s = 0;
        for (let r = 0; r < R; r++) {
          const e = Math.exp(x[xo + base + r * inner] - m);
          out[oo + base + r * inner] = e;
          s += e;
        }
        const inv = 1 / s;
        for (let r = 0; r < R; r++) out[oo + base + r * inner] *= inv;
      }
    }
  },
  logSoftmax: (outer, R, inner, x, xo, out, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * R * inner + j;
        const m = maxAlong(R, inner, x, xo + base);
        let s = 0;
        for (let r = 0; r < R; r++) s += Math.exp(x[xo + base + r * inner] - m);
        const lse = m + Math.log(s);
        for (let r = 0; r < R; r++) out[oo + base + r * inner] = x[xo + base + r * inner] - lse;
      }
    }
  },
});

/**
 * acc[ao + i*as] += x[xo + i*xs] for i < n: a sum over any strides into a float64 accumulator, with as = 0
 * along reduced dims (used when the reduced dims are not one contiguous block, instead of copying).
 */
/**
 * out[c] = scale * (sum over n of (sum over i of x[xo + (n*C + c)*inner + i])) for a contiguous [N, C, inner]
 * block: the sum over every dim but 1 (a conv bias gradient, per-channel statistics). Each (n, c) run is summed
 * from 0 in a double and then added to channel c's double accumulator, in the same order as the strided
 * accumulate path gives for this layout, so the results are bit-identical to it.
 */
export type ChannelSumKernel = (
  N: number, C: number, inner: number, x: TypedArray, xo: number, out: TypedArray, scale: number,
) => void;

export const sumChannels: ChannelSumKernel = (N, C, inner, x, xo, out, scale) => {
  const acc = new Float64Array(C);
  for (let n = 0, p = xo; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (const end = p + inner; p < end; p++) s += x[p];
      acc[c] += s;
    }
  }
  for (let c = 0; c < C; c++) out[c] = acc[c] * scale;
};

export type AccumulateKernel = (n: number, x: TypedArray, xo: number, xs: number, acc: Float64Array, ao: number, as: number) => void;

export const accumulate: AccumulateKernel = (n, x, xo, xs, acc, ao, as) => {
  if (as === 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[xo + i * xs];
    acc[ao] += s;
  } else {
    for (let i = 0; i < n; i++) acc[ao + i * as] += x[xo + i * xs];
  }
};

function argReduce(greater: boolean): ArgReduceKernel {
  return (outer, R, inner, x, xo, values, indices, oo) => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = xo + o * R * inner + j;
        let best = x[base];
        let bi = 0;
        if (best === best) {
          for (let r = 1; r < R; r++) {
            const v = x[base + r * inner];
            if (greater ? v > best : v < best) {
              best = v;
              bi = r;
            } else if (v !== v) {
              best = v;
              bi = r;
              break;
            }
          }
        }
        if (values !== null) values[oo + o * inner + j] = best;
        if (indices !== null) indices[oo + o * inner + j] = bi;
      }
    }
  };
}

export const argReduceKernels = tableOf<ArgReduceKernel>()({
  max: argReduce(true),
  min: argReduce(false),
});

export type ReduceName = keyof typeof reduceKernels;
export type ArgReduceName = keyof typeof argReduceKernels;
