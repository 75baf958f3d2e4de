// Convolutions. conv2d and its two gradient kernels form a closed family: each is linear in each of its
// two tensor inputs, and the gradient of each member is written with the other members, so gradients of
// any order stay inside the family. convTranspose2d forms the same kind of family with its kernels.
import {
  conv2d as conv2dT, convTranspose2d as convTranspose2dT, type Conv2dOptions, type ConvTranspose2dOptions, type Tensor,
} from '@minigrad/tensor';
import {
  conv2dBackward as conv2dBackwardT, conv2dBackwardInput as conv2dBackwardInputT, conv2dBackwardWeight as conv2dBackwardWeightT,
  convTranspose2dBackwardInput as convTranspose2dBackwardInputT, convTranspose2dBackwardWeight as convTranspose2dBackwardWeightT,
} from '@minigrad/tensor/internal';
import { applyOp } from '../dispatch.js';
import { isGradEnabled } from '../mode.js';
import { needsGrad } from '../tape-node.js';
import { defineOp, type OpDef, type OpSample } from '../registry.js';
import { Variable } from '../variable.js';
import { normal } from './samples.js';

/** The sum of g over every dim but the channel dim (dim -3): the bias gradient. */
function biasGrad(g: Variable): Variable {
  const nd = g.ndim;
  return g.sum(nd === 4 ? [0, 2, 3] : [1, 2]);
}

interface Family<O> {
  forward: OpDef<{ opts: O }>;
  input: OpDef<{ opts: O; shape: number[] }>;
  weight: OpDef<{ opts: O; shape: number[] }>;
}

/**
 * Declares forward(x, w, bias?), inputGrad(gy, w) -> dx and weightGrad(gy, x) -> dw of one conv kind.
 * With <forward(x, w), gy> = <x, inputGrad(gy, w)> = <w, weightGrad(gy, x)>, the gradient of each op
 * with respect to each input is another op of the family. `both(gy, x, w)`, if given, is [dx, dw] in one
 * kernel call with the bits of the two (on several threads the two run side by side): the forward's
 * backward uses it when it needs both and records no graph.
 */
function defineFamily<O>(
  name: string,
  fwd: (x: Tensor, w: Tensor, b: Tensor | null, opts: O) => Tensor,
  dx: (gy: Tensor, w: Tensor, shape: number[], opts: O) => Tensor,
  dw: (gy: Tensor, x: Tensor, shape: number[], opts: O) => Tensor,
  samples: () => OpSample<{ opts: O }>[],
  both?: (gy: Tensor, x: Tensor, w: Tensor, opts: O) => [Tensor, Tensor],
): Family<O> {
  const fam = {} as Family<O>;
  const F = (x: Variable, w: Variable, opts: O) => applyOp(fam.forward, [x, w], { opts });
  const DX = (gy: Variable, w: Variable, shape: readonly number[], opts: O) => applyOp(fam.input, [gy, w], { opts, shape: shape as number[] });
  const DW = (gy: Variable, x: Variable, shape: readonly number[], opts: O) => applyOp(fam.weight, [gy, x], { opts, shape: shape as number[] });
  fam.forward = defineOp<{ opts: O }>({
    name,
    gradOwnership: 'fresh',
    saveInputs: true,
    forward: ([x, w, b], { opts }) => fwd(x, w, b ?? null, opts),
    backward: (ctx, g) => {
      const [x, w] = ctx.inputs!;
      const opts = ctx.args.opts;
      const bias = ctx.next.length > 2 && needsGrad(ctx, 2) ? biasGrad(g) : null;
      if (both !== undefined && needsGrad(ctx, 0) && needsGrad(ctx, 1) && !isGradEnabled()) {
        const [gx, gw] = both(g.data, x.data, w.data, opts);
        return [new Variable(gx), new Variable(gw), bias];
      }
      return [needsGrad(ctx, 0) ? DX(g, w, x.shape, opts) : null, needsGrad(ctx, 1) ? DW(g, x, w.shape, opts) : null, bias];
    },
    samples,
  });
  const gradSamples = (kind: 'input' | 'weight') => (): OpSample<{ opts: O; shape: number[] }>[] =>
    samples()
      .slice(0, 2)
      .map((s) => {
        const [x, w] = s.inputs;
        const gy = normal(fwd(x, w, null, s.args.opts).shape);
        return kind === 'input'
          ? { inputs: [gy, w], args: { opts: s.args.opts, shape: x.shape } }
          : { inputs: [gy, x], args: { opts: s.args.opts, shape: w.shape } };
      });
  fam.input = defineOp<{ opts: O; shape: number[] }>({
    name: `${name}BackwardInput`,
    gradOwnership: 'fresh',
    saveInputs: true,
    forward: ([gy, w], { opts, shape }) => dx(gy, w, shape, opts),
    backward: (ctx, gg) => {
      const [gy, w] = ctx.inputs!;
      const opts = ctx.args.opts;
      return [needsGrad(ctx, 0) ? F(gg, w, opts) : null, needsGrad(ctx, 1) ? DW(gy, gg, w.shape, opts) : null];
    },
    samples: gradSamples('input'),
  });
  fam.weight = defineOp<{ opts: O; shape: number[] }>({
    name: `${name}BackwardWeight`,
    gradOwnership: 'fresh',
    saveInputs: true,
    forward: ([gy, x], { opts, shape }) => dw(gy, x, shape, opts),
    backward: (ctx, gg) => {
      const [gy, x] = ctx.inputs!;
      const opts = ctx.args.opts;
      return [needsGrad(ctx, 0) ? F(x, gg, opts) : null, needsGrad(ctx, 1) ? DX(gy, gg, x.shape, opts) : null];
    },
    samples: gradSamples('weight'),
  });
  return fam;
}

