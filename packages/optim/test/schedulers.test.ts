// LR schedules against PyTorch's (tools/fixtures/optim.py): the learning rates (and OneCycleLR's momenta)
// after construction and after every step.
import { describe, expect, it } from 'vitest';
import { tensor } from '@minigrad/tensor';
import { variable } from '@minigrad/autograd';
import {
  Adagrad, Adam, ChainedScheduler, ConstantLR, CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR,
  MultiplicativeLR, OneCycleLR, PolynomialLR, ReduceLROnPlateau, SGD, SequentialLR, StepLR, type LRScheduler,
  type LrLambda, type Optimizer,
} from '@minigrad/optim';
import { assertClose, loadFixtures } from '@minigrad/testing';

interface SchedulerSpec {
  scheduler: string;
  options?: Record<string, unknown>;
  schedulers?: SchedulerSpec[];
  milestones?: number[];
}

interface SchedulerCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'Adagrad';
  optimizerOptions: Record<string, unknown>;
  lrs: number[];
  spec: SchedulerSpec;
  steps: number;
  metrics?: number[];
  /** Per step: null for step(), a number for step(epoch). */
  epochs?: (number | null)[];
  expectedLrs: number[][];
  expectedMomenta?: number[][];
}

const fixture = loadFixtures<SchedulerCase>(new URL('./fixtures/schedulers.json', import.meta.url));

export function makeOptimizer(kind: SchedulerCase['optimizer'], lrs: number[], options: Record<string, unknown>): Optimizer {
  const groups = lrs.map((lr) => ({ params: [variable(tensor([0]), { requiresGrad: true })], lr }));
  if (kind === 'Adam') return new Adam(groups, options) as unknown as Optimizer;
  if (kind === 'Adagrad') return new Adagrad(groups, options) as unknown as Optimizer;
  return new SGD(groups, options) as unknown as Optimizer;
}

type AnyScheduler = LRScheduler | ReduceLROnPlateau | SequentialLR | ChainedScheduler;

/** The same functions as LAMBDAS in tools/fixtures/optim.py. */
const LAMBDAS: Record<string, LrLambda> = {
  warmup5: (e) => Math.min(1, (e + 1) / 5),
  pow95: (e) => 0.95 ** e,
  inv: (e) => 1 / (e + 1),
  halfEvery3: (e) => (e % 3 === 0 ? 0.5 : 1),
  const09: () => 0.9,
};

function lambdas(names: never): LrLambda | LrLambda[] {
  const n = names as string | string[];
  return Array.isArray(n) ? n.map((name) => LAMBDAS[name]) : LAMBDAS[n];
}

/** Builds a scheduler from a fixture spec: PyTorch's positional arguments first, the rest as options. */
export function makeScheduler(opt: Optimizer, spec: SchedulerSpec): AnyScheduler {
  const o = { ...(spec.options ?? {}) } as Record<string, never>;
  const take = (key: string) => {
    const v = o[key];
    delete o[key];
    return v;
  };
  switch (spec.scheduler) {
    case 'StepLR':
      return new StepLR(opt, take('stepSize'), o);
    case 'MultiStepLR':
      return new MultiStepLR(opt, take('milestones'), o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, take('gamma'), o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, take('tMax'), o);
    case 'LinearLR':
      return new LinearLR(opt, o);
    case 'OneCycleLR':
      return new OneCycleLR(opt, take('maxLr'), o);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(opt, o);
    case 'SequentialLR':
      return new SequentialLR(opt, (spec.schedulers ?? []).map((s) => makeScheduler(opt, s) as LRScheduler), spec.milestones ?? []);
    case 'ChainedScheduler':
      return new ChainedScheduler((spec.schedulers ?? []).map((s) => makeScheduler(opt, s) as LRScheduler));
    case 'ConstantLR':
      return new ConstantLR(opt, o);
    case 'PolynomialLR':
      return new PolynomialLR(opt, o);
    case 'LambdaLR':
      return new LambdaLR(opt, lambdas(take('lrLambda')), o);
    case 'MultiplicativeLR':
      return new MultiplicativeLR(opt, lambdas(take('lrLambda')), o);
    default:
      throw new Error(`unknown scheduler ${spec.scheduler}`);
  }
}

