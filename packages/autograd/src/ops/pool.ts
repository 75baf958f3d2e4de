// Pooling. Each pooling op is linear in its input given the window choice, and its gradient kernel is
// registered as an op whose own gradient is the pooling again (maxPool2d: a gather at the saved indices).
import {
  adaptiveAvgPool2d as adaptiveAvgPool2dT, avgPool2d as avgPool2dT, maxPool2d as maxPool2dT,
  type AdaptiveSize, type AvgPool2dOptions, type MaxPool2dOptions, type Tensor, type ValuesIndices,
} from '@minigrad/tensor';
import {
  adaptiveAvgPool2dBackward as adaptiveAvgPool2dBackwardT, avgPool2dBackward as avgPool2dBackwardT,
  maxPool2dBackward as maxPool2dBackwardT,
} from '@minigrad/tensor/internal';
import { applyOp, applyOpWithAux } from '../dispatch.js';
import { defineOp, type OpDef } from '../registry.js';
import { valuesKeepingIndices } from './helpers.js';
import { normal } from './samples.js';
import { Variable } from '../variable.js';

export const maxPool2dOp = defineOp<MaxPool2dOptions, Tensor>({
  name: 'maxPool2d',
  gradOwnership: 'fresh',
  forward: ([x], opts, ctx) => valuesKeepingIndices(maxPool2dT(x, opts), ctx),
  // The gradient goes to the first maximum of each window (the saved index); overlapping windows add up.
  backward: (ctx, g) => [applyOp(maxPool2dBackwardOp, [g], { indices: ctx.aux!, inputShape: ctx.shapes[0] as number[] })],
  samples: () => [
    { inputs: [normal([2, 2, 4, 4])], args: { kernelSize: 2 }, variants: ['transposed', 'sliced'] },
    { inputs: [normal([1, 2, 5, 5])], args: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, variants: ['transposed', 'sliced'], label: 'overlapping, ceil' },
    { inputs: [normal([2, 5, 6])], args: { kernelSize: [2, 3], stride: 1, dilation: [2, 1] }, variants: ['sliced'], label: 'unbatched, dilation' },
  ],
});

export const maxPool2dBackwardOp = defineOp<{ indices: Tensor; inputShape: number[] }>({
  name: 'maxPool2dBackward',
  gradOwnership: 'fresh',
  forward: ([g], { indices, inputShape }) => maxPool2dBackwardT(g, indices, inputShape),
  // Its gradient reads the incoming gradient at the saved indices of each plane.
  backward: (ctx, gg) => {
    const idx = ctx.args.indices;
    const planes = idx.flatten(-2);
    return [gg.flatten(-2).gather(-1, planes).reshape(idx.shape)];
  },
  samples: () => {
    const x = normal([1, 2, 4, 4]);
    const r = maxPool2dT(x, { kernelSize: 3, stride: 1 });
    return [{ inputs: [normal(r.values.shape)], args: { indices: r.indices, inputShape: x.shape } }];
  },
});

export const avgPool2dOp: OpDef<AvgPool2dOptions> = defineOp<AvgPool2dOptions>({
  name: 'avgPool2d',
  forward: ([x], opts) => avgPool2dT(x, opts),
  backward: (ctx, g) => [applyOp(avgPool2dBackwardOp, [g], { inputShape: ctx.shapes[0] as number[], opts: ctx.args })],
  samples: () => [
    { inputs: [normal([2, 2, 4, 4])], args: { kernelSize: 2 } },
    { inputs: [normal([1, 2, 5, 5])], args: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }, label: 'ceil, exclude pad' },
    { inputs: [normal([2, 5, 5])], args: { kernelSize: [3, 2], stride: [1, 2], padding: [1, 0], divisorOverride: 4 }, label: 'unbatched, divisor' },
  ],
});

export const avgPool2dBackwardOp: OpDef<{ inputShape: number[]; opts: AvgPool2dOptions }> = defineOp<{
  inputShape: number[];
  opts: AvgPool2dOptions;
}>({
  name: 'avgPool2dBackward',
  forward: ([g], { inputShape, opts }) => avgPool2dBackwardT(g, inputShape, opts),
  backward: (ctx, gg) => [applyOp(avgPool2dOp, [gg], ctx.args.opts)],
  samples: () => [{ inputs: [normal([1, 2, 3, 3])], args: { inputShape: [1, 2, 5, 5], opts: { kernelSize: 3, stride: 2, padding: 1 } } }],
});

export const adaptiveAvgPool2dOp: OpDef<{ outputSize: AdaptiveSize }> = defineOp<{ outputSize: AdaptiveSize }>({
  name: 'adaptiveAvgPool2d',
  forward: ([x], { outputSize }) => adaptiveAvgPool2dT(x, outputSize),
  backward: (ctx, g) => [applyOp(adaptiveAvgPool2dBackwardOp, [g], { inputShape: ctx.shapes[0] as number[] })],
  samples: () => [
    { inputs: [normal([2, 2, 5, 7])], args: { outputSize: 3 }, label: 'overlapping bins' },
    { inputs: [normal([1, 3, 4, 4])], args: { outputSize: [1, null] } },
  ],
});

export const adaptiveAvgPool2dBackwardOp: OpDef<{ inputShape: number[] }> = defineOp<{ inputShape: number[] }>({
  name: 'adaptiveAvgPool2dBackward',
  forward: ([g], { inputShape }) => adaptiveAvgPool2dBackwardT(g, inputShape),
  backward: (ctx, gg) => {
    const s = ctx.shapes[0];
    return [applyOp(adaptiveAvgPool2dOp, [gg], { outputSize: [s[s.length - 2], s[s.length - 1]] as const })];
  },
  samples: () => [{ inputs: [normal([1, 2, 3, 2])], args: { inputShape: [1, 2, 7, 5] } }],
});

/** Max pooling (padding counts as -Infinity); the gradient goes to the first maximum of each window. */
export function maxPool2d(x: Variable | Tensor, opts: MaxPool2dOptions): Variable {
  return applyOp(maxPool2dOp, [x], opts);
}

/** Max pooling that also returns the argmax of each window (flat index into its input plane, int32). */
export function maxPool2dWithIndices(x: Variable | Tensor, opts: MaxPool2dOptions): ValuesIndices<Variable> {
  const { out, aux } = applyOpWithAux(maxPool2dOp, [x], opts);
  return { values: out, indices: new Variable(aux) };
}

/** 2-D average pooling with PyTorch's divisor rules; differentiable. PyTorch: `torch.nn.functional.avg_pool2d`. */
export function avgPool2d(x: Variable | Tensor, opts: AvgPool2dOptions): Variable {
  return applyOp(avgPool2dOp, [x], opts);
}

/**
 * Average pooling to a fixed output size over PyTorch's adaptive bins; differentiable.
 * PyTorch: `torch.nn.functional.adaptive_avg_pool2d`.
 */
export function adaptiveAvgPool2d(x: Variable | Tensor, outputSize: AdaptiveSize): Variable {
  return applyOp(adaptiveAvgPool2dOp, [x], { outputSize });
}
