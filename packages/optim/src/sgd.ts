// Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximize.
import { ArgumentError, type Tensor } from '@minigrad/tensor';
import { sgdUpdate } from '@minigrad/tensor/internal';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.js';
import { zerosLikeParam } from './flat.js';
import { checkClosedUnitInterval, checkNonNegative, checkUnitInterval, withDefaults } from './options.js';

/** Options of `SGD`, PyTorch's defaults (lr 1e-3, the rest off). */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (default false). */
  nesterov: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };

/**
 * `g = grad + wd*p`; momentum buffer `b = g` on its first step, then `b = m*b + (1 - dampening)*g`;
 * `p -= lr * (nesterov ? g + m*b : b)`, by the fused kernel of @minigrad/tensor. PyTorch: `torch.optim.SGD`.
 */
export class SGD extends Optimizer<SGDOptions> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'SGD';
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> | number = {}) {
    super('SGD', params, withDefaults('SGD', DEFAULTS, options));
  }

  protected booleanOptions(): (keyof SGDOptions)[] {
    return ['nesterov', 'maximize'];
  }

  protected validate(o: SGDOptions, op: string): void {
    checkNonNegative(op, 'lr', o.lr);
    checkUnitInterval(op, 'momentum', o.momentum);
    checkClosedUnitInterval(op, 'dampening', o.dampening);
    checkNonNegative(op, 'weightDecay', o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ArgumentError(op, `nesterov momentum needs momentum > 0 and zero dampening (got momentum ${o.momentum}, dampening ${o.dampening})`);
    }
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<SGDOptions>): void {
    let buf: Tensor | null = null;
    let first = false;
    if (group.momentum !== 0) {
      const s = this.stateOf(p);
      first = s.momentumBuffer === undefined;
      if (first) s.momentumBuffer = zerosLikeParam(p);
      buf = s.momentumBuffer as Tensor;
    }
    sgdUpdate(target, g, buf, first, group);
  }
}
