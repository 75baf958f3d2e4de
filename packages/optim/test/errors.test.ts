// Bad input gets a typed error (MinigradError family) naming the optimizer or scheduler, the argument and its value.
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, MinigradError, ShapeError, tensor } from '@minigrad/tensor';
import { variable, type Variable } from '@minigrad/autograd';
import {
  Adagrad, Adam, AdamW, ChainedScheduler, ConstantLR, CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR,
  OneCycleLR, PolynomialLR, RMSprop, ReduceLROnPlateau, SGD, SequentialLR, StepLR,
} from '@minigrad/optim';

const param = (values: number[] = [1, 2]): Variable => variable(tensor(values), { requiresGrad: true });

function expectError(fn: () => unknown, type: new (...args: never[]) => MinigradError, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(MinigradError);
  if (typeof message === 'string') expect((caught as Error).message).toBe(message);
  else expect((caught as Error).message).toMatch(message);
}

describe('optimizer options', () => {
  it('negative learning rate, for every optimizer', () => {
    expectError(() => new SGD([param()], { lr: -0.1 }), ArgumentError, 'SGD: lr must be a finite number >= 0, got -0.1');
    expectError(() => new Adam([param()], { lr: -1 }), ArgumentError, 'Adam: lr must be a finite number >= 0, got -1');
    expectError(() => new AdamW([param()], { lr: -1 }), ArgumentError, 'AdamW: lr must be a finite number >= 0, got -1');
    expectError(() => new RMSprop([param()], { lr: -1 }), ArgumentError, 'RMSprop: lr must be a finite number >= 0, got -1');
    expectError(() => new Adagrad([param()], { lr: -1 }), ArgumentError, 'Adagrad: lr must be a finite number >= 0, got -1');
    expectError(() => new SGD([param()], { lr: NaN }), ArgumentError, 'SGD: lr must be a finite number >= 0, got NaN');
  });

  it('momentum outside [0, 1)', () => {
    expectError(() => new SGD([param()], { lr: 0.1, momentum: 1 }), ArgumentError, 'SGD: momentum must be a finite number >= 0 and < 1, got 1');
    expectError(() => new SGD([param()], { lr: 0.1, momentum: -0.5 }), ArgumentError, 'SGD: momentum must be a finite number >= 0 and < 1, got -0.5');
    expectError(() => new RMSprop([param()], { momentum: 1.5 }), ArgumentError, 'RMSprop: momentum must be a finite number >= 0 and < 1, got 1.5');
  });

  it('betas outside [0, 1)', () => {
    expectError(() => new Adam([param()], { betas: [1, 0.999] }), ArgumentError, 'Adam: betas[0] must be a finite number >= 0 and < 1, got 1');
    expectError(() => new AdamW([param()], { betas: [0.9, -0.1] }), ArgumentError, 'AdamW: betas[1] must be a finite number >= 0 and < 1, got -0.1');
    expectError(() => new Adam([param()], { betas: [0.9] as never }), ArgumentError, 'Adam: betas must be a pair [beta1, beta2], got [0.9]');
  });

  it('nesterov without momentum or with dampening', () => {
    expectError(() => new SGD([param()], { lr: 0.1, nesterov: true }), ArgumentError, 'SGD: nesterov momentum needs momentum > 0 and zero dampening (got momentum 0, dampening 0)');
    expectError(() => new SGD([param()], { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }), ArgumentError, /dampening 0.1/);
  });

  it('other out-of-range options', () => {
    expectError(() => new SGD([param()], { weightDecay: -1 }), ArgumentError, 'SGD: weightDecay must be a finite number >= 0, got -1');
    expectError(() => new SGD([param()], { dampening: 2 }), ArgumentError, 'SGD: dampening must be a finite number >= 0 and <= 1, got 2');
    expectError(() => new Adam([param()], { eps: -1e-8 }), ArgumentError, 'Adam: eps must be a finite number >= 0, got -1e-8');
    expectError(() => new RMSprop([param()], { alpha: 1.5 }), ArgumentError, 'RMSprop: alpha must be a finite number >= 0 and <= 1, got 1.5');
    expectError(() => new Adagrad([param()], { lrDecay: -1 }), ArgumentError, 'Adagrad: lrDecay must be a finite number >= 0, got -1');
    expectError(() => new Adagrad([param()], { initialAccumulatorValue: -1 }), ArgumentError, 'Adagrad: initialAccumulatorValue must be a finite number >= 0, got -1');
  });

  it("unknown option names (a typo or PyTorch's snake_case would otherwise be ignored silently)", () => {
    expectError(() => new SGD([param()], { lr: 0.1, weight_decay: 0.1 } as never), ArgumentError, /^SGD: unknown option 'weight_decay' \(valid options: lr, momentum, dampening, nesterov, weightDecay, maximize\); did you mean 'weightDecay'\?$/);
    expectError(() => new Adam([param()], { beta1: 0.9 } as never), ArgumentError, /Adam: unknown option 'beta1'/);
    expectError(() => new SGD([param()], 'fast' as never), ArgumentError, 'SGD: options must be an object, got "fast"');
  });

  it('a bad option in one parameter group names the group', () => {
    expectError(() => new SGD([{ params: [param()] }, { params: [param()], lr: -2 }], { lr: 0.1 }), ArgumentError, 'SGD (group 1): lr must be a finite number >= 0, got -2');
  });
});

