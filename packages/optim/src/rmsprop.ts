// RMSprop (Hinton): a running average of squared gradients scales the step; centered and momentum variants.
import { type Tensor } from '@minigrad/tensor';
import { rmspropUpdate } from '@minigrad/tensor/internal';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.js';
import { zerosLikeParam } from './flat.js';
import { checkClosedUnitInterval, checkNonNegative, checkUnitInterval, withDefaults } from './options.js';

/** Options of `RMSprop`, PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8, the rest off). */
export interface RMSpropOptions extends OptimizerOptions {
  /** Decay rate of the running average of the squared gradient. */
  alpha: number;
  /** Added to the denominator. */
  eps: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  /** Momentum factor. */
  momentum: number;
  /** Normalize by the variance estimate (subtract the squared running mean of the gradient). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/** RMSprop: divides the gradient by a running root mean square of its recent values. PyTorch: `torch.optim.RMSprop`. */
export class RMSprop extends Optimizer<RMSpropOptions> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'RMSprop';
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> | number = {}) {
    super('RMSprop', params, withDefaults('RMSprop', DEFAULTS, options));
  }

  protected booleanOptions(): (keyof RMSpropOptions)[] {
    return ['centered', 'maximize'];
  }

  protected validate(o: RMSpropOptions, op: string): void {
    checkNonNegative(op, 'lr', o.lr);
    checkNonNegative(op, 'eps', o.eps);
    checkClosedUnitInterval(op, 'alpha', o.alpha);
    checkUnitInterval(op, 'momentum', o.momentum);
    checkNonNegative(op, 'weightDecay', o.weightDecay);
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<RMSpropOptions>): void {
    const s = this.stateOf(p);
    if (s.step === undefined) {
      s.step = 0;
      s.squareAvg = zerosLikeParam(p);
    }
    if (group.momentum > 0 && s.momentumBuffer === undefined) s.momentumBuffer = zerosLikeParam(p);
    if (group.centered && s.gradAvg === undefined) s.gradAvg = zerosLikeParam(p);
    s.step = (s.step as number) + 1;
    const buf = group.momentum > 0 ? (s.momentumBuffer as Tensor) : null;
    const gradAvg = group.centered ? (s.gradAvg as Tensor) : null;
    rmspropUpdate(target, g, s.squareAvg as Tensor, gradAvg, buf, group);
  }
}
