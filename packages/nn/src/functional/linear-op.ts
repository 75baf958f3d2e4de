// y = x W^T + b as one autograd op. Composed of matmul, t and add it records three nodes, allocates the
// product and the sum separately, and its weight gradient arrives as a transposed view that the engine must
// copy into a leaf gradient. As one op: one node, the bias added in place into the fresh product, and the
// weight gradient computed directly in W's layout (g^T x, contiguous).
import { applyOp, defineOp, sampleInputs, type Variable } from '@minigrad/autograd';
import { needsGrad } from '@minigrad/autograd/internal';
import type { Tensor } from '@minigrad/tensor';

/** x [..., in] -> [rows, in], a view when x is contiguous. */
function rowsOf<T extends Tensor | Variable>(x: T, inF: number): T {
  let rows = 1;
  for (let d = 0; d < x.ndim - 1; d++) rows *= x.shape[d];
  return x.reshape([rows, inF]) as T;
}

/** Inputs [x, weight] or [x, weight, bias]; weight is 2-D [out, in], bias 1-D [out] of x's dtype. */
export const linearOp = defineOp<undefined>({
  name: 'linear',
  gradOwnership: 'fresh',
  saveInputs: true,
  forward(xs) {
    const [x, w] = xs;
    const outF = w.shape[0];
    const y = rowsOf(x, w.shape[1]).matmul(w.t());
    if (xs.length === 3) y.addInPlace(xs[2]);
    return y.reshape(x.ndim === 1 ? [outF] : [...x.shape.slice(0, -1), outF]);
  },
  backward(ctx, g) {
    const inputs = ctx.inputs!;
    const x = inputs[0];
    const w = inputs[1];
    const outF = w.shape[0];
    const inF = w.shape[1];
    const g2 = rowsOf(g, outF);
    const gx = needsGrad(ctx, 0) ? g2.matmul(w).reshape(x.shape as number[]) : null;
    const gw = needsGrad(ctx, 1) ? g2.t().matmul(rowsOf(x, inF)) : null;
    const gb = inputs.length === 3 && needsGrad(ctx, 2) ? g2.sum(0) : null;
    return inputs.length === 3 ? [gx, gw, gb] : [gx, gw];
  },
  samples: () => [
    { inputs: [sampleInputs.normal([3, 4]), sampleInputs.normal([5, 4]), sampleInputs.normal([5])], args: undefined },
    { inputs: [sampleInputs.normal([2, 3, 4]), sampleInputs.normal([2, 4]), sampleInputs.normal([2])], args: undefined, label: 'batched input' },
    { inputs: [sampleInputs.normal([4]), sampleInputs.normal([3, 4]), sampleInputs.normal([3])], args: undefined, label: '1-d input' },
    { inputs: [sampleInputs.normal([3, 4]), sampleInputs.normal([2, 4])], args: undefined, label: 'no bias' },
  ],
});

/**
 * Whether linearOp applies: a 2-D weight, and a 1-D bias of the input's dtype (other biases broadcast
 * or promote, which the composite x.matmul(W.t()).add(b) does).
 */
export function fitsLinearOp(x: Variable, weight: Variable, bias: Variable | null): boolean {
  if (weight.ndim !== 2 || x.dtype !== weight.dtype) return false;
  return bias === null || (bias.ndim === 1 && bias.shape[0] === weight.shape[0] && bias.dtype === x.dtype);
}

export function linearFused(x: Variable, weight: Variable, bias: Variable | null): Variable {
  return applyOp(linearOp, bias === null ? [x, weight] : [x, weight, bias], undefined);
}
