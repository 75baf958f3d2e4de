// The gradient of relu as one op: g where the saved output is > 0, else 0. Written as gt + where it
// allocated a bool mask, a 0-d zero and a broadcasting select per call; this kernel makes one pass. It is
// linear in g with a constant mask, so its own gradient is itself (double backward stays in one op).
import { Tensor, getKernel, registerKernel, where, zeros, type FloatArray } from '@minigrad/tensor';
import { applyOp } from '../dispatch.js';
import { defineOp } from '../registry.js';
import type { Variable } from '../variable.js';
import { awayFromZero, normal } from './samples.js';

/**
 * out[i] = y[yOffset + i] > 0 ? g[gOffset + i] : 0 for n contiguous elements (out and g of one dtype).
 * A float select compiles to a branch that random signs mispredict half the time; instead the bits of g
 * are ANDed with an all-ones or all-zeros mask (bit-exact: +0 where masked, NaN and Inf pass or vanish
 * as in the select), about 5x faster on a large tensor.
 */
function maskPositive(n: number, g: FloatArray, gOffset: number, y: FloatArray, yOffset: number, out: FloatArray): void {
  const words = g.BYTES_PER_ELEMENT >> 2;
  const gBits = new Int32Array(g.buffer, g.byteOffset + gOffset * g.BYTES_PER_ELEMENT, n * words);
  const outBits = new Int32Array(out.buffer, out.byteOffset, n * words);
  if (words === 1) {
    for (let i = 0; i < n; i++) outBits[i] = gBits[i] & -(y[yOffset + i] > 0);
  } else {
    for (let i = 0; i < n; i++) {
      const m = -(y[yOffset + i] > 0);
      outBits[2 * i] = gBits[2 * i] & m;
      outBits[2 * i + 1] = gBits[2 * i + 1] & m;
    }
  }
}

// Registered like the tensor kernels so that a faster backend can register the same name.
registerKernel('autograd.maskPositive', 'js', maskPositive);

function isFloat(t: Tensor): boolean {
  return t.dtype === 'float32' || t.dtype === 'float64';
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** g masked by y > 0 (same shapes); contiguous float tensors of one dtype take the one-pass kernel. */
function reluGrad(g: Tensor, y: Tensor): Tensor {
  if (g.dtype !== y.dtype || !isFloat(g) || !g.isContiguous() || !y.isContiguous() || !sameShape(g.shape, y.shape)) {
    return where(y.gt(0), g, zeros([], { dtype: g.dtype }));
  }
  const out = Tensor.empty(g.shape, g.dtype);
  getKernel<typeof maskPositive>('autograd.maskPositive')(g.numel(), g.data as FloatArray, g.offset, y.data as FloatArray, y.offset, out.data as FloatArray);
  return out;
}

export const reluBackwardOp = defineOp<{ output: Tensor }>({
  name: 'reluBackward',
  gradOwnership: 'fresh',
  forward: ([g], { output }) => reluGrad(g, output),
  backward: (ctx, gg) => [reluBackward(gg, ctx.args.output)],
  samples: () => [
    { inputs: [normal([3, 4])], args: { output: awayFromZero([3, 4]).relu() } },
    { inputs: [normal([2, 3, 2])], args: { output: awayFromZero([2, 3, 2]).relu() } },
    { inputs: [normal([])], args: { output: awayFromZero([]).relu() }, label: '0-d' },
  ],
});

/** The gradient flowing back through relu: g where `output` (relu's saved output) is > 0. */
export function reluBackward(g: Variable, output: Tensor): Variable {
  return applyOp(reluBackwardOp, [g], { output });
}
