// sort and topk: values with int32 indices (the aux output). The gradient goes back to the position each
// value came from (a scatter through the indices, as for max along a dim).
import type { SortOptions, Tensor, TopkOptions } from '@minigrad/tensor';
import type { Node } from '../tape-node.js';
import { defineOp } from '../registry.js';
import type { Variable } from '../variable.js';
import { zerosOf, valuesKeepingIndices } from './helpers.js';
import { normal } from './samples.js';

export interface SortArgs {
  dim: number;
  opts: SortOptions | undefined;
}

export interface TopkArgs {
  k: number;
  dim: number;
  opts: TopkOptions | undefined;
}

/** g scattered into zeros of the input's shape at the positions the indices name. */
function scatterBack(ctx: Node<{ dim: number }, Tensor>, g: Variable): Variable[] {
  const shape = ctx.shapes[0];
  if (shape.length === 0) return [g.clone()];
  return [zerosOf(shape, g).scatterAdd(ctx.args.dim, ctx.aux!, g)];
}

// The expanded variants repeat values: ties, where the order (and so the gradient's target) jumps.
const noTies = ['transposed', 'sliced'] as const;

export const sortOp = defineOp<SortArgs, Tensor>({
  name: 'sort',
  gradOwnership: 'fresh',
  forward: ([x], { dim, opts }, ctx) => valuesKeepingIndices(x.sort(dim, opts), ctx),
  backward: scatterBack,
  samples: () => [
    { inputs: [normal([3, 4])], args: { dim: 1, opts: undefined }, variants: noTies },
    { inputs: [normal([2, 3, 4])], args: { dim: 0, opts: { descending: true } }, variants: noTies },
    { inputs: [normal([2, 3, 4])], args: { dim: -2, opts: { stable: true } }, variants: noTies },
  ],
});

export const topkOp = defineOp<TopkArgs, Tensor>({
  name: 'topk',
  gradOwnership: 'fresh',
  forward: ([x], { k, dim, opts }, ctx) => valuesKeepingIndices(x.topk(k, dim, opts), ctx),
  backward: scatterBack,
  samples: () => [
    { inputs: [normal([3, 5])], args: { k: 2, dim: 1, opts: undefined }, variants: noTies },
    { inputs: [normal([4, 3, 2])], args: { k: 3, dim: 0, opts: { largest: false } }, variants: noTies },
  ],
});
