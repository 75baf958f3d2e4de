// Linear change of the learning rate factor from startFactor to endFactor over totalIters steps (warm-up).
import { checkClosedUnitInterval, checkPositiveInteger } from '../options.js';
import { checkNumber, checkOptions } from '@minigrad/tensor';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

/** Options of `LinearLR`. */
export interface LinearLROptions {
  /** Factor of the base rate at the first step (default 1/3). */
  startFactor?: number;
  /** Factor of the base rate after totalIters steps (default 1). */
  endFactor?: number;
  /** Steps over which the factor applies or changes (default 5). */
  totalIters?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Scales each base learning rate by a factor going linearly from startFactor to endFactor over totalIters steps.
 * PyTorch: `torch.optim.lr_scheduler.LinearLR`.
 */
export class LinearLR extends LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'LinearLR';
  /** Factor of the base rate at the first step. */
  readonly startFactor: number;
  /** Factor of the base rate after totalIters steps. */
  readonly endFactor: number;
  /** Steps over which the factor applies or changes. */
  readonly totalIters: number;

  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    checkOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5, lastEpoch = -1 } = options;
    // A zero start factor would divide by zero in the recursive form, as in PyTorch 2's check.
    checkNumber('LinearLR', 'startFactor', startFactor, { above: 0, max: 1 });
    checkClosedUnitInterval('LinearLR', 'endFactor', endFactor);
    checkPositiveInteger('LinearLR', 'totalIters', totalIters);
    super('LinearLR', optimizer, lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected chainedLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > n) return lrs;
    return lrs.map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(n, t)) / n));
  }
}
