// Reduce the learning rate when a metric stops improving (PyTorch's ReduceLROnPlateau): driven by a metric
// passed to step(), not by the step count.
import { ArgumentError, checkNonNegativeInt, checkOneOf, checkOptions, describeValue } from '@minigrad/tensor';
import { checkNonNegative, checkUnitInterval } from '../options.js';
import type { AnyOptimizer } from './lr-scheduler.js';
import { restoreSchedulerFields, schedulerFields, type SchedulerStateDict } from './state.js';

/** Options of `ReduceLROnPlateau`. */
export interface ReduceLROnPlateauOptions {
  /** 'min': lower is better (a loss); 'max': higher is better (an accuracy). */
  mode?: 'min' | 'max';
  /** Factor the learning rate is multiplied by on a plateau (default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing. */
  patience?: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): threshold relative to the best value; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again. */
  cooldown?: number;
  /** Lower bound of the learning rate, one for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped. */
  eps?: number;
}

/**
 * Multiplies the learning rates by `factor` when a metric has stopped improving for `patience` steps;
 * `step(metric)` takes the metric. PyTorch: `torch.optim.lr_scheduler.ReduceLROnPlateau`.
 */
export class ReduceLROnPlateau {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'ReduceLROnPlateau';
  /** The optimizer whose learning rates this schedule sets. */
  readonly optimizer: AnyOptimizer;
  /** 'min': the metric should decrease; 'max': increase. */
  readonly mode: 'min' | 'max';
  /** Factor the learning rate is multiplied by on a plateau. */
  readonly factor: number;
  /** Steps without improvement tolerated before reducing. */
  readonly patience: number;
  /** The least change that counts as an improvement. */
  readonly threshold: number;
  /** 'rel': relative to the best value; 'abs': absolute. */
  readonly thresholdMode: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again. */
  readonly cooldown: number;
  /** Lower bound of each group's learning rate. */
  readonly minLrs: number[];
  /** Reductions smaller than it are skipped. */
  readonly eps: number;
  /** The best metric so far (the worst possible value before the first step). */
  best: number;
  /** Steps since the last improvement. */
  numBadEpochs = 0;
  /** Cooldown steps left. */
  cooldownCounter = 0;
  /** The number of steps taken. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    checkOptions('ReduceLROnPlateau', options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    const op = 'ReduceLROnPlateau';
    checkUnitInterval(op, 'factor', factor);
    checkOneOf(op, 'mode', mode, ['min', 'max']);
    checkOneOf(op, 'thresholdMode', thresholdMode, ['rel', 'abs']);
    checkNonNegativeInt(op, 'patience', patience);
    checkNonNegativeInt(op, 'cooldown', cooldown);
    checkNonNegative(op, 'threshold', threshold);
    checkNonNegative(op, 'eps', eps);
    const groups = optimizer.paramGroups.length;
    if (Array.isArray(minLr) && minLr.length !== groups) {
      throw new ArgumentError(op, `expected ${groups} minLr values (one per group), got ${minLr.length}`);
    }
    for (const m of Array.isArray(minLr) ? minLr : [minLr]) checkNonNegative(op, 'minLr', m);
    this.optimizer = optimizer;
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = Array.isArray(minLr) ? minLr.slice() : new Array<number>(groups).fill(minLr);
    this.eps = eps;
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The class name, for errors and state dicts. */
  get kind(): string {
    return 'ReduceLROnPlateau';
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const best = this.best;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one metric value (a number, or anything with item(), e.g. a 0-d tensor). */
  step(metric: number | { item(): number }): void {
    const current =
      typeof metric === 'number' ? metric : typeof (metric as { item?: unknown } | null)?.item === 'function' ? metric.item() : NaN;
    if (typeof current !== 'number' || (typeof metric !== 'number' && Number.isNaN(current))) {
      throw new ArgumentError('ReduceLROnPlateau.step', `needs the metric (a number or a 0-d tensor), got ${describeValue(metric)}`);
    }
    this.lastEpoch++;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const newLr = Math.max(group.lr * this.factor, this.minLrs[i]);
      if (group.lr - newLr > this.eps) group.lr = newLr;
    });
  }

  /** The learning rates set by the last step, one per group. PyTorch: `get_last_lr`. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Every field except the optimizer, as JSON-safe data. PyTorch: `state_dict`. */
  stateDict(): SchedulerStateDict {
    return schedulerFields(this.kind, this, ['optimizer']);
  }

  /** Restores the fields from `stateDict()` of a ReduceLROnPlateau. PyTorch: `load_state_dict`. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    restoreSchedulerFields(this.kind, this, stateDict);
  }
}
