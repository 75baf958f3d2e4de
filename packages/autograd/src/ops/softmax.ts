// softmax and logSoftmax along one dim (the forward subtracts the max; the gradients use the output).
import { defineOp, type OpSample } from '../registry.js';
import { normal } from './samples.js';

export interface SoftmaxArgs {
  dim: number;
}

const samples = (): OpSample<SoftmaxArgs>[] => [
  { inputs: [normal([3, 5])], args: { dim: 1 } },
  { inputs: [normal([2, 3, 4])], args: { dim: 0 } },
  { inputs: [normal([2, 3, 4]).mul(30)], args: { dim: -1 }, label: 'large logits' },
];

export const softmaxOp = defineOp<SoftmaxArgs>({
  name: 'softmax',
  saveOutput: true,
  forward: ([x], { dim }) => x.softmax(dim),
  // dx = y * (g - sum(g * y))
  backward: (ctx, g) => {
    const y = ctx.output!;
    return [y.mul(g.sub(g.mul(y).sum(ctx.args.dim, true)))];
  },
  samples,
});

export const logSoftmaxOp = defineOp<SoftmaxArgs>({
  name: 'logSoftmax',
  saveOutput: true,
  forward: ([x], { dim }) => x.logSoftmax(dim),
  // dx = g - softmax * sum(g)
  backward: (ctx, g) => [g.sub(ctx.output!.exp().mul(g.sum(ctx.args.dim, true)))],
  samples,
});
