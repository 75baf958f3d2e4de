// Reductions. The gradient of output element k goes back to the input elements reduced into it:
// broadcast over the reduced dims (kept as size 1), then weighted as each reduction requires.
import type { Tensor } from '@minigrad/tensor';
import type { Node } from '../tape-node.js';
import { defineOp, type OpSample } from '../registry.js';
import type { Variable } from '../variable.js';
import { reducedCount, reducedDims } from './dims.js';
import { constant, hasZero, keepDims, maskGrad, zerosOf, valuesKeepingIndices } from './helpers.js';
import { stack } from './indexing.js';
import { normal, uniform } from './samples.js';

export interface ReduceArgs {
  dim?: number | number[];
  keepdim: boolean;
}

const reduceSamples = (make: (s: number[]) => Tensor = normal) => (): OpSample<ReduceArgs>[] => [
  { inputs: [make([3, 4])], args: { keepdim: false }, label: 'all' },
  { inputs: [make([3, 4])], args: { dim: 1, keepdim: false } },
  { inputs: [make([2, 3, 4])], args: { dim: [0, 2], keepdim: true } },
  { inputs: [make([2, 3, 4])], args: { dim: -2, keepdim: false } },
];

/** g broadcast back over the reduced dims of input 0. */
function spread(ctx: Node<ReduceArgs>, g: Variable): { gk: Variable; dims: number[]; shape: readonly number[] } {
  const shape = ctx.shapes[0];
  const dims = reducedDims(ctx.args.dim, shape.length);
  return { gk: keepDims(g, shape, dims, ctx.args.keepdim), dims, shape };
}

export const sumOp = defineOp<ReduceArgs>({
  name: 'sum',
  forward: ([x], { dim, keepdim }) => x.sum(dim, keepdim),
  backward: (ctx, g) => {
    const { gk, shape } = spread(ctx, g);
    // Materialized: downstream gradients then take the contiguous fast paths of the kernels.
    return [gk.expand(shape as number[]).contiguous()];
  },
  samples: reduceSamples(),
});

export const meanOp = defineOp<ReduceArgs>({
  name: 'mean',
  forward: ([x], { dim, keepdim }) => x.mean(dim, keepdim),
  backward: (ctx, g) => {
    const { gk, dims, shape } = spread(ctx, g);
    return [gk.div(reducedCount(shape, dims)).expand(shape as number[]).contiguous()];
  },
  samples: reduceSamples(),
});

/** For each element, the product of the other elements of its reduction group (exact with zeros). */
function productOfOthers(x: Variable, dims: number[]): Variable {
  const nd = x.ndim;
  const kept = [];
  for (let d = 0; d < nd; d++) if (!dims.includes(d)) kept.push(d);
  const perm = kept.concat(dims);
  const inverse = new Array<number>(nd);
  for (let i = 0; i < nd; i++) inverse[perm[i]] = i;
  const xp = x.permute(perm);
  const lead = kept.map((d) => x.shape[d]);
  const r = reducedCount(x.shape, dims);
  const flat = xp.reshape([...lead, r]);
  const parts: Variable[] = [];
  for (let i = 0; i < r; i++) {
    const before = flat.narrow(-1, 0, i);
    const after = flat.narrow(-1, i + 1, r - 1 - i);
    parts.push(before.prod(-1).mul(after.prod(-1)));
  }
  return stack(parts, -1).reshape(xp.shape).permute(inverse);
}

export const prodOp = defineOp<ReduceArgs>({
  name: 'prod',
  saveInputs: true,
  saveOutput: true,
  forward: ([x], { dim, keepdim }) => x.prod(dim, keepdim),
  backward: (ctx, g) => {
    const { gk, dims, shape } = spread(ctx, g);
    const x = ctx.inputs![0];
    // Without zeros, prod / x is the product of the others; with zeros it must be computed directly.
    if (!hasZero(x.data)) return [gk.mul(keepDims(ctx.output!, shape, dims, ctx.args.keepdim)).div(x)];
    return [gk.mul(productOfOthers(x, dims))];
  },
  samples: () => [
    ...reduceSamples((s) => uniform(s, 0.5, 1.5))(),
    { inputs: [normal([3, 4]).mul(normal([3, 4]).gt(-0.5).to('float64'))], args: { dim: 1, keepdim: false }, label: 'zeros' },
  ],
});

/** amax/amin and full max()/min(): the gradient is split evenly among tied extremes. */
function extremeBackward(ctx: Node<ReduceArgs>, g: Variable): Variable[] {
  const { gk, dims, shape } = spread(ctx, g);
  const x = ctx.inputs![0].data;
  const out = keepDims(ctx.output!, shape, dims, ctx.args.keepdim).data;
  const hit = x.eq(out);
  const count = hit.to(x.dtype).sum(dims, true);
  return [maskGrad(gk.div(constant(count)), hit)];
}

// The expanded variant repeats values, i.e. creates ties, where finite differences are one-sided.
const extremeSamples = (): OpSample<ReduceArgs>[] =>
  reduceSamples()().map((s) => ({ ...s, variants: ['transposed', 'sliced'] as const }));

export const amaxOp = defineOp<ReduceArgs>({
  name: 'amax',
  saveInputs: true,
  saveOutput: true,
  forward: ([x], { dim, keepdim }) => x.amax(dim, keepdim),
  backward: extremeBackward,
  samples: extremeSamples,
});

