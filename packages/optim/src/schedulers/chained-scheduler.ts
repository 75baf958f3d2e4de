// Steps several schedulers of one optimizer together, each multiplying in its own factor (PyTorch's
// ChainedScheduler), e.g. ConstantLR warm-up combined with ExponentialLR decay.
import { ArgumentError } from '@minigrad/tensor';
import type { AnyOptimizer, LRScheduler } from './lr-scheduler.js';
import { compositeState, restoreCompositeState, type SchedulerStateDict } from './state.js';

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
    return compositeState(this.kind, this);
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    restoreCompositeState(this.kind, this, stateDict);
  }
}
