// The update shared by Adam (L2 decay added to the gradient) and AdamW (decay applied to the weights first).
import { ArgumentError, type Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import type { OptimizerOptions, ParamGroup, ParamState } from './optimizer.js';
import { rounder, zerosLikeParam, type FloatArray } from './flat.js';
import { checkNonNegative, checkUnitInterval } from './options.js';

export interface AdamOptions extends OptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export function validateAdam(o: AdamOptions, op: string): void {
  checkNonNegative(op, 'lr', o.lr);
  checkNonNegative(op, 'eps', o.eps);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) {
    throw new ArgumentError(op, `betas must be a pair [beta1, beta2], got ${JSON.stringify(o.betas)}`);
  }
  checkUnitInterval(op, 'betas[0]', o.betas[0]);
  checkUnitInterval(op, 'betas[1]', o.betas[1]);
  checkNonNegative(op, 'weightDecay', o.weightDecay);
}

/** One Adam/AdamW step of one parameter: `s` is its state (created on its first step), `target` its values. */
export function adamUpdateParam(target: Tensor, g: Tensor, p: Variable, s: ParamState, group: ParamGroup<AdamOptions>, decoupled: boolean): void {
  if (s.step === undefined) {
    s.step = 0;
    s.expAvg = zerosLikeParam(p);
    s.expAvgSq = zerosLikeParam(p);
  }
  if (group.amsgrad && s.maxExpAvgSq === undefined) s.maxExpAvgSq = zerosLikeParam(p);
  s.step = (s.step as number) + 1;
  const max = group.amsgrad ? (s.maxExpAvgSq as Tensor) : null;
  adamUpdate(target, g, s.expAvg as Tensor, s.expAvgSq as Tensor, max, s.step, group, decoupled);
}

/**
 * `m = b1*m + (1-b1)*g`, `v = b2*v + (1-b2)*g^2` (amsgrad: v's running max is used),
 * `p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)`, rounded op by op as PyTorch's float32 path.
 */
function adamUpdate(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  maxExpAvgSq: Tensor | null,
  step: number,
  o: AdamOptions,
  decoupled: boolean,
): void {
  const p = param.data as FloatArray;
  const po = param.offset;
  const g = grad.data as FloatArray;
  const go = grad.offset;
  const m = expAvg.data as FloatArray;
  const v = expAvgSq.data as FloatArray;
  const vMax = maxExpAvgSq === null ? null : (maxExpAvgSq.data as FloatArray);
  const r = rounder(param.dtype);
  const n = param.numel();
  const [beta1, beta2] = o.betas;
  const sign = o.maximize ? -1 : 1;
  const l2 = !decoupled && o.weightDecay !== 0;
  const shrinkWeights = decoupled && o.weightDecay !== 0;
  const wd = r(o.weightDecay);
  const shrink = r(1 - o.lr * o.weightDecay);
  const b1 = r(beta1);
  const c1 = r(1 - beta1);
  const b2 = r(beta2);
  const c2 = r(1 - beta2);
  const biasCorrection2Sqrt = r(Math.sqrt(1 - beta2 ** step));
  const eps = r(o.eps);
  const scale = r(-(o.lr / (1 - beta1 ** step)));
  for (let i = 0; i < n; i++) {
    if (shrinkWeights) p[po + i] *= shrink;
    let gi = sign * g[go + i];
    if (l2) gi = r(gi + wd * p[po + i]);
    const mi = r(r(m[i] * b1) + c1 * gi);
    m[i] = mi;
    let vi = r(r(v[i] * b2) + r(r(c2 * gi) * gi));
    v[i] = vi;
    if (vMax !== null) {
      vi = Math.max(vMax[i], vi);
      vMax[i] = vi;
    }
    const denom = r(r(r(Math.sqrt(vi)) / biasCorrection2Sqrt) + eps);
    p[po + i] += r(r(scale * mi) / denom);
  }
}
