// The 1cycle policy (Smith & Topin): the learning rate rises from maxLr/divFactor to maxLr, then anneals far
// below the start; momentum (or Adam's beta1) moves the opposite way. One step per batch.
import { ArgumentError, checkBool, checkNumber, checkOneOf } from '@minigrad/tensor';
import type { ScheduleFields } from '../optimizer.js';
import { checkClosedUnitInterval, checkNonNegative, checkPositiveInteger, withPositional } from '../options.js';
import { LRScheduler, type AnyOptimizer } from './lr-scheduler.js';

/** Options of `OneCycleLR` (maxLr may also be the second argument). */
export interface OneCycleLROptions {
  /** Peak learning rate, one for all groups or one per group (required). */
  maxLr?: number | number[];
  /** Steps in the cycle (or give epochs and stepsPerEpoch). */
  totalSteps?: number;
  /** Epochs in the cycle (with stepsPerEpoch, instead of totalSteps). */
  epochs?: number;
  /** Steps per epoch (with epochs). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the learning rate (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (or Adam beta1) inversely to the learning rate (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the peak learning rate (default 0.85). */
  baseMomentum?: number | number[];
  /** Momentum at the start and end of the cycle (default 0.95). */
  maxMomentum?: number | number[];
  /** Initial learning rate = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final learning rate = initial / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use a third phase that anneals to the final rate after a symmetric warm-up/down (default false). */
  threePhase?: boolean;
  /** Index of the last step already taken, to resume a schedule (default -1: a fresh start). */
  lastEpoch?: number;
}

const ONE_CYCLE_OPTIONS: (keyof OneCycleLROptions)[] = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum',
  'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
];

/** A group field a OneCycleLR phase anneals between (maxLr, minLr, initialLr, the momentums). */
export type GroupField = keyof Required<ScheduleFields>;

/** One phase of a OneCycleLR cycle: the step it ends at and the group fields it anneals between. */
export interface Phase {
  /** The step index the phase ends at. */
  endStep: number;
  /** The group field holding the learning rate at the start of the phase. */
  startLr: GroupField;
  /** The group field holding the learning rate at its end. */
  endLr: GroupField;
  /** The group field holding the momentum at the start of the phase. */
  startMomentum: GroupField;
  /** The group field holding the momentum at its end. */
  endMomentum: GroupField;
}

/** Per-group values from a number or an array with one entry per group. */
function perGroup(name: string, value: number | number[], groups: number): number[] {
  if (!Array.isArray(value)) return new Array<number>(groups).fill(value);
  if (value.length !== groups) throw new ArgumentError('OneCycleLR', `expected ${groups} values for ${name}, got ${value.length}`);
  return value.slice();
}

/**
 * The 1cycle policy: the learning rate rises from maxLr / divFactor to maxLr, then anneals to a far lower value,
 * while momentum (or Adam's beta1) moves the opposite way. Step it after every batch. PyTorch: `torch.optim.lr_scheduler.OneCycleLR`.
 */
export class OneCycleLR extends LRScheduler {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'OneCycleLR';
  /**
   * Finite, of any sign: like PyTorch, the step numbered totalSteps is allowed and extrapolates the last phase,
   * which a linear anneal takes below zero (PyTorch's own sequences do this; the fixtures check it).
   */
  protected override readonly lrRange = {};
  /** Steps in the cycle. */
  readonly totalSteps: number;
  /** The phases of the cycle: the step each ends at and the group fields it anneals between. */
  readonly phases: Phase[];
  /** 'cos' or 'linear' annealing. */
  readonly annealStrategy: 'cos' | 'linear';
  /** Whether momentum cycles inversely to the learning rate. */
  readonly cycleMomentum: boolean;
  /** The optimizer keeps its momentum as betas[0] (Adam, AdamW) rather than `momentum`. */
  readonly useBeta1: boolean;

