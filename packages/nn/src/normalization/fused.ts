// The fused normalization as one autograd op: forward = the normalization kernels of @minigrad/tensor
// (`norm.stats`, `norm.apply`: a js reference and a wasm twin), backward = the fused analytic kernel
// (`norm.backward`) when no graph of the backward is recorded, the composite backward (Variable ops,
// differentiable again) when it is (createGraph). A NormLayout is the kernels' NormGeometry.
import { Variable, applyOpWithAux, defineOp, isGradEnabled, type Node, type OpSample } from '@minigrad/autograd';
import { needsGrad } from '@minigrad/autograd/internal';
import { Tensor, randn, type FloatArray } from '@minigrad/tensor';
import { getKernel, uninitializedTensor } from '@minigrad/tensor/internal';
import { normSlotCount, scratchFloat64 } from '@minigrad/tensor/internal';
import { normalizeBackwardComposite, type FixedStats } from './composite.js';
import { batchNormLayout, groupNormLayout, layerNormLayout, type NormLayout } from './core.js';

export interface NormalizeArgs {
  readonly layout: NormLayout;
  readonly eps: number;
  /** Use these statistics instead of the input's (they are then constants for the gradient). */
  readonly fixed: FixedStats | null;
  readonly hasWeight: boolean;
  readonly hasBias: boolean;
}

/** The per-slot statistics the forward used (its auxiliary output: the node's aux, returned by applyOpWithAux). */
export interface SlotStats {
  readonly mean: Float64Array;
  /** Biased variance; null when the statistics were fixed. */
  readonly variance: Float64Array | null;
  readonly rstd: Float64Array;
}

function floatData(t: Tensor): FloatArray {
  return t.data as FloatArray;
}

function contiguousOf(t: Tensor): Tensor {
  return t.isContiguous() ? t : t.contiguous();
}

export const normalizeOp = defineOp<NormalizeArgs, SlotStats>({
  name: 'normalize',
  gradOwnership: 'fresh',
  saveInputs: true,
  forward(xs, args, ctx) {
    const x = contiguousOf(xs[0]);
    const l = args.layout;
    let stats: SlotStats;
    if (args.fixed !== null) {
      stats = { mean: args.fixed.mean, variance: null, rstd: args.fixed.rstd };
    } else {
      const k = normSlotCount(l);
      const mean = scratchFloat64(k);
      const variance = scratchFloat64(k);
      const rstd = scratchFloat64(k);
      getKernel('norm.stats')(floatData(x), x.offset, l, args.eps, mean, variance, rstd);
      stats = { mean, variance, rstd };
    }
    const weight = args.hasWeight ? contiguousOf(xs[1]) : null;
    const bias = args.hasBias ? contiguousOf(xs[args.hasWeight ? 2 : 1]) : null;
    const out = uninitializedTensor(x.shape, x.dtype, 'normalize'); // norm.apply writes every element
    getKernel('norm.apply')(
      floatData(x),
      x.offset,
      l,
      stats.mean,
      stats.rstd,
      weight === null ? null : floatData(weight).subarray(weight.offset, weight.offset + l.c),
      bias === null ? null : floatData(bias).subarray(bias.offset, bias.offset + l.c),
      floatData(out),
    );
    ctx.aux = stats;
    return out;
  },
  backward(ctx: Node<NormalizeArgs, SlotStats>, grad: Variable) {
    const args = ctx.args;
    const inputs = ctx.inputs!;
    const wAt = args.hasWeight ? 1 : -1;
    const bAt = args.hasBias ? (args.hasWeight ? 2 : 1) : -1;
    const need = [needsGrad(ctx, 0), wAt >= 0 && needsGrad(ctx, wAt), bAt >= 0 && needsGrad(ctx, bAt)] as const;
    const weight = wAt >= 0 ? inputs[wAt] : null;
    let grads: (Variable | null)[];
    if (isGradEnabled()) {
      grads = normalizeBackwardComposite(inputs[0], args.layout, weight, grad, args.eps, args.fixed, need);
      grads = grads.map((g, i) => (g === null || i === 0 ? g : g.reshape(ctx.shapes[i === 1 ? wAt : bAt] as number[])));
    } else {
      grads = fusedBackward(ctx, grad.data, need, wAt, bAt);
    }
    const out: (Variable | null)[] = [grads[0]];
    if (wAt >= 0) out.push(grads[1]);
    if (bAt >= 0) out.push(grads[2]);
    return out;
  },
  samples: normalizeSamples,
});