export const conv2dFamily = defineFamily<Conv2dOptions>(
  'conv2d',
  (x, w, b, opts) => conv2dT(x, w, b, opts),
  (gy, w, shape, opts) => conv2dBackwardInputT(gy, w, shape, opts),
  (gy, x, shape, opts) => conv2dBackwardWeightT(gy, x, shape, opts),
  () => [
    { inputs: [normal([2, 2, 4, 4]), normal([3, 2, 3, 3]), normal([3])], args: { opts: { padding: 1 } }, label: 'padding 1, bias' },
    { inputs: [normal([1, 2, 5, 5]), normal([2, 2, 3, 2])], args: { opts: { stride: 2, dilation: [1, 2] } }, label: 'stride 2, dilation' },
    { inputs: [normal([1, 4, 4, 4]), normal([4, 2, 2, 2]), normal([4])], args: { opts: { groups: 2, stride: [1, 2] } }, label: 'groups 2' },
    { inputs: [normal([2, 3, 3]), normal([2, 2, 3, 3])], args: { opts: { padding: 'same' } }, label: "unbatched, 'same'" },
  ],
  (gy, x, w, opts) => conv2dBackwardT(gy, x, w, opts),
);

export const convTranspose2dFamily = defineFamily<ConvTranspose2dOptions>(
  'convTranspose2d',
  (x, w, b, opts) => convTranspose2dT(x, w, b, opts),
  (gy, w, shape, opts) => convTranspose2dBackwardInputT(gy, w, shape, opts),
  (gy, x, shape, opts) => convTranspose2dBackwardWeightT(gy, x, shape, opts),
  () => [
    { inputs: [normal([2, 2, 3, 3]), normal([2, 3, 3, 3]), normal([3])], args: { opts: { stride: 2, padding: 1, outputPadding: 1 } }, label: 'stride 2, output padding' },
    { inputs: [normal([1, 4, 3, 3]), normal([4, 1, 2, 2])], args: { opts: { groups: 2, dilation: 2 } }, label: 'groups 2, dilation' },
    { inputs: [normal([2, 3, 3]), normal([2, 2, 2, 2]), normal([2])], args: { opts: {} }, label: 'unbatched' },
  ],
);

/** 2-D convolution (weight [C_out, C_in / groups, kH, kW]), differentiable to any order. */
export function conv2d(x: Variable | Tensor, weight: Variable | Tensor, bias?: Variable | Tensor | null, opts: Conv2dOptions = {}): Variable {
  const inputs = bias === undefined || bias === null ? [x, weight] : [x, weight, bias];
  return applyOp(conv2dFamily.forward, inputs, { opts });
}

/** Transposed 2-D convolution (weight [C_in, C_out / groups, kH, kW]). */
export function convTranspose2d(
  x: Variable | Tensor, weight: Variable | Tensor, bias?: Variable | Tensor | null, opts: ConvTranspose2dOptions = {},
): Variable {
  const inputs = bias === undefined || bias === null ? [x, weight] : [x, weight, bias];
  return applyOp(convTranspose2dFamily.forward, inputs, { opts });
}
