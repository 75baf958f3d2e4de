// Runs schedulers one after another, switching at milestones (e.g. LinearLR warm-up, then CosineAnnealingLR).
// Mirrors PyTorch's SequentialLR, including its quirks: at a milestone the next scheduler restarts at its
// epoch 0 through its closed form.
import { ArgumentError } from '@minigrad/tensor';
import type { AnyOptimizer, LRScheduler } from './lr-scheduler.js';
import { restoreSchedulerFields, schedulerFields, type SchedulerStateDict } from './state.js';

export class SequentialLR {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  lastEpoch: number;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, schedulers: LRScheduler[], milestones: number[], { lastEpoch = -1 }: { lastEpoch?: number } = {}) {
    const op = 'SequentialLR';
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new ArgumentError(op, 'needs at least one scheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new ArgumentError(op, `scheduler ${i} (${s.kind}) belongs to another optimizer`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new ArgumentError(op, `expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${Array.isArray(milestones) ? milestones.length : String(milestones)}`);
    }
    for (let i = 0; i < milestones.length; i++) {
      if (!Number.isInteger(milestones[i]) || (i > 0 && milestones[i] <= milestones[i - 1])) {
        throw new ArgumentError(op, `milestones must be increasing integers, got ${JSON.stringify(milestones)}`);
      }
    }
    this.optimizer = optimizer;
    this.schedulers = schedulers.slice();
    this.milestones = milestones.slice();
    this.lastEpoch = lastEpoch + 1;
    // Each scheduler took its first step when it was built: undo that and start over with the first one.
    for (const group of optimizer.paramGroups) group.lr = group.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch--;
    this.schedulers[0].initialStep();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  get kind(): string {
    return 'SequentialLR';
  }

  step(): void {
    this.lastEpoch++;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx] <= this.lastEpoch) idx++;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
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
      throw new ArgumentError('SequentialLR.loadStateDict', `expected state for ${this.schedulers.length} schedulers`);
    }
    restoreSchedulerFields(this.kind, this, stateDict, ['schedulers']);
    this.schedulers.forEach((s, i) => s.loadStateDict(saved[i] as SchedulerStateDict));
  }
}
