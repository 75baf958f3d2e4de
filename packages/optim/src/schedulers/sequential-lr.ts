// Runs schedulers one after another, switching at milestones (e.g. LinearLR warm-up, then CosineAnnealingLR).
// Mirrors PyTorch's SequentialLR, including its quirks: at a milestone the next scheduler restarts at its
// epoch 0 through its closed form.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import type { AnyOptimizer, LRScheduler } from './lr-scheduler.js';
import { withPositional } from '../options.js';
import { CompositeScheduler } from './composite.js';

/** Options of `SequentialLR`. */
export interface SequentialLROptions {
  /** The schedulers to run one after another. */
  schedulers?: LRScheduler[];
  /** Step indices at which the next scheduler takes over (one fewer than schedulers). */
  milestones?: number[];
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, switching at the milestones. PyTorch: `torch.optim.lr_scheduler.SequentialLR`.
 */
export class SequentialLR extends CompositeScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'SequentialLR';
  /** Step indices at which the next scheduler takes over. */
  readonly milestones: number[];
  /** The number of steps taken. */
  lastEpoch: number;

  constructor(optimizer: AnyOptimizer, schedulers: LRScheduler[] | SequentialLROptions, milestones?: number[], options: SequentialLROptions = {}) {
    const op = 'SequentialLR';
    const o = withPositional(op, 'schedulers', schedulers, milestones === undefined ? options : { ...options, milestones }, ['schedulers', 'milestones', 'lastEpoch']);
    const { schedulers: list = [], milestones: points, lastEpoch = -1 } = o;
    if (!Array.isArray(list) || list.length === 0) throw new ArgumentError(op, 'needs at least one scheduler');
    list.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new ArgumentError(op, `scheduler ${i} (${s.kind}) belongs to another optimizer`);
    });
    if (!Array.isArray(points) || points.length !== list.length - 1) {
      throw new ArgumentError(op, `expected ${list.length - 1} milestones for ${list.length} schedulers, got ${Array.isArray(points) ? points.length : describeValue(points)}`);
    }
    for (let i = 0; i < points.length; i++) {
      if (!Number.isInteger(points[i]) || (i > 0 && points[i] <= points[i - 1])) {
        throw new ArgumentError(op, `milestones must be increasing integers, got ${JSON.stringify(points)}`);
      }
    }
    super(optimizer, list);
    this.milestones = points.slice();
    this.lastEpoch = lastEpoch + 1;
    // Each scheduler took its first step when it was built: undo that and start over with the first one.
    for (const group of optimizer.paramGroups) group.lr = group.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch--;
    this.schedulers[0].initialStep();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** The class name, for errors and state dicts. */
  get kind(): string {
    return 'SequentialLR';
  }

  /** Advances one step: steps the current scheduler, or at a milestone restarts the next one from its start. */
  step(): void {
    this.lastEpoch++;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx] <= this.lastEpoch) idx++;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }
}
