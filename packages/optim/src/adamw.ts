// AdamW (Loshchilov & Hutter): weight decay decoupled from the gradient, `p *= 1 - lr*wd` before the Adam step.
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { adamUpdateGroup, validateAdam, type AdamOptions } from './adam-update.js';
import { withDefaults } from './options.js';

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> | number = {}) {
    super('AdamW', params, withDefaults('AdamW', DEFAULTS, options));
  }

  private readonly stateFor = (p: Variable): ParamState => this.stateOf(p);

  protected validate(o: AdamOptions, op: string): void {
    validateAdam(o, op);
  }

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    adamUpdateGroup(this.name, group, this.stateFor, true);
  }
}