function fusedBackward(
  ctx: Node<NormalizeArgs, SlotStats>,
  gradOut: Tensor,
  need: readonly [boolean, boolean, boolean],
  wAt: number,
  bAt: number,
): (Variable | null)[] {
  const { layout: l, fixed } = ctx.args;
  const stats = ctx.aux!;
  const x = contiguousOf(ctx.inputs![0].data);
  const dy = contiguousOf(gradOut);
  const weight = wAt >= 0 ? contiguousOf(ctx.inputs![wAt].data) : null;
  // norm.backward writes every element of each gradient it is given.
  const dx = need[0] ? uninitializedTensor(x.shape, x.dtype, 'normalize') : null;
  const dweight = need[1] ? uninitializedTensor(ctx.shapes[wAt] as number[], x.dtype, 'normalize') : null;
  const dbias = need[2] ? uninitializedTensor(ctx.shapes[bAt] as number[], x.dtype, 'normalize') : null;
  getKernel('norm.backward')(
    floatData(x),
    x.offset,
    floatData(dy),
    dy.offset,
    l,
    stats.mean,
    stats.rstd,
    weight === null ? null : floatData(weight).subarray(weight.offset, weight.offset + l.c),
    fixed === null,
    dx === null ? null : floatData(dx),
    dweight === null ? null : floatData(dweight),
    dbias === null ? null : floatData(dbias),
  );
  const wrap = (t: Tensor | null) => (t === null ? null : new Variable(t));
  return [wrap(dx), wrap(dweight), wrap(dbias)];
}

/**
 * Applies the fused normalization: out = (x - mean) * rstd * weight + bias over the slots of `layout`,
 * weight/bias with l.c elements (any shape). Returns the output and the statistics it used.
 */
export function normalizeFused(
  x: Variable,
  layout: NormLayout,
  weight: Variable | null,
  bias: Variable | null,
  eps: number,
  fixed: FixedStats | null = null,
): { out: Variable; stats: SlotStats } {
  const inputs = [x];
  if (weight !== null) inputs.push(weight);
  if (bias !== null) inputs.push(bias);
  const { out, aux } = applyOpWithAux(normalizeOp, inputs, { layout, eps, fixed, hasWeight: weight !== null, hasBias: bias !== null });
  return { out, stats: aux };
}

function normalizeSamples(): OpSample<NormalizeArgs>[] {
  const f64 = { dtype: 'float64' as const };
  const args = (layout: NormLayout, hasWeight: boolean, hasBias: boolean, fixed: FixedStats | null = null) => ({
    layout,
    eps: 1e-3,
    fixed,
    hasWeight,
    hasBias,
  });
  const gn = groupNormLayout([2, 4, 3], 2);
  const ln = layerNormLayout([3, 2, 2], [2, 2]);
  const bn = batchNormLayout([3, 2, 2]);
  return [
    { label: 'groupNorm G=2', inputs: [randn([2, 4, 3], f64), randn([4], f64), randn([4], f64)], args: args(gn, true, true) },
    { label: 'groupNorm, no affine', inputs: [randn([2, 4, 3], f64)], args: args(gn, false, false) },
    { label: 'layerNorm [2,2]', inputs: [randn([3, 2, 2], f64), randn([2, 2], f64), randn([2, 2], f64)], args: args(ln, true, true) },
    { label: 'batchNorm train', inputs: [randn([3, 2, 2], f64), randn([2], f64), randn([2], f64)], args: args(bn, true, true) },
    {
      label: 'batchNorm eval (fixed stats)',
      inputs: [randn([3, 2, 2], f64), randn([2], f64)],
      args: args(bn, true, false, { mean: Float64Array.of(0.3, -0.2), rstd: Float64Array.of(1.5, 0.8) }),
    },
  ];
}
