// What the two schedulers that drive others (ChainedScheduler, SequentialLR) share: the optimizer and the
// inner schedulers, the rates of the last step, and a state dict that holds each inner scheduler's state.
import type { AnyOptimizer, LRScheduler } from './lr-scheduler.js';
import { compositeState, restoreCompositeState, type SchedulerStateDict } from './state.js';

export abstract class CompositeScheduler {
  /** The optimizer whose learning rates this schedule sets. */
  readonly optimizer: AnyOptimizer;
  /** The schedulers, in order. */
  readonly schedulers: LRScheduler[];
  /** The learning rates set by the last step. */
  protected lastLr: number[];

  /** `schedulers` were checked by the subclass (non-empty, all of `optimizer`). */
  protected constructor(optimizer: AnyOptimizer, schedulers: LRScheduler[]) {
    this.optimizer = optimizer;
    this.schedulers = schedulers.slice();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The class name, which tags the state dict. */
  abstract get kind(): string;

  abstract step(): void;

  /** The learning rates set by the last step, one per group. PyTorch: `get_last_lr`. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The state of each inner scheduler. PyTorch: `state_dict`. */
  stateDict(): SchedulerStateDict {
    return compositeState(this.kind, this);
  }

  /** Restores each inner scheduler from `stateDict()`. PyTorch: `load_state_dict`. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    restoreCompositeState(this.kind, this, stateDict);
  }
}
