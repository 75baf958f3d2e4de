// Piecewise-constant and exponential decay: StepLR, MultiStepLR, ExponentialLR.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import { checkNonNegative, checkPositiveInteger, withPositional } from '../options.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

/** Options of `StepLR` (stepSize may also be the second argument). */
export interface StepLROptions {
  /** Steps between two decays. */
  stepSize?: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Options of `MultiStepLR` (milestones may also be the second argument). */
export interface MultiStepLROptions {
  /** Increasing step indices at which the learning rate decays. */
  milestones?: readonly number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Options of `ExponentialLR` (gamma may also be the second argument). */
export interface ExponentialLROptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Multiplies the learning rate by gamma every stepSize steps. */
export class StepLR extends LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'StepLR';
  /** Steps between two decays. */
  readonly stepSize: number;
  /** Multiplicative factor of the decay. */
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
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'MultiStepLR';
  /** Sorted, repeats kept. */
  readonly milestones: number[];
  /** Multiplicative factor of the decay. */
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
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ExponentialLR';
  /** Multiplicative factor of the decay. */
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
