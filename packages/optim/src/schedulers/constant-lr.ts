// Piecewise and polynomial factors over a fixed number of steps: ConstantLR, PolynomialLR.
import { ArgumentError, checkNumber, checkOptions } from '@minigrad/tensor';
import { checkFinite, checkPositiveInteger } from '../options.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

/** Options of `ConstantLR`. */
export interface ConstantLROptions {
  /** Factor of the base rate until totalIters steps (default 1/3). */
  factor?: number;
  /** Steps over which the factor applies or changes (default 5). */
  totalIters?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/** The learning rate times `factor` for the first totalIters steps, then the base learning rate. */
export class ConstantLR extends LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ConstantLR';
  /** Factor of the base rate until totalIters steps. */
  readonly factor: number;
  /** Steps over which the factor applies or changes. */
  readonly totalIters: number;

  constructor(optimizer: AnyOptimizer, options: ConstantLROptions = {}) {
    checkOptions('ConstantLR', options, ['factor', 'totalIters', 'lastEpoch']);
    const { factor = 1 / 3, totalIters = 5, lastEpoch = -1 } = options;
    // factor 0 would divide by zero when the recursive form restores the rate.
    checkNumber('ConstantLR', 'factor', factor, { above: 0, max: 1 });
    checkPositiveInteger('ConstantLR', 'totalIters', totalIters);
    super('ConstantLR', optimizer, lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected chainedLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const after = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + after * (1 - this.factor)));
  }
}

/** Options of `PolynomialLR`. */
export interface PolynomialLROptions {
  /** Steps over which the factor applies or changes (default 5). */
  totalIters?: number;
  /** Power of the polynomial decay (default 1). */
  power?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Decays the learning rate to 0 over totalIters steps as `(1 - t/totalIters)^power`. */
export class PolynomialLR extends LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'PolynomialLR';
  /** Steps over which the factor applies or changes. */
  readonly totalIters: number;
  /** Power of the polynomial decay. */
  readonly power: number;

  constructor(optimizer: AnyOptimizer, options: PolynomialLROptions = {}) {
    checkOptions('PolynomialLR', options, ['totalIters', 'power', 'lastEpoch']);
    const { totalIters = 5, power = 1, lastEpoch = -1 } = options;
    checkPositiveInteger('PolynomialLR', 'totalIters', totalIters);
    checkFinite('PolynomialLR', 'power', power);
    super('PolynomialLR', optimizer, lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  protected chainedLr(): number[] {
    const { lastEpoch: t, totalIters: n } = this;
    const lrs = this.groupLrs();
    if (t === 0 || t > n) return lrs;
    const decay = ((1 - t / n) / (1 - (t - 1) / n)) ** this.power;
    return lrs.map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, totalIters: n } = this;
    return this.baseLrs.map((base) => base * (1 - Math.min(n, t) / n) ** this.power);
  }
}
