// Boolean-mask ops: maskedFill and maskedSelect (the mask is a bool tensor, broadcast with the input), and
// clamp with tensor bounds. Gradients may keep the broadcast shape: the engine sums them back.
import { broadcastShapes, tensor, type Tensor } from '@minigrad/tensor';
import { needsGrad } from '../tape-node.js';
import { defineOp } from '../registry.js';
import type { Variable } from '../variable.js';
import { scalarLike, select, zerosOf } from './helpers.js';
import { normal } from './samples.js';

export interface MaskedFillArgs {
  mask: Tensor;
  /** The fill value when it is a number; null when it is the op's second input (a 0-d Variable). */
  value: number | null;
}

export const maskedFillOp = defineOp<MaskedFillArgs>({
  name: 'maskedFill',
  forward: ([x, v], { mask, value }) => x.maskedFill(mask, value ?? v),
  backward: (ctx, g) => {
    const zero = scalarLike(0, g);
    const mask = ctx.args.mask;
    return [needsGrad(ctx, 0) ? select(mask, zero, g) : null, needsGrad(ctx, 1) ? select(mask, g, zero).sum() : null];
  },
  samples: () => [
    { inputs: [normal([3, 4])], args: { mask: normal([3, 4]).gt(0), value: -1.5 } },
    { inputs: [normal([3, 4]), normal([])], args: { mask: normal([4]).gt(0), value: null }, label: 'tensor value' },
    { inputs: [normal([3, 1])], args: { mask: normal([2, 3, 4]).gt(0), value: 2 }, label: 'mask broadcasts the input' },
  ],
});

/** The flat positions (row-major, in the broadcast shape) where mask is true. */
function truePositions(mask: Tensor, shape: number[]): Tensor {
  const m = mask.expand(shape).toTypedArray();
  const at: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) at.push(i);
  return tensor(at, { dtype: 'int32' });
}

export const maskedSelectOp = defineOp<{ mask: Tensor }>({
  name: 'maskedSelect',
  gradOwnership: 'fresh',
  forward: ([x], { mask }) => x.maskedSelect(mask),
  backward: (ctx, g) => {
    const shape = broadcastShapes('maskedSelect', ctx.shapes[0], ctx.args.mask.shape);
    const n = shape.reduce((a, b) => a * b, 1);
    return [zerosOf([n], g).scatterAdd(0, truePositions(ctx.args.mask, shape), g).reshape(shape)];
  },
  samples: () => [
    { inputs: [normal([3, 4])], args: { mask: normal([3, 4]).gt(0) } },
    { inputs: [normal([3, 1])], args: { mask: normal([2, 3, 4]).gt(0) }, label: 'mask broadcasts the input' },
    { inputs: [normal([2, 3, 4])], args: { mask: normal([4]).gt(0) }, label: 'input broadcasts the mask' },
  ],
});

export interface ClampTensorArgs {
  hasMin: boolean;
  hasMax: boolean;
}

/**
 * clamp(x, min, max) with tensor bounds (inputs [x, min?, max?]). PyTorch's gradient rule: x gets g where
 * min <= x <= max (ties go to x); min gets it where x < min and min < max; max where x > max or max < min
 * (with min > max every output is max).
 */
export const clampTensorOp = defineOp<ClampTensorArgs>({
  name: 'clamp.tensor',
  saveInputs: true,
  forward: ([x, a, b], { hasMin, hasMax }) => x.clamp(hasMin ? a : null, hasMax ? (hasMin ? b : a) : null),
  backward: (ctx, g) => {
    const { hasMin, hasMax } = ctx.args;
    const x = ctx.inputs![0].data;
    const lo = hasMin ? ctx.inputs![1].data : null;
    const hi = hasMax ? ctx.inputs![hasMin ? 2 : 1].data : null;
    const zero = scalarLike(0, g);
    const route = (cond: Tensor) => select(cond, g, zero);
    let inside: Tensor;
    if (lo !== null && hi !== null) inside = x.ge(lo).logicalAnd(x.le(hi));
    else inside = lo !== null ? x.ge(lo) : x.le(hi!);
    const grads: (Variable | null)[] = [needsGrad(ctx, 0) ? route(inside) : null];
    if (lo !== null) grads.push(needsGrad(ctx, 1) ? route(hi === null ? x.lt(lo) : x.lt(lo).logicalAnd(lo.lt(hi))) : null);
    if (hi !== null) {
      const i = grads.length;
      grads.push(needsGrad(ctx, i) ? route(lo === null ? x.gt(hi) : x.gt(hi).logicalOr(hi.lt(lo))) : null);
    }
    return grads;
  },
  samples: () => [
    { inputs: [normal([3, 4]), normal([3, 1]).sub(0.5), normal([4]).add(0.5)], args: { hasMin: true, hasMax: true } },
    { inputs: [normal([3, 4]), normal([4])], args: { hasMin: true, hasMax: false }, label: 'min only' },
    { inputs: [normal([3, 4]), normal([])], args: { hasMin: false, hasMax: true }, label: 'max only, 0-d' },
    { inputs: [normal([2, 3]), normal([2, 3]).add(1), normal([2, 3]).sub(1)], args: { hasMin: true, hasMax: true }, label: 'min > max' },
  ],
});
