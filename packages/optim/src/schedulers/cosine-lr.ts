// Cosine annealing from the base learning rate to etaMin over tMax steps (then back up, periodically).
import { checkNonNegative, checkPositiveInteger, withPositional } from '../options.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

/** Options of `CosineAnnealingLR` (tMax may also be the second argument). */
export interface CosineAnnealingLROptions {
  /** Steps of half a cosine period. */
  tMax?: number;
  /** The minimum learning rate (default 0). */
  etaMin?: number;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Anneals each learning rate from its base value to etaMin along a cosine over tMax steps.
 * PyTorch: `torch.optim.lr_scheduler.CosineAnnealingLR`.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'CosineAnnealingLR';
  /** Steps of half a cosine period (from the base rate down to etaMin). */
  readonly tMax: number;
  /** The minimum learning rate. */
  readonly etaMin: number;

  constructor(optimizer: AnyOptimizer, tMax: number | CosineAnnealingLROptions, options: CosineAnnealingLROptions = {}) {
    const { tMax: period = NaN, etaMin = 0, lastEpoch = -1 } = withPositional('CosineAnnealingLR', 'tMax', tMax, options, ['tMax', 'etaMin', 'lastEpoch']);
    checkPositiveInteger('CosineAnnealingLR', 'tMax', period);
    checkNonNegative('CosineAnnealingLR', 'etaMin', etaMin);
    super('CosineAnnealingLR', optimizer, lastEpoch);
    this.tMax = period;
    this.etaMin = etaMin;
    this.initialStep();
  }

  /** PyTorch's recursive form: each lr is derived from the previous one (so outside changes carry over). */
  protected chainedLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return this.groupLrs();
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2);
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2);
  }
}
