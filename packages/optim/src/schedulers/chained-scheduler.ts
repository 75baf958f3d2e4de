// Steps several schedulers of one optimizer together, each multiplying in its own factor (PyTorch's
// ChainedScheduler), e.g. ConstantLR warm-up combined with ExponentialLR decay.
import { ArgumentError } from '@minigrad/tensor';
import type { AnyOptimizer, LRScheduler } from './lr-scheduler.js';
import { restoreSchedulerFields, schedulerFields, type SchedulerStateDict } from './state.js';

export class ChainedScheduler {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  private lastLr: number[];

  constructor(schedulers: LRScheduler[]) {
    const op = 'ChainedScheduler';
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new ArgumentError(op, 'needs at least one scheduler');
    const optimizer = schedulers[0].optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new ArgumentError(op, `scheduler ${i} (${s.kind}) belongs to another optimizer than scheduler 0`);
    });
    this.optimizer = optimizer;
    this.schedulers = schedulers.slice();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  get kind(): string {
    return 'ChainedScheduler';
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): SchedulerStateDict {
    const sd = schedulerFields(this.kind, this, ['optimizer', 'schedulers']);
    sd.schedulers = this.schedulers.map((s) => s.stateDict());
    return sd;
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const saved = stateDict.schedulers;
    if (!Array.isArray(saved) || saved.length !== this.schedulers.length) {
      throw new ArgumentError('ChainedScheduler.loadStateDict', `expected state for ${this.schedulers.length} schedulers`);
    }
    restoreSchedulerFields(this.kind, this, stateDict, ['schedulers']);
    this.schedulers.forEach((s, i) => s.loadStateDict(saved[i] as SchedulerStateDict));
  }
}
