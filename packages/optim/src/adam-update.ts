// The update shared by Adam (L2 decay added to the gradient) and AdamW (decay applied to the weights first).
import { ArgumentError, type Tensor, describeValue } from '@minigrad/tensor';
import { adamUpdate } from '@minigrad/tensor/internal';
import type { Variable } from '@minigrad/autograd';
import type { OptimizerOptions, ParamGroup, ParamState } from './optimizer.js';
import { zerosLikeParam } from './flat.js';
import { checkNonNegative, checkUnitInterval } from './options.js';

/** Options of `Adam` and `AdamW` (defaults lr 1e-3, betas [0.9, 0.999], eps 1e-8; weightDecay 0 for Adam, 0.01 for AdamW). */
export interface AdamOptions extends OptimizerOptions {
  /** Decay rates of the running averages of the gradient and of its square. */
  betas: [number, number];
  /** Added to the denominator after bias correction. */
  eps: number;
  /** Weight decay: an L2 term in the gradient (Adam) or decoupled `p *= 1 - lr * wd` (AdamW). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

export const ADAM_BOOLEANS: (keyof AdamOptions)[] = ['amsgrad', 'maximize'];

export function validateAdam(o: AdamOptions, op: string): void {
  checkNonNegative(op, 'lr', o.lr);
  checkNonNegative(op, 'eps', o.eps);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) {
    throw new ArgumentError(op, `betas must be a pair [beta1, beta2], got ${describeValue(o.betas)}`);
  }
  checkUnitInterval(op, 'betas[0]', o.betas[0]);
  checkUnitInterval(op, 'betas[1]', o.betas[1]);
  checkNonNegative(op, 'weightDecay', o.weightDecay);
}

/**
 * One Adam/AdamW step of one parameter by the fused kernel of @minigrad/tensor: `s` is its state (created on
 * its first step), `target` its values.
 */
export function adamUpdateParam(target: Tensor, g: Tensor, p: Variable, s: ParamState, group: ParamGroup<AdamOptions>, decoupled: boolean): void {
  if (s.step === undefined) {
    s.step = 0;
    s.expAvg = zerosLikeParam(p);
    s.expAvgSq = zerosLikeParam(p);
  }
  if (group.amsgrad && s.maxExpAvgSq === undefined) s.maxExpAvgSq = zerosLikeParam(p);
  s.step = (s.step as number) + 1;
  const max = group.amsgrad ? (s.maxExpAvgSq as Tensor) : null;
  adamUpdate(target, g, s.expAvg as Tensor, s.expAvgSq as Tensor, max, s.step, decoupled, group);
}
