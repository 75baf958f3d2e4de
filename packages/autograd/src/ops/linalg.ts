// matmul with NumPy batching and the 1-D rules (a 1-D left operand is a row, a 1-D right one a column).
import { needsGrad } from '../tape-node.js';
import { defineOp } from '../registry.js';
import type { Tensor } from '@minigrad/tensor';
import { asVariable, type Variable } from '../variable.js';
import { normal } from './samples.js';

/** Sums the batch dims that broadcasting added or expanded, then restores the operand's own shape. */
function toOperand(g: Variable, as2d: readonly number[], shape: readonly number[]): Variable {
  const lead = g.ndim - as2d.length;
  const dims: number[] = [];
  for (let d = 0; d < g.ndim - 2; d++) if (d < lead || as2d[d - lead] === 1) dims.push(d);
  const summed = dims.length > 0 ? g.sum(dims, true) : g;
  return summed.reshape(shape as number[]);
}

export const matmulOp = defineOp<undefined>({
  name: 'matmul',
  gradOwnership: 'fresh',
  saveInputs: true,
  forward: ([a, b]) => a.matmul(b),
  backward: (ctx, g) => {
    const [a, b] = ctx.inputs!;
    const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
    const b2 = b.ndim === 1 ? b.unsqueeze(-1) : b;
    let g2 = g;
    if (a.ndim === 1) g2 = g2.unsqueeze(b.ndim === 1 ? 0 : -2);
    if (b.ndim === 1) g2 = g2.unsqueeze(-1);
    const ga = needsGrad(ctx, 0) ? toOperand(g2.matmul(b2.transpose(-1, -2)), a2.shape, a.shape) : null;
    const gb = needsGrad(ctx, 1) ? toOperand(a2.transpose(-1, -2).matmul(g2), b2.shape, b.shape) : null;
    return [ga, gb];
  },
  samples: () => [
    { inputs: [normal([3, 4]), normal([4, 2])], args: undefined },
    { inputs: [normal([2, 3, 4]), normal([4, 5])], args: undefined, label: 'batched x 2-d' },
    { inputs: [normal([2, 1, 3, 4]), normal([3, 4, 2])], args: undefined, label: 'broadcast batch' },
    { inputs: [normal([4]), normal([4, 3])], args: undefined, label: '1-d x 2-d' },
    { inputs: [normal([3, 4]), normal([4])], args: undefined, label: '2-d x 1-d' },
    { inputs: [normal([4]), normal([4])], args: undefined, label: 'dot' },
    { inputs: [normal([2, 3, 4]), normal([4])], args: undefined, label: 'batched x 1-d' },
  ],
});

/** The matrix product a @ b (either may be a plain Tensor, a constant). */
export function matmul(a: Variable | Tensor, b: Variable | Tensor): Variable {
  return asVariable(a, 'matmul', 'input').matmul(b);
}
