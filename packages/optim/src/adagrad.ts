// Adagrad (Duchi et al.): per-element steps shrink with the sum of squared gradients; optional lr decay.
import { type Tensor } from '@minigrad/tensor';
import { adagradUpdate } from '@minigrad/tensor/internal';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.js';
import { zerosLikeParam } from './flat.js';
import { checkNonNegative, withDefaults } from './options.js';

/** Options of `Adagrad`, PyTorch's defaults. */
export interface AdagradOptions extends OptimizerOptions {
  /** Learning-rate decay per step. */
  lrDecay: number;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  /** Starting value of the sum of squared gradients. */
  initialAccumulatorValue: number;
  /** Added to the denominator. */
  eps: number;
  /** Maximize the objective instead of minimizing it. */
  maximize: boolean;
}

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/** Adagrad: `sum += g^2`, `p -= lr/(1 + (t-1)*lrDecay) * g/(sqrt(sum) + eps)`. PyTorch: `torch.optim.Adagrad`. */
export class Adagrad extends Optimizer<AdagradOptions> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Adagrad';
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> | number = {}) {
    super('Adagrad', params, withDefaults('Adagrad', DEFAULTS, options));
  }

  protected booleanOptions(): (keyof AdagradOptions)[] {
    return ['maximize'];
  }

  protected validate(o: AdagradOptions, op: string): void {
    checkNonNegative(op, 'lr', o.lr);
    checkNonNegative(op, 'lrDecay', o.lrDecay);
    checkNonNegative(op, 'weightDecay', o.weightDecay);
    checkNonNegative(op, 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative(op, 'eps', o.eps);
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<AdagradOptions>): void {
    const s = this.stateOf(p);
    if (s.step === undefined) {
      s.step = 0;
      s.sum = zerosLikeParam(p).fill(group.initialAccumulatorValue);
    }
    s.step = (s.step as number) + 1;
    adagradUpdate(target, g, s.sum as Tensor, s.step, group);
  }
}
