// Linear change of the learning rate factor from startFactor to endFactor over totalIters steps (warm-up).
import { checkClosedUnitInterval, checkPositiveInteger } from '../options.js';
import { checkNumber, checkOptions } from '@minigrad/tensor';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

export class LinearLR extends LRScheduler {
  static override readonly typeName: string = 'LinearLR';
  readonly startFactor: number;
  readonly endFactor: number;
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
