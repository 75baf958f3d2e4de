// The gradient of relu as one op: g where the saved output is > 0, else 0. Written as gt + where it
// allocated a bool mask, a 0-d zero and a broadcasting select per call; the tensor kernel 'reluBackward'
// (js, and a wasm twin for float32) makes one pass. It is linear in g with a constant mask, so its own
// gradient is itself (double backward stays in one op).
import { Tensor, isFloat, sameShape, where, zeros, type FloatArray } from '@minigrad/tensor';
import { getKernel, uninitializedTensor } from '@minigrad/tensor/internal';
import { applyOp } from '../dispatch.js';
import { defineOp } from '../registry.js';
import type { Variable } from '../variable.js';
import { awayFromZero, normal } from './samples.js';

/** g masked by y > 0 (same shapes); contiguous float tensors of one dtype take the one-pass kernel. */
function reluGrad(g: Tensor, y: Tensor): Tensor {
  if (g.dtype !== y.dtype || !isFloat(g.dtype) || !g.isContiguous() || !y.isContiguous() || !sameShape(g.shape, y.shape)) {
    return where(y.gt(0), g, zeros([], { dtype: g.dtype }));
  }
  const out = uninitializedTensor(g.shape, g.dtype, 'reluBackward'); // the kernel writes all n elements
  getKernel('reluBackward')(g.numel(), g.data as FloatArray, g.offset, y.data as FloatArray, y.offset, out.data as FloatArray);
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