describe('optimizer parameters', () => {
  it('an empty parameter list', () => {
    expectError(() => new SGD([], { lr: 0.1 }), ArgumentError, 'SGD: got an empty parameter list');
    expectError(() => new Adam(new Set<Variable>()), ArgumentError, 'Adam: got an empty parameter list');
  });

  it('a single Variable or a non-iterable instead of a list', () => {
    expectError(() => new SGD(param() as never), ArgumentError, 'SGD: params must be an iterable of Variables or of parameter groups, got a Variable of shape [2]');
    expectError(() => new SGD(42 as never), ArgumentError, /params must be an iterable/);
  });

  it('something that is not a Variable', () => {
    expectError(() => new SGD([param(), tensor([1]) as never]), ArgumentError, /^SGD: parameter 1 of group 0 is not a Variable, got a Tensor of shape \[1\] \(a Tensor holds no gradient: pass model.parameters\(\)/);
  });

  it('the same parameter in two groups, or twice in one', () => {
    const p = param();
    expectError(() => new SGD([{ params: [p] }, { params: [param(), p] }]), ArgumentError, 'SGD: some parameters appear in more than one parameter group (groups 0 and 1, shape [2])');
    expectError(() => new Adam([p, p]), ArgumentError, 'Adam: parameter 1 of group 0 (shape [2]) appears twice in the group');
    const opt = new SGD([p]);
    expectError(() => opt.addParamGroup({ params: [p] }), ArgumentError, /more than one parameter group/);
    expect(opt.paramGroups.length).toBe(1);
  });

  it('a parameter that does not require grad', () => {
    const frozen = variable(tensor([1, 2, 3]));
    expectError(() => new Adam([param(), frozen]), ArgumentError, 'Adam: parameter 1 of group 0 (shape [3]) does not require grad');
  });

  it('a non-leaf Variable', () => {
    const p = param();
    const nonLeaf = p.mul(2);
    expectError(() => new SGD([nonLeaf]), ArgumentError, "SGD: can't optimize a non-leaf Variable (parameter 0 of group 0, shape [2])");
  });

  it('a gradient whose shape differs from its parameter', () => {
    const p = param();
    const opt = new SGD([p], { lr: 0.1 });
    // Assigning it is refused (as PyTorch does); a parameter whose data is swapped afterwards is caught by step().
    expectError(() => { p.grad = variable(tensor([1, 2, 3])); }, ShapeError, 'Variable.grad: assigned a gradient of shape [3] to a Variable of shape [2]');
    p.grad = variable(tensor([1, 2]));
    p.data = tensor([1, 2, 3]);
    expectError(() => opt.step(), ShapeError, 'SGD: gradient of shape [2] for a parameter of shape [3]');
  });

  it('a non-float parameter', () => {
    const p = param();
    (p as { data: unknown }).data = tensor([1, 2], { dtype: 'int32' });
    expectError(() => new SGD([p]), DTypeError, 'SGD: parameter 0 of group 0 (shape [2]) has dtype int32; only float32 and float64 can be optimized');
  });
});

describe('scheduler arguments', () => {
  const opt = () => new SGD([param()], { lr: 0.1, momentum: 0.9 });

  it('periods, factors and milestones', () => {
    expectError(() => new StepLR(opt(), 0), ArgumentError, 'StepLR: stepSize must be a positive integer, got 0');
    expectError(() => new MultiStepLR(opt(), [2, -1]), ArgumentError, 'MultiStepLR: milestones must be non-negative integers, got [2,-1]');
    expectError(() => new ExponentialLR(opt(), NaN), ArgumentError, 'ExponentialLR: gamma must be a finite number >= 0, got NaN');
    expectError(() => new CosineAnnealingLR(opt(), 2.5), ArgumentError, 'CosineAnnealingLR: tMax must be a positive integer, got 2.5');
    expectError(() => new LinearLR(opt(), { startFactor: 0 }), ArgumentError, 'LinearLR: startFactor must be a finite number > 0 and <= 1, got 0');
    expectError(() => new LinearLR(opt(), { endFactor: 1.5 }), ArgumentError, 'LinearLR: endFactor must be a finite number >= 0 and <= 1, got 1.5');
  });

  it('unknown option names', () => {
    expectError(() => new StepLR(opt(), 3, { step_size: 3 } as never), ArgumentError, /^StepLR: unknown option 'step_size' \(valid options: stepSize, gamma, lastEpoch\); did you mean 'stepSize'\?$/);
    expectError(() => new CosineAnnealingLR(opt(), { T_max: 10 } as never), ArgumentError, /CosineAnnealingLR: unknown option 'T_max'/);
    expectError(() => new LinearLR(opt(), { start_factor: 0.1 } as never), ArgumentError, /LinearLR: unknown option 'start_factor'/);
    expectError(() => new OneCycleLR(opt(), 0.1, { total_steps: 10 } as never), ArgumentError, /OneCycleLR: unknown option 'total_steps'/);
    expectError(() => new ReduceLROnPlateau(opt(), { min_lr: 0 } as never), ArgumentError, /ReduceLROnPlateau: unknown option 'min_lr'/);
  });

  it('OneCycleLR', () => {
    expectError(() => new OneCycleLR(opt(), 0.1), ArgumentError, 'OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch');
    expectError(() => new OneCycleLR(opt(), 0.1, { totalSteps: 10, pctStart: 1.5 }), ArgumentError, 'OneCycleLR: pctStart must be a finite number >= 0 and <= 1, got 1.5');
    expectError(() => new OneCycleLR(opt(), [0.1, 0.2], { totalSteps: 10 }), ArgumentError, 'OneCycleLR: expected 1 values for maxLr, got 2');
    expectError(
      () => new OneCycleLR(new Adagrad([param()]), 0.1, { totalSteps: 10 }),
      ArgumentError,
      'OneCycleLR: cycleMomentum needs an optimizer with momentum or betas; Adagrad has neither (pass cycleMomentum: false)',
    );
    const s = new OneCycleLR(opt(), 0.1, { totalSteps: 2 });
    s.step();
    s.step();
    expectError(() => s.step(), ArgumentError, 'OneCycleLR.step: tried to step 4 times; totalSteps is 2');
  });

  it('ReduceLROnPlateau', () => {
    expectError(() => new ReduceLROnPlateau(opt(), { factor: 1 }), ArgumentError, 'ReduceLROnPlateau: factor must be a finite number >= 0 and < 1, got 1');
    expectError(() => new ReduceLROnPlateau(opt(), { mode: 'up' as never }), ArgumentError, 'ReduceLROnPlateau: mode must be one of "min", "max", got "up"');
    expectError(() => new ReduceLROnPlateau(opt(), { minLr: [0, 0] }), ArgumentError, 'ReduceLROnPlateau: expected 1 minLr values (one per group), got 2');
  });

  it('SequentialLR', () => {
    const o = opt();
    const a = new LinearLR(o);
    const b = new StepLR(o, 3);
    expectError(() => new SequentialLR(o, [a, b], []), ArgumentError, 'SequentialLR: expected 1 milestones for 2 schedulers, got 0');
    expectError(() => new SequentialLR(opt(), [a, b], [3]), ArgumentError, 'SequentialLR: scheduler 0 (LinearLR) belongs to another optimizer');
  });

  it('LambdaLR, ConstantLR, PolynomialLR, ChainedScheduler', () => {
    expectError(() => new LambdaLR(opt(), [(e) => e, (e) => e]), ArgumentError, 'LambdaLR: expected 1 lrLambda functions (one per group), got 2');
    expectError(() => new LambdaLR(opt(), 0.5 as never), ArgumentError, 'LambdaLR: lrLambda must be a function or an array of functions');
    expectError(() => new ConstantLR(opt(), { factor: 0 }), ArgumentError, 'ConstantLR: factor must be a finite number > 0 and <= 1, got 0');
    expectError(() => new PolynomialLR(opt(), { totalIters: 0 }), ArgumentError, 'PolynomialLR: totalIters must be a positive integer, got 0');
    expectError(() => new ChainedScheduler([new StepLR(opt(), 2), new StepLR(opt(), 3)]), ArgumentError, 'ChainedScheduler: scheduler 1 (StepLR) belongs to another optimizer than scheduler 0');
    expectError(() => new ChainedScheduler([]), ArgumentError, 'ChainedScheduler: needs at least one scheduler');
  });

  it('resuming with lastEpoch before the optimizer state was loaded', () => {
    expectError(() => new StepLR(opt(), 3, { lastEpoch: 4 }), ArgumentError, /StepLR: group 0 has no initialLr/);
  });
});
