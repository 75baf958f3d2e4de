// cumsum. Its gradient is the reversed cumulative sum of g (each input element feeds every later output),
// computed exactly as reverse, cumsum, reverse (indexSelect with a reversed index, differentiable itself).
import { arange } from '@minigrad/tensor';
import { defineOp } from '../registry.js';
import type { Variable } from '../variable.js';
import { normDim } from './dims.js';
import { normal } from './samples.js';

export const cumsumOp = defineOp<{ dim: number }>({
  name: 'cumsum',
  gradOwnership: 'fresh',
  forward: ([x], { dim }) => x.cumsum(dim),
  backward: (ctx, g) => {
    if (g.ndim === 0) return [g.clone()];
    const dim = normDim(ctx.args.dim, g.ndim);
    const n = g.shape[dim];
    const reversed = arange(n - 1, -1, -1, { dtype: 'int32' });
    const flip = (v: Variable) => v.indexSelect(dim, reversed);
    return [flip(flip(g).cumsum(dim))];
  },
  samples: () => [
    { inputs: [normal([3, 4])], args: { dim: 1 } },
    { inputs: [normal([2, 3, 4])], args: { dim: 0 } },
    { inputs: [normal([2, 3, 4])], args: { dim: -2 } },
  ],
});
