// View and shape ops. Their gradients move g back into the input's layout: reshape back, inverse
// permutation, sum over expanded dims, or scatter into zeros (slice/select, whose "backward" ops are
// registered too so that second derivatives work).
import { zeros } from '@minigrad/tensor';
import { defineOp } from '../registry.js';
import { applyOp } from '../dispatch.js';
import { normDim } from './dims.js';
import { normal } from './samples.js';
import { reduceTo } from '../reduce-to.js';

export const viewOp = defineOp<{ shape: number[] }>({
  name: 'view',
  gradOwnership: 'view',
  forward: ([x], { shape }) => x.view(shape),
  backward: (ctx, g) => [g.reshape(ctx.shapes[0] as number[])],
  samples: () => [
    { inputs: [normal([3, 4])], args: { shape: [2, 6] }, variants: ['sliced'] },
    { inputs: [normal([2, 3, 4])], args: { shape: [-1, 4] }, variants: [], label: 'inferred size' },
  ],
});

export const reshapeOp = defineOp<{ shape: number[] }>({
  name: 'reshape',
  gradOwnership: 'view',
  forward: ([x], { shape }) => x.reshape(shape),
  backward: (ctx, g) => [g.reshape(ctx.shapes[0] as number[])],
  samples: () => [
    { inputs: [normal([3, 4])], args: { shape: [2, 6] } },
    { inputs: [normal([2, 3, 4])], args: { shape: [4, -1] } },
    { inputs: [normal([1])], args: { shape: [] }, label: 'to 0-d' },
  ],
});

export const flattenOp = defineOp<{ startDim: number; endDim: number }>({
  name: 'flatten',
  gradOwnership: 'view',
  forward: ([x], { startDim, endDim }) => x.flatten(startDim, endDim),
  backward: (ctx, g) => [g.reshape(ctx.shapes[0] as number[])],
  samples: () => [{ inputs: [normal([2, 3, 4])], args: { startDim: 1, endDim: -1 } }],
});

export const permuteOp = defineOp<{ dims: number[] }>({
  name: 'permute',
  gradOwnership: 'view',
  forward: ([x], { dims }) => x.permute(dims),
  backward: (ctx, g) => {
    const n = ctx.args.dims.length;
    const inverse = new Array<number>(n);
    for (let i = 0; i < n; i++) inverse[normDim(ctx.args.dims[i], n)] = i;
    return [g.permute(inverse)];
  },
  samples: () => [{ inputs: [normal([2, 3, 4])], args: { dims: [2, 0, -2] } }],
});

export const transposeOp = defineOp<{ dim0: number; dim1: number }>({
  name: 'transpose',
  gradOwnership: 'view',
  forward: ([x], { dim0, dim1 }) => x.transpose(dim0, dim1),
  backward: (ctx, g) => [g.transpose(ctx.args.dim0, ctx.args.dim1)],
  samples: () => [
    { inputs: [normal([3, 4])], args: { dim0: 0, dim1: 1 } },
    { inputs: [normal([2, 3, 4])], args: { dim0: -1, dim1: 0 } },
  ],
});

export const squeezeOp = defineOp<{ dim?: number | number[] }>({
  name: 'squeeze',
  gradOwnership: 'view',
  forward: ([x], { dim }) => x.squeeze(dim),
  backward: (ctx, g) => [g.reshape(ctx.shapes[0] as number[])],
  samples: () => [
    { inputs: [normal([3, 1, 4, 1])], args: {} },
    { inputs: [normal([3, 1, 4, 1])], args: { dim: 1 } },
  ],
});

export const unsqueezeOp = defineOp<{ dim: number }>({
  name: 'unsqueeze',
  gradOwnership: 'view',
  forward: ([x], { dim }) => x.unsqueeze(dim),
  backward: (ctx, g) => [g.reshape(ctx.shapes[0] as number[])],
  samples: () => [
    { inputs: [normal([3, 4])], args: { dim: 1 } },
    { inputs: [normal([3, 4])], args: { dim: -1 } },
  ],
});

