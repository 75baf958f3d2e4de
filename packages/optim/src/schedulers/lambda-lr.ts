// Learning rates from user functions of the step: LambdaLR (base lr times f(epoch)) and MultiplicativeLR
// (the current lr times f(epoch)). The functions are not state: a loaded state dict keeps the ones given here.
import { ArgumentError } from '@minigrad/tensor';
import { withPositional } from '../options.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';
import { restoreSchedulerFields, schedulerFields, type SchedulerStateDict } from './state.js';

/**
 * A function of the step index giving a factor (LambdaLR: of the base rate; MultiplicativeLR: of the current rate).
 */
export type LrLambda = (epoch: number) => number;

/** Options of `LambdaLR` and `MultiplicativeLR`. */
export interface LambdaLROptions {
  /** One function for every group, or one per group. */
  lrLambda?: LrLambda | LrLambda[];
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

function lambdasFor(op: string, optimizer: AnyOptimizer, first: LrLambda | LrLambda[] | LambdaLROptions, options: LambdaLROptions): { lambdas: LrLambda[]; lastEpoch: number } {
  const { lrLambda, lastEpoch = -1 } = withPositional(op, 'lrLambda', first, options, ['lrLambda', 'lastEpoch']);
  const groups = optimizer.paramGroups.length;
  const lambdas = Array.isArray(lrLambda) ? lrLambda.slice() : new Array<LrLambda>(groups).fill(lrLambda as LrLambda);
  if (lambdas.length !== groups) throw new ArgumentError(op, `expected ${groups} lrLambda functions (one per group), got ${lambdas.length}`);
  if (!lambdas.every((f) => typeof f === 'function')) throw new ArgumentError(op, 'lrLambda must be a function or an array of functions');
  return { lambdas, lastEpoch };
}

/** What LambdaLR and MultiplicativeLR share: the functions (one per group) and a state dict without them. */
abstract class LambdaScheduler extends LRScheduler {
  /** The functions of the step index, one per parameter group. */
  readonly lrLambdas: LrLambda[];

  constructor(kind: string, optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[] | LambdaLROptions, options: LambdaLROptions) {
    const { lambdas, lastEpoch } = lambdasFor(kind, optimizer, lrLambda, options);
    super(kind, optimizer, lastEpoch);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  override stateDict(): SchedulerStateDict {
    return schedulerFields(this.kind, this, ['optimizer', 'kind', 'lrLambdas']);
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    restoreSchedulerFields(this.kind, this, stateDict, ['kind', 'lrLambdas']);
  }
}

/** `lr = baseLr * lrLambda(epoch)`. */
export class LambdaLR extends LambdaScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'LambdaLR';
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[] | LambdaLROptions, options: LambdaLROptions = {}) {
    super('LambdaLR', optimizer, lrLambda, options);
  }

  protected chainedLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }
}

/** `lr = lr * lrLambda(epoch)` from the second step on. */
export class MultiplicativeLR extends LambdaScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'MultiplicativeLR';
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[] | LambdaLROptions, options: LambdaLROptions = {}) {
    super('MultiplicativeLR', optimizer, lrLambda, options);
  }

  protected chainedLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch > 0 ? lrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch)) : lrs;
  }
}
