// AdamW (Loshchilov & Hutter): weight decay decoupled from the gradient, `p *= 1 - lr*wd` before the Adam step.
import type { Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type ParamGroup, type Params } from './optimizer.js';
import { ADAM_BOOLEANS, adamUpdateParam, validateAdam, type AdamOptions } from './adam-update.js';
import { withDefaults } from './options.js';

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

/** Adam with decoupled weight decay: `p *= 1 - lr*wd` before the Adam step (default wd 0.01). PyTorch: `torch.optim.AdamW`. */
export class AdamW extends Optimizer<AdamOptions> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'AdamW';
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> | number = {}) {
    super('AdamW', params, withDefaults('AdamW', DEFAULTS, options));
  }

  protected booleanOptions(): (keyof AdamOptions)[] {
    return ADAM_BOOLEANS;
  }

  protected validate(o: AdamOptions, op: string): void {
    validateAdam(o, op);
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<AdamOptions>): void {
    adamUpdateParam(target, g, p, this.stateOf(p), group, true);
  }
}