function momenta(opt: Optimizer): number[] {
  return opt.paramGroups.map((g) => {
    const group = g as unknown as { betas?: number[]; momentum?: number };
    return group.betas ? group.betas[0] : (group.momentum as number);
  });
}

describe('schedulers match PyTorch', () => {
  it('covers every scheduler', () => {
    const kinds = new Set(fixture.cases.map((c) => c.spec.scheduler));
    const all = ['StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'OneCycleLR', 'ReduceLROnPlateau', 'SequentialLR'];
    for (const k of [...all, 'ConstantLR', 'PolynomialLR', 'LambdaLR', 'MultiplicativeLR', 'ChainedScheduler']) {
      expect(kinds.has(k)).toBe(true);
    }
  });

  for (const c of fixture.cases) {
    it(`${c.spec.scheduler}: ${c.name}`, () => {
      const opt = makeOptimizer(c.optimizer, c.lrs, c.optimizerOptions);
      const sched = makeScheduler(opt, c.spec);
      const lrs = [sched.getLastLr()];
      const ms = [momenta(opt)];
      for (let s = 0; s < c.steps; s++) {
        opt.step();
        const epoch = c.epochs?.[s] ?? null;
        if (sched instanceof ReduceLROnPlateau) sched.step((c.metrics as number[])[s]);
        else if (epoch !== null) (sched as LRScheduler).step(epoch);
        else sched.step();
        lrs.push(sched.getLastLr());
        ms.push(momenta(opt));
        // The optimizer's groups carry what getLastLr reports.
        expect(opt.paramGroups.map((g) => g.lr)).toEqual(lrs[lrs.length - 1]);
      }
      assertClose(lrs.flat(), c.expectedLrs.flat(), { atol: 1e-15, rtol: 1e-12, label: `${c.name} lrs` });
      if (c.expectedMomenta) assertClose(ms.flat(), c.expectedMomenta.flat(), { atol: 1e-15, rtol: 1e-12, label: `${c.name} momenta` });
    });
  }

  it('step(epoch) jumps with the closed form', () => {
    const opt = makeOptimizer('SGD', [0.1], {});
    const chained = new StepLR(makeOptimizer('SGD', [0.1], {}), 3, { gamma: 0.5 });
    const jumped = new StepLR(opt, 3, { gamma: 0.5 });
    for (let i = 0; i < 7; i++) chained.step();
    jumped.step(7);
    expect(jumped.getLastLr()).toEqual(chained.getLastLr());
    expect(jumped.lastEpoch).toBe(7);
  });

  it('takes the PyTorch positional argument inside the options object too', () => {
    const pairs: [(o: Optimizer) => AnyScheduler, (o: Optimizer) => AnyScheduler][] = [
      [(o) => new StepLR(o, 3, { gamma: 0.5 }), (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 })],
      [(o) => new MultiStepLR(o, [2, 4], { gamma: 0.5 }), (o) => new MultiStepLR(o, { milestones: [2, 4], gamma: 0.5 })],
      [(o) => new ExponentialLR(o, 0.9), (o) => new ExponentialLR(o, { gamma: 0.9 })],
      [(o) => new CosineAnnealingLR(o, 4, { etaMin: 0.01 }), (o) => new CosineAnnealingLR(o, { tMax: 4, etaMin: 0.01 })],
      [(o) => new OneCycleLR(o, 0.5, { totalSteps: 10 }), (o) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 10 })],
      [
        (o) => new SequentialLR(o, [new LinearLR(o, { totalIters: 2 }), new ExponentialLR(o, 0.9)], [2]),
        (o) => new SequentialLR(o, { schedulers: [new LinearLR(o, { totalIters: 2 }), new ExponentialLR(o, 0.9)], milestones: [2] }),
      ],
    ];
    for (const [positional, inOptions] of pairs) {
      const a = makeOptimizer('SGD', [0.1], { momentum: 0.9 });
      const b = makeOptimizer('SGD', [0.1], { momentum: 0.9 });
      const sa = positional(a);
      const sb = inOptions(b);
      for (let i = 0; i < 8; i++) {
        expect(sb.getLastLr()).toEqual(sa.getLastLr());
        (sa as LRScheduler).step();
        (sb as LRScheduler).step();
      }
    }
  });
});