export const aminOp = defineOp<ReduceArgs>({
  name: 'amin',
  saveInputs: true,
  saveOutput: true,
  forward: ([x], { dim, keepdim }) => x.amin(dim, keepdim),
  backward: extremeBackward,
  samples: extremeSamples,
});

export interface DimArgs {
  dim: number;
  keepdim: boolean;
}

/** max/min along a dim: the gradient goes to the index that was returned. */
function routeToIndex(ctx: Node<DimArgs, Tensor>, g: Variable): Variable[] {
  const { dim, keepdim } = ctx.args;
  const shape = ctx.shapes[0];
  const indices = ctx.aux!;
  const idx = keepdim ? indices : indices.unsqueeze(dim);
  const gk = keepdim ? g : g.unsqueeze(dim);
  return [zerosOf(shape, g).scatterAdd(dim, idx, gk)];
}

const dimSamples = (): OpSample<DimArgs>[] => [
  { inputs: [normal([3, 4])], args: { dim: 1, keepdim: false }, variants: ['transposed', 'sliced'] },
  { inputs: [normal([2, 3, 4])], args: { dim: 0, keepdim: true }, variants: ['transposed', 'sliced'] },
  { inputs: [normal([2, 3, 4])], args: { dim: -1, keepdim: false }, variants: ['transposed', 'sliced'] },
];

export const maxDimOp = defineOp<DimArgs, Tensor>({
  name: 'max.dim',
  forward: ([x], { dim, keepdim }, ctx) => valuesKeepingIndices(x.max(dim, keepdim), ctx),
  backward: routeToIndex,
  samples: dimSamples,
});

export const minDimOp = defineOp<DimArgs, Tensor>({
  name: 'min.dim',
  forward: ([x], { dim, keepdim }, ctx) => valuesKeepingIndices(x.min(dim, keepdim), ctx),
  backward: routeToIndex,
  samples: dimSamples,
});

export interface VarArgs {
  dim?: number | number[];
  correction: number;
  keepdim: boolean;
}

const varSamples = (): OpSample<VarArgs>[] => [
  { inputs: [normal([3, 4])], args: { correction: 1, keepdim: false }, label: 'all' },
  { inputs: [normal([3, 4])], args: { dim: 1, correction: 1, keepdim: false } },
  { inputs: [normal([2, 3, 4])], args: { dim: [0, 2], correction: 0, keepdim: true } },
];

export const varOp = defineOp<VarArgs>({
  name: 'var',
  saveInputs: true,
  forward: ([x], { dim, correction, keepdim }) => x.var(dim, { correction, keepdim }),
  backward: (ctx, g) => {
    const x = ctx.inputs![0];
    const shape = ctx.shapes[0];
    const dims = reducedDims(ctx.args.dim, shape.length);
    const n = reducedCount(shape, dims);
    const centered = x.sub(x.mean(dims, true));
    return [keepDims(g, shape, dims, ctx.args.keepdim).mul(centered).mul(2 / (n - ctx.args.correction))];
  },
  samples: varSamples,
});

export const stdOp = defineOp<VarArgs>({
  name: 'std',
  saveInputs: true,
  saveOutput: true,
  forward: ([x], { dim, correction, keepdim }) => x.std(dim, { correction, keepdim }),
  backward: (ctx, g) => {
    const x = ctx.inputs![0];
    const shape = ctx.shapes[0];
    const dims = reducedDims(ctx.args.dim, shape.length);
    const n = reducedCount(shape, dims);
    const std = keepDims(ctx.output!, shape, dims, ctx.args.keepdim);
    const centered = x.sub(x.mean(dims, true));
    return [keepDims(g, shape, dims, ctx.args.keepdim).mul(centered).div(std.mul(n - ctx.args.correction))];
  },
  samples: varSamples,
});

export const logsumexpOp = defineOp<ReduceArgs>({
  name: 'logsumexp',
  saveInputs: true,
  saveOutput: true,
  forward: ([x], { dim, keepdim }) => x.logsumexp(dim, keepdim),
  backward: (ctx, g) => {
    const { gk, dims, shape } = spread(ctx, g);
    const out = keepDims(ctx.output!, shape, dims, ctx.args.keepdim);
    return [gk.mul(ctx.inputs![0].sub(out).exp())];
  },
  samples: reduceSamples(),
});

const allSamples = (): OpSample<ReduceArgs>[] => [
  { inputs: [normal([3, 4])], args: { keepdim: false }, variants: ['transposed', 'sliced'] },
  { inputs: [normal([5])], args: { keepdim: false }, variants: ['sliced'] },
];

/** max() over all elements (ties split evenly, like amax). */
export const maxAllOp = defineOp<ReduceArgs>({
  name: 'max',
  saveInputs: true,
  saveOutput: true,
  forward: ([x]) => x.max(),
  backward: extremeBackward,
  samples: allSamples,
});

/** min() over all elements (ties split evenly, like amin). */
export const minAllOp = defineOp<ReduceArgs>({
  name: 'min',
  saveInputs: true,
  saveOutput: true,
  forward: ([x]) => x.min(),
  backward: extremeBackward,
  samples: allSamples,
});
