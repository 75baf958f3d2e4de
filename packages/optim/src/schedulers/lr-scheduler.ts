// The base of the epoch-indexed LR schedulers, following PyTorch's _LRScheduler: the constructor records each
// group's initialLr and takes a first step (epoch 0); step() uses the chainable (recursive) form, and
// step(epoch) the closed form where one exists, so sequences match PyTorch's to the last bit.
import { ArgumentError, type NumberRange, checkInt, checkNonNegativeInt, checkNumber } from '@minigrad/tensor';
import type { Optimizer, OptimizerOptions } from '../optimizer.js';
import { schedulerFields, restoreSchedulerFields, type SchedulerStateDict } from './state.js';

/** Any optimizer a scheduler can drive. */
export type AnyOptimizer = Optimizer<OptimizerOptions>;

/**
 * Base of the learning-rate schedulers: each `step()` sets every parameter group's `lr` from the schedule.
 * Call it after `optimizer.step()`, once per epoch or per batch as the schedule is defined. PyTorch: `torch.optim.lr_scheduler.LRScheduler`.
 */
export abstract class LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'LRScheduler';
  /** The optimizer whose learning rates this schedule sets. */
  readonly optimizer: AnyOptimizer;
  /** The initial learning rate of each group. */
  baseLrs: number[];
  /** The index of the last step taken (-1 before the first). */
  lastEpoch: number;
  /** Steps taken since construction (CosineAnnealingLR's first step after a resume depends on it). */
  protected stepCount = 0;
  /** The learning rates set by the last step (what getLastLr returns a copy of). */
  protected lastLr: number[] = [];

  /** What every learning rate this schedule sets must satisfy (checked at each step). */
  protected readonly lrRange: NumberRange = { min: 0 };

  /** The class name, for errors and state dicts. */
  readonly kind: string;

  constructor(kind: string, optimizer: AnyOptimizer, lastEpoch = -1) {
    this.kind = kind;
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new ArgumentError(kind, 'the first argument must be an optimizer');
    }
    checkInt(kind, 'lastEpoch', lastEpoch, { min: -1 });
    this.optimizer = optimizer;
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new ArgumentError(kind, `group ${i} has no initialLr; resuming with lastEpoch ${lastEpoch} needs the optimizer's state dict loaded first`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** The next learning rates from the current ones (called after lastEpoch was advanced). */
  protected abstract chainedLr(): number[];

  /** The learning rates at lastEpoch computed from baseLrs alone, where the schedule has such a form. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** The first step, taken at the end of each subclass constructor once its fields are set. @internal */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances one step, or jumps to `epoch` (closed form where available, as PyTorch's deprecated form). */
  step(epoch?: number): void {
    this.stepCount++;
    let lrs: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      lrs = this.chainedLr();
    } else {
      checkNonNegativeInt(`${this.kind}.step`, 'epoch', epoch);
      this.lastEpoch = epoch;
      lrs = this.closedFormLr() ?? this.chainedLr();
    }
    // Every schedule is checked where it lands: a user function returning NaN, a negative etaMin or gamma
    // would otherwise drive the optimizer with a learning rate its own constructor rejects.
    lrs.forEach((lr, i) => checkNumber(`${this.kind}.step`, `the learning rate of group ${i}`, lr, this.lrRange));
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates set by the last step, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The current learning rate of each group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Every field except the optimizer, as JSON-safe data. */
  stateDict(): SchedulerStateDict {
    return schedulerFields(this.kind, this, ['optimizer', 'kind']);
  }

  /** Restores the fields from a `stateDict()` of the same scheduler class. PyTorch: `load_state_dict`. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    restoreSchedulerFields(this.kind, this, stateDict, ['kind']);
  }
}