  constructor(optimizer: AnyOptimizer, maxLr: number | number[] | OneCycleLROptions, options: OneCycleLROptions = {}) {
    const {
      maxLr: peak = NaN, totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1,
    } = withPositional('OneCycleLR', 'maxLr', maxLr, options, ONE_CYCLE_OPTIONS);
    const op = 'OneCycleLR';
    let total: number;
    if (totalSteps !== undefined) {
      checkPositiveInteger(op, 'totalSteps', totalSteps);
      total = totalSteps;
    } else if (epochs !== undefined && stepsPerEpoch !== undefined) {
      checkPositiveInteger(op, 'epochs', epochs);
      checkPositiveInteger(op, 'stepsPerEpoch', stepsPerEpoch);
      total = epochs * stepsPerEpoch;
    } else {
      throw new ArgumentError(op, 'give either totalSteps or both epochs and stepsPerEpoch');
    }
    checkClosedUnitInterval(op, 'pctStart', pctStart);
    checkOneOf(op, 'annealStrategy', annealStrategy, ['cos', 'linear']);
    checkBool(op, 'cycleMomentum', cycleMomentum);
    checkBool(op, 'threePhase', threePhase);
    checkNumber(op, 'divFactor', divFactor, { above: 0 });
    checkNumber(op, 'finalDivFactor', finalDivFactor, { above: 0 });
    if (cycleMomentum && !('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
      throw new ArgumentError(op, `cycleMomentum needs an optimizer with momentum or betas; ${optimizer.name} has neither (pass cycleMomentum: false)`);
    }
    const groups = optimizer.paramGroups;
    const maxLrs = perGroup('maxLr', peak, groups.length);
    maxLrs.forEach((lr) => checkNonNegative(op, 'maxLr', lr));
    const maxMomenta = perGroup('maxMomentum', maxMomentum, groups.length);
    const baseMomenta = perGroup('baseMomentum', baseMomentum, groups.length);
    [...maxMomenta, ...baseMomenta].forEach((m) => checkClosedUnitInterval(op, 'momentum', m));
    super('OneCycleLR', optimizer, lastEpoch);

    this.totalSteps = total;
    const rise: Phase = { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' };
    this.phases = threePhase
      ? [
          rise,
          { endStep: 2 * pctStart * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [rise, { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' }];
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = 'betas' in optimizer.defaults;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
        if (cycleMomentum) {
          this.setMomentum(g as unknown as Record<string, unknown>, maxMomenta[i]);
          g.maxMomentum = maxMomenta[i];
          g.baseMomentum = baseMomenta[i];
        }
      });
      this.baseLrs = groups.map((g) => g.initialLr as number);
    }
    this.initialStep();
  }

  private setMomentum(group: Record<string, unknown>, momentum: number): void {
    if (this.useBeta1) group.betas = [momentum, (group.betas as number[])[1]];
    else group.momentum = momentum;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut;
  }

  /** Sets each group's momentum as a side effect, as PyTorch does. */
  protected chainedLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ArgumentError('OneCycleLR.step', `tried to step ${stepNum + 1} times; totalSteps is ${this.totalSteps}`);
    }
    // The phase holding stepNum (the last one past the end) and the step where it starts.
    const last = this.phases.length - 1;
    let p = 0;
    let startStep = 0;
    while (p < last && stepNum > this.phases[p].endStep) startStep = this.phases[p++].endStep;
    const phase = this.phases[p];
    const pct = (stepNum - startStep) / (phase.endStep - startStep);
    return this.optimizer.paramGroups.map((group) => {
      const fields = group as ScheduleFields;
      if (this.cycleMomentum) {
        const momentum = this.anneal(fields[phase.startMomentum] as number, fields[phase.endMomentum] as number, pct);
        this.setMomentum(group as unknown as Record<string, unknown>, momentum);
      }
      return this.anneal(fields[phase.startLr] as number, fields[phase.endLr] as number, pct);
    });
  }
}
