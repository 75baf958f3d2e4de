// Index-based ops: gather, scatterAdd, indexSelect, cat, stack. Repeated indices accumulate gradient.
import { ArgumentError, cat as catTensors, describeValue, stack as stackTensors, tensor, type Tensor } from '@minigrad/tensor';
import { applyOp } from '../dispatch.js';
import { needsGrad } from '../tape-node.js';
import { defineOp } from '../registry.js';
import { asVariable, type Variable } from '../variable.js';
import { normDim } from './dims.js';
import { zerosOf } from './helpers.js';
import { normal } from './samples.js';
import { sliceBackwardOp } from './views.js';

export interface IndexArgs {
  dim: number;
  index: Tensor;
}

const idx = (data: number[][] | number[]) => tensor(data, { dtype: 'int32' });

export const gatherOp = defineOp<IndexArgs>({
  name: 'gather',
  forward: ([x], { dim, index }) => x.gather(dim, index),
  backward: (ctx, g) => [zerosOf(ctx.shapes[0], g).scatterAdd(ctx.args.dim, ctx.args.index, g)],
  samples: () => [
    { inputs: [normal([3, 4])], args: { dim: 1, index: idx([[0, 3], [1, 1], [2, 0]]) }, label: 'repeated indices' },
    { inputs: [normal([3, 4])], args: { dim: 0, index: idx([[2, 0, 1, 2]]) } },
  ],
});

/** Pads g with zeros at the end of each dim up to `shape` (src of scatterAdd may exceed the index). */
function padTo(g: Variable, shape: readonly number[]): Variable {
  let out = g;
  for (let d = 0; d < shape.length; d++) {
    if (out.shape[d] === shape[d]) continue;
    const inShape = out.shape.slice();
    inShape[d] = shape[d];
    out = applyOp(sliceBackwardOp, [out], { inShape, dim: d, start: 0, stop: g.shape[d], step: 1 });
  }
  return out;
}

export const scatterAddOp = defineOp<IndexArgs>({
  name: 'scatterAdd',
  forward: ([self, src], { dim, index }) => self.scatterAdd(dim, index, src),
  backward: (ctx, g) => {
    const { dim, index } = ctx.args;
    return [needsGrad(ctx, 0) ? g : null, needsGrad(ctx, 1) ? padTo(g.gather(dim, index), ctx.shapes[1]) : null];
  },
  samples: () => [
    { inputs: [normal([3, 4]), normal([3, 2])], args: { dim: 1, index: idx([[0, 3], [1, 1], [2, 0]]) } },
    { inputs: [normal([3, 4]), normal([2, 4])], args: { dim: 0, index: idx([[2, 0, 1, 2]]) }, label: 'src larger than index' },
  ],
});

export const indexSelectOp = defineOp<IndexArgs>({
  name: 'indexSelect',
  forward: ([x], { dim, index }) => x.indexSelect(dim, index),
  backward: (ctx, g) => {
    // indexSelect is a gather with the index broadcast over the other dims.
    const dim = normDim(ctx.args.dim, g.ndim);
    const shape = new Array<number>(g.ndim).fill(1);
    shape[dim] = ctx.args.index.numel();
    const full = ctx.args.index.reshape(shape).expand(g.shape).contiguous();
    return [zerosOf(ctx.shapes[0], g).scatterAdd(dim, full, g)];
  },
  samples: () => [
    { inputs: [normal([4, 3])], args: { dim: 0, index: idx([3, 0, 3]) }, label: 'repeated indices' },
    { inputs: [normal([2, 3, 4])], args: { dim: -1, index: idx([1, 2]) } },
  ],
});

export const catOp = defineOp<{ dim: number }>({
  name: 'cat',
  forward: (xs, { dim }) => catTensors(xs, dim),
  backward: (ctx, g) => {
    const dim = normDim(ctx.args.dim, g.ndim);
    const grads: (Variable | null)[] = [];
    let offset = 0;
    for (let i = 0; i < ctx.shapes.length; i++) {
      const size = ctx.shapes[i][dim];
      grads.push(needsGrad(ctx, i) ? g.narrow(dim, offset, size) : null);
      offset += size;
    }
    return grads;
  },
  samples: () => [
    { inputs: [normal([2, 3]), normal([4, 3])], args: { dim: 0 } },
    { inputs: [normal([2, 3]), normal([2, 1]), normal([2, 2])], args: { dim: -1 } },
  ],
});

export const stackOp = defineOp<{ dim: number }>({
  name: 'stack',
  forward: (xs, { dim }) => stackTensors(xs, dim),
  backward: (ctx, g) => {
    const dim = normDim(ctx.args.dim, g.ndim);
    const grads: (Variable | null)[] = [];
    for (let i = 0; i < ctx.shapes.length; i++) grads.push(needsGrad(ctx, i) ? g.select(dim, i) : null);
    return grads;
  },
  samples: () => [
    { inputs: [normal([2, 3]), normal([2, 3])], args: { dim: 0 } },
    { inputs: [normal([2, 3]), normal([2, 3]), normal([2, 3])], args: { dim: -1 } },
  ],
});

/** Concatenates along an existing dim. */
export function cat(xs: readonly (Variable | Tensor)[], dim = 0): Variable {
  return applyOp(catOp, variablesOf('cat', xs), { dim });
}

/** Stacks along a new dim. */
export function stack(xs: readonly (Variable | Tensor)[], dim = 0): Variable {
  return applyOp(stackOp, variablesOf('stack', xs), { dim });
}

function variablesOf(op: string, xs: unknown): Variable[] {
  if (!Array.isArray(xs)) throw new ArgumentError(op, `tensors must be an array of Variables, got ${describeValue(xs)}`);
  return xs.map((x, i) => asVariable(x, op, `tensors[${i}]`));
}
