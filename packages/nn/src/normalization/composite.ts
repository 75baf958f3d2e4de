// The normalization written with differentiable autograd ops: the readable definition of the core, the
// reference the fused op is tested against, and the backward used when a graph of the backward is recorded
// (createGraph), so double backward works through every normalization.
import { Variable } from '@minigrad/autograd';
import { tensor } from '@minigrad/tensor';
import type { NormLayout } from './core.js';

/** Statistics given instead of computed from the input (BatchNorm/InstanceNorm on running stats): per slot. */
export interface FixedStats {
  readonly mean: Float64Array;
  readonly rstd: Float64Array;
}

/**
 * x viewed as [N, G, C/G, S]: a slot's elements are then the reduced dims (C/G, S), plus N across the
 * batch. Statistics keep the dims ([N or 1, G, 1, 1]), the affine is [1, G, C/G, 1] (per channel).
 */
function grouped(l: NormLayout) {
  const perGroup = l.c / l.groups;
  return {
    shape: [l.n, l.groups, perGroup, l.s],
    reduced: l.acrossBatch ? [0, 2, 3] : [2, 3],
    statShape: [l.acrossBatch ? 1 : l.n, l.groups, 1, 1],
    affineShape: [1, l.groups, perGroup, 1],
  };
}

/** Sums a grouped [N, G, C/G, S] tensor to one value per channel, flat [C]. */
function perChannel(v: Variable, l: NormLayout): Variable {
  return v.sum([0, 3]).reshape([l.c]);
}

function constant(values: Float64Array, shape: number[], like: Variable): Variable {
  return new Variable(tensor(values, { dtype: like.dtype, shape }));
}

/** Mean and rstd of every slot of X (grouped), as differentiable functions of X or as given constants. */
function slotStats(X: Variable, l: NormLayout, eps: number, fixed: FixedStats | null) {
  const g = grouped(l);
  if (fixed !== null) {
    return { mean: constant(fixed.mean, g.statShape, X), rstd: constant(fixed.rstd, g.statShape, X), variance: null };
  }
  const mean = X.mean(g.reduced, true);
  const variance = X.sub(mean).square().mean(g.reduced, true);
  return { mean, rstd: variance.add(eps).rsqrt(), variance };
}

/** out = (x - mean) * rstd * weight + bias over the slots of `l`; also the (biased) slot statistics. */
export function normalizeComposite(
  x: Variable,
  l: NormLayout,
  weight: Variable | null,
  bias: Variable | null,
  eps: number,
  fixed: FixedStats | null = null,
): { out: Variable; mean: Variable; variance: Variable | null } {
  const g = grouped(l);
  const X = x.reshape(g.shape);
  const { mean, rstd, variance } = slotStats(X, l, eps, fixed);
  let y = X.sub(mean).mul(rstd);
  if (weight !== null) y = y.mul(weight.reshape(g.affineShape));
  if (bias !== null) y = y.add(bias.reshape(g.affineShape));
  return { out: y.reshape(x.shape), mean, variance };
}

/**
 * Gradients of normalizeComposite for the output gradient `grad`, written in Variable ops (so they are
 * differentiable again): [dx, dweight, dbias] (dweight/dbias flat [C]), null where `need` says not needed.
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)) with dxhat = grad * weight, the slot means
 * dropped when the statistics are constants.
 */
export function normalizeBackwardComposite(
  x: Variable,
  l: NormLayout,
  weight: Variable | null,
  grad: Variable,
  eps: number,
  fixed: FixedStats | null,
  need: readonly [boolean, boolean, boolean],
): [Variable | null, Variable | null, Variable | null] {
  const g = grouped(l);
  const X = x.reshape(g.shape);
  const dy = grad.reshape(g.shape);
  const { mean, rstd } = slotStats(X, l, eps, fixed);
  const xhat = X.sub(mean).mul(rstd);
  let dx: Variable | null = null;
  if (need[0]) {
    const dxhat = weight === null ? dy : dy.mul(weight.reshape(g.affineShape));
    const centred =
      fixed !== null ? dxhat : dxhat.sub(dxhat.mean(g.reduced, true)).sub(xhat.mul(dxhat.mul(xhat).mean(g.reduced, true)));
    dx = centred.mul(rstd).reshape(x.shape);
  }
  const dweight = need[1] ? perChannel(dy.mul(xhat), l) : null;
  const dbias = need[2] ? perChannel(dy, l) : null;
  return [dx, dweight, dbias];
}
