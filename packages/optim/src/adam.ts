// Adam (Kingma & Ba) with weight decay as coupled L2 (added to the gradient), amsgrad and maximize.
import type { Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type ParamGroup, type Params } from './optimizer.js';
import { ADAM_BOOLEANS, adamUpdateParam, validateAdam, type AdamOptions } from './adam-update.js';
import { withDefaults } from './options.js';

export type { AdamOptions } from './adam-update.js';

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/**
 * Adam with coupled L2 weight decay: `m = b1*m + (1-b1)*g`, `v = b2*v + (1-b2)*g^2`,
 * `p -= lr/(1 - b1^t) * m / (sqrt(v)/sqrt(1 - b2^t) + eps)`. PyTorch: `torch.optim.Adam`.
 */
export class Adam extends Optimizer<AdamOptions> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Adam';
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> | number = {}) {
    super('Adam', params, withDefaults('Adam', DEFAULTS, options));
  }

  protected booleanOptions(): (keyof AdamOptions)[] {
    return ADAM_BOOLEANS;
  }

  protected validate(o: AdamOptions, op: string): void {
    validateAdam(o, op);
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<AdamOptions>): void {
    adamUpdateParam(target, g, p, this.stateOf(p), group, false);
  }
}
