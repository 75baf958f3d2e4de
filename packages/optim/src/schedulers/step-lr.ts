// Piecewise-constant and exponential decay: StepLR, MultiStepLR, ExponentialLR.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import { checkNonNegative, checkPositiveInteger, withPositional } from '../options.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

export interface StepLROptions {
  stepSize?: number;
  gamma?: number;
  lastEpoch?: number;
}

export interface MultiStepLROptions {
  milestones?: readonly number[];
  gamma?: number;
  lastEpoch?: number;
}

export interface ExponentialLROptions {
  gamma?: number;
  lastEpoch?: number;
}

/** Multiplies the learning rate by gamma every stepSize steps. */
export class StepLR extends LRScheduler {
  static override readonly typeName: string = 'StepLR';
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, stepSize: number | StepLROptions, options: StepLROptions = {}) {
    const { stepSize: size = NaN, gamma = 0.1, lastEpoch = -1 } = withPositional('StepLR', 'stepSize', stepSize, options, ['stepSize', 'gamma', 'lastEpoch']);
    checkPositiveInteger('StepLR', 'stepSize', size);
    checkNonNegative('StepLR', 'gamma', gamma);
    super('StepLR', optimizer, lastEpoch);
    this.stepSize = size;
    this.gamma = gamma;
    this.initialStep();
  }

  protected chainedLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Multiplies the learning rate by gamma at each milestone (a milestone listed twice applies twice). */
export class MultiStepLR extends LRScheduler {
  static override readonly typeName: string = 'MultiStepLR';
  /** Sorted, repeats kept. */
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, milestones: readonly number[] | MultiStepLROptions, options: MultiStepLROptions = {}) {
    const { milestones: list, gamma = 0.1, lastEpoch = -1 } = withPositional('MultiStepLR', 'milestones', milestones, options, ['milestones', 'gamma', 'lastEpoch']);
    if (!Array.isArray(list) || !list.every((m) => Number.isInteger(m) && m >= 0)) {
      throw new ArgumentError('MultiStepLR', `milestones must be non-negative integers, got ${describeValue(list)}`);
    }
    checkNonNegative('MultiStepLR', 'gamma', gamma);
    super('MultiStepLR', optimizer, lastEpoch);
    this.milestones = list.slice().sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected chainedLr(): number[] {
    let hits = 0;
    for (const m of this.milestones) if (m === this.lastEpoch) hits++;
    const lrs = this.groupLrs();
    if (hits === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const m of this.milestones) if (m <= this.lastEpoch) passed++;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}

/** Multiplies the learning rate by gamma every step. */
export class ExponentialLR extends LRScheduler {
  static override readonly typeName: string = 'ExponentialLR';
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, gamma: number | ExponentialLROptions, options: ExponentialLROptions = {}) {
    const { gamma: factor = NaN, lastEpoch = -1 } = withPositional('ExponentialLR', 'gamma', gamma, options, ['gamma', 'lastEpoch']);
    checkNonNegative('ExponentialLR', 'gamma', factor);
    super('ExponentialLR', optimizer, lastEpoch);
    this.gamma = factor;
    this.initialStep();
  }

  protected chainedLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}