export const expandOp = defineOp<{ shape: number[] }>({
  name: 'expand',
  forward: ([x], { shape }) => x.expand(shape),
  backward: (ctx, g) => [reduceTo(g, ctx.shapes[0], 'expand')],
  samples: () => [
    { inputs: [normal([3, 1])], args: { shape: [2, 3, 4] } },
    { inputs: [normal([])], args: { shape: [2, 2] }, label: '0-d' },
    { inputs: [normal([1, 4])], args: { shape: [3, -1] } },
  ],
});

export interface SliceArgs {
  dim: number;
  start: number;
  stop: number;
  step: number;
}

export const sliceOp = defineOp<SliceArgs>({
  name: 'slice',
  forward: ([x], { dim, start, stop, step }) => x.slice(dim, start, stop, step),
  backward: (ctx, g) => [applyOp(sliceBackwardOp, [g], { ...ctx.args, inShape: ctx.shapes[0] as number[] })],
  samples: () => [
    { inputs: [normal([5, 4])], args: { dim: 0, start: 1, stop: 4, step: 1 } },
    { inputs: [normal([3, 7])], args: { dim: -1, start: -6, stop: 100, step: 2 }, label: 'negative start, clamped stop, step' },
  ],
});

/** The gradient of slice: g written into zeros of the input's shape. Its own gradient is the slice. */
export const sliceBackwardOp = defineOp<SliceArgs & { inShape: number[] }>({
  name: 'sliceBackward',
  forward: ([g], { inShape, dim, start, stop, step }) => {
    const z = zeros(inShape, { dtype: g.dtype });
    z.slice(dim, start, stop, step).copyFrom(g);
    return z;
  },
  backward: (ctx, gg) => [gg.slice(ctx.args.dim, ctx.args.start, ctx.args.stop, ctx.args.step)],
  samples: () => [{ inputs: [normal([2, 4])], args: { inShape: [5, 4], dim: 0, start: 1, stop: 5, step: 2 } }],
});

export const narrowOp = defineOp<{ dim: number; start: number; length: number }>({
  name: 'narrow',
  forward: ([x], { dim, start, length }) => x.narrow(dim, start, length),
  backward: (ctx, g) => {
    const shape = ctx.shapes[0];
    const dim = normDim(ctx.args.dim, shape.length);
    const start = ctx.args.start < 0 ? ctx.args.start + shape[dim] : ctx.args.start;
    const args = { dim, start, stop: start + ctx.args.length, step: 1, inShape: shape as number[] };
    return [applyOp(sliceBackwardOp, [g], args)];
  },
  samples: () => [
    { inputs: [normal([5, 4])], args: { dim: 1, start: 1, length: 2 } },
    { inputs: [normal([5, 4])], args: { dim: 0, start: -3, length: 3 } },
  ],
});

export const selectOp = defineOp<{ dim: number; index: number }>({
  name: 'select',
  forward: ([x], { dim, index }) => x.select(dim, index),
  backward: (ctx, g) => [applyOp(selectBackwardOp, [g], { ...ctx.args, inShape: ctx.shapes[0] as number[] })],
  samples: () => [
    { inputs: [normal([3, 4])], args: { dim: 0, index: 1 } },
    { inputs: [normal([2, 3, 4])], args: { dim: -1, index: -1 } },
  ],
});

/** The gradient of select: g written into one index of zeros. Its own gradient is the select. */
export const selectBackwardOp = defineOp<{ dim: number; index: number; inShape: number[] }>({
  name: 'selectBackward',
  forward: ([g], { inShape, dim, index }) => {
    const z = zeros(inShape, { dtype: g.dtype });
    z.select(dim, index).copyFrom(g);
    return z;
  },
  backward: (ctx, gg) => [gg.select(ctx.args.dim, ctx.args.index)],
  samples: () => [{ inputs: [normal([4])], args: { inShape: [3, 4], dim: 0, index: 2 } }],
});

export const contiguousOp = defineOp<undefined>({
  name: 'contiguous',
  gradOwnership: 'view',
  forward: ([x]) => x.contiguous(),
  backward: (_, g) => [g],
  samples: () => [{ inputs: [normal([3, 4])], args: undefined }],
});

export const cloneOp = defineOp<undefined>({
  name: 'clone',
  gradOwnership: 'view',
  forward: ([x]) => x.clone(),
  backward: (_, g) => [g],
  samples: () => [{ inputs: [normal([3, 4])], args: undefined }],
});
