// Steps several schedulers of one optimizer together, each multiplying in its own factor (PyTorch's
// ChainedScheduler), e.g. ConstantLR warm-up combined with ExponentialLR decay.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import { LRScheduler } from './lr-scheduler.js';
import { CompositeScheduler } from './composite.js';

/**
 * Steps several schedulers of one optimizer together at each step (their factors multiply).
 * PyTorch: `torch.optim.lr_scheduler.ChainedScheduler`.
 */
export class ChainedScheduler extends CompositeScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'ChainedScheduler';
  constructor(schedulers: LRScheduler[]) {
    const op = 'ChainedScheduler';
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new ArgumentError(op, 'needs at least one scheduler');
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ArgumentError(op, `schedulers[${i}] must be an LRScheduler, got ${describeValue(s)}`);
    });
    const optimizer = schedulers[0].optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new ArgumentError(op, `scheduler ${i} (${s.kind}) belongs to another optimizer than scheduler 0`);
    });
    super(optimizer, schedulers);
  }

  /** The class name, for errors and state dicts. */
  get kind(): string {
    return 'ChainedScheduler';
  }

  /** Steps every scheduler, in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}
