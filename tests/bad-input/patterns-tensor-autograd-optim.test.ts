// The issue-13 patterns in tensor, autograd and optim: options checked by type (2), unknown names (3),
// schedulers checked at every step (4), outside input (5), absurd sizes (6), autograd corner cases (9).
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, IndexError, ShapeError, arange, avgPool2d, conv2d, ones, tensor, zeros } from '@minigrad/tensor';
import { Variable, gradcheck, variable } from '@minigrad/autograd';
import { Adam, CosineAnnealingLR, ExponentialLR, LambdaLR, OneCycleLR, ReduceLROnPlateau, SGD, StepLR } from '@minigrad/optim';
import { expectError } from './helpers.js';

const param = () => variable(tensor([1, 2]), { requiresGrad: true });

describe('pattern 2: options are checked by type, not by comparison', () => {
  it('numbers must be finite numbers, not strings or Infinity', () => {
    expectError(() => new SGD([param()], { lr: Infinity }), ArgumentError, /^SGD: lr must be a finite number >= 0, got Infinity$/);
    expectError(() => new SGD([param()], { lr: '0.1' as never }), ArgumentError, /^SGD: lr must be a finite number >= 0, got "0.1"$/);
    expectError(() => new Adam([param()], { eps: '1e-8' as never }), ArgumentError, /^Adam: eps must be a finite number/);
    // A Variable's alpha is checked like a Tensor's, also with a number operand (0 * a Tensor was NaN).
    expectError(() => param().add(0, tensor([1, 1, 1]) as never), ArgumentError, /^add: alpha must be a number, got a Tensor of shape \[3\]$/);
    expectError(() => param().sub(1, '2' as never), ArgumentError, /^sub: alpha must be a number/);
  });

  it("booleans must be booleans: the string 'false' turns nothing on", () => {
    expectError(() => new SGD([param()], { maximize: 'false' as never }), ArgumentError, /^SGD: maximize must be a boolean, got "false"$/);
    expectError(() => new Adam([param()], { amsgrad: 1 as never }), ArgumentError, /^Adam: amsgrad must be a boolean, got 1$/);
    expectError(() => zeros(2, 3).sum(0, 'false' as never), ArgumentError, /^sum: keepdim must be a boolean, got "false"$/);
    expectError(() => zeros(2, 3).amax(1, 1 as never), ArgumentError, /^amax: keepdim must be a boolean/);
    const y = variable(ones([2]), { requiresGrad: true }).sum();
    expectError(() => y.backward({ retainGraph: 'no' as never }), ArgumentError, /^backward: retainGraph must be a boolean, got "no"$/);
    expectError(() => new SGD([param()]).zeroGrad({ setToNull: 'no' as never }), ArgumentError, /^SGD.zeroGrad: setToNull must be a boolean/);
  });
});

describe('pattern 3: unknown option names are rejected with the valid names listed', () => {
  it('in tensor ops', () => {
    const x = ones([1, 1, 4, 4]);
    expectError(() => avgPool2d(x, { kernelSize: 2, count_include_pad: false } as never), ArgumentError,
      /^avgPool2d: unknown option 'count_include_pad' \(valid options: kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride\); did you mean 'countIncludePad'\?$/);
    expectError(() => avgPool2d(x, { kernelSize: 2, ceil_mode: true } as never), ArgumentError, /unknown option 'ceil_mode'/);
    expectError(() => conv2d(x, ones([1, 1, 3, 3]), null, { padding_mode: 'zeros' } as never), ArgumentError, /^conv2d: unknown option 'padding_mode'/);
    expectError(() => zeros(3).var(0, { unbiased: false } as never), ArgumentError, /^var: unknown option 'unbiased' \(valid options: correction, keepdim\); did you mean 'correction'\? \(PyTorch's unbiased: false is correction: 0; unbiased: true, the default, is correction: 1\)$/);
    expectError(() => zeros([2], { dtyp: 'float64' } as never), ArgumentError, /^zeros: unknown option 'dtyp' \(valid options: dtype\); did you mean 'dtype'\?$/);
  });

  it('in autograd', () => {
    const x = variable(ones([2]), { requiresGrad: true });
    expectError(() => x.sum().backward({ retain_graph: true } as never), ArgumentError, /^backward: unknown option 'retain_graph' \(valid options: retainGraph, createGraph\); did you mean 'retainGraph'\?$/);
  });

  it('in optimizer parameter groups', () => {
    expectError(() => new SGD([{ params: [param()], weight_decay: 0.1 } as never], { lr: 0.1 }), ArgumentError, /^SGD.addParamGroup: unknown option 'weight_decay'/);
  });
});

describe('pattern 4: schedulers are checked when built and at every step', () => {
  const opt = () => new SGD([param()], { lr: 0.1 });
  it('out-of-range arguments', () => {
    expectError(() => new CosineAnnealingLR(opt(), { tMax: 10, etaMin: -1 }), ArgumentError, /^CosineAnnealingLR: etaMin must be a finite number >= 0, got -1$/);
    expectError(() => new ExponentialLR(opt(), -0.5), ArgumentError, /^ExponentialLR: gamma must be a finite number >= 0, got -0.5$/);
    expectError(() => new StepLR(opt(), 2, { gamma: '0.1' as never }), ArgumentError, /^StepLR: gamma must be a finite number/);
    expectError(() => new OneCycleLR(opt(), 0.1, { totalSteps: 10, threePhase: 'yes' as never }), ArgumentError, /^OneCycleLR: threePhase must be a boolean/);
  });

  it('a learning rate a user function turns into NaN or a negative number', () => {
    const o = opt();
    const s = new LambdaLR(o, (e) => (e < 2 ? 1 : NaN));
    s.step();
    expectError(() => s.step(), ArgumentError, /^LambdaLR.step: the learning rate of group 0 must be a finite number >= 0, got NaN$/);
    expect(o.paramGroups[0].lr).toBe(0.1); // the optimizer kept its last good rate
    expectError(() => new LambdaLR(opt(), () => -1), ArgumentError, /^LambdaLR.step: the learning rate of group 0 must be a finite number >= 0, got -0.1$/);
  });

  it('ReduceLROnPlateau.step needs its metric', () => {
    const s = new ReduceLROnPlateau(opt());
    expectError(() => (s.step as () => void)(), ArgumentError, /^ReduceLROnPlateau.step: needs the metric \(a number or a 0-d tensor\), got undefined$/);
    expectError(() => s.step('0.5' as never), ArgumentError, /got "0.5"/);
    s.step(tensor(0.5));
    expect(s.best).toBe(0.5);
  });
});

describe('pattern 5: input from outside is checked', () => {
  it('a plain Tensor assigned to .grad is wrapped; a wrong shape, dtype or type is refused', () => {
    const p = param();
    p.grad = tensor([0.5, 0.5]) as never;
    expect(p.grad).toBeInstanceOf(Variable);
    expectError(() => { p.grad = tensor([1, 2, 3]) as never; }, ShapeError, /^Variable.grad: assigned a gradient of shape \[3\] to a Variable of shape \[2\]$/);
    expectError(() => { p.grad = tensor([1, 2], { dtype: 'float64' }) as never; }, DTypeError, /^Variable.grad: assigned a float64 gradient to a float32 Variable/);
    expectError(() => { p.grad = [1, 2] as never; }, ArgumentError, /^Variable.grad: must be null, a Variable or a Tensor, got \[1,2\]$/);
  });

  it('a Tensor passed to an optimizer instead of parameters', () => {
    expectError(() => new SGD(tensor([1, 2]) as never), ArgumentError, /^SGD: params must be an iterable .* got a Tensor of shape \[2\] \(a Tensor holds no gradient/);
    expectError(() => new SGD([tensor([1, 2])] as never), ArgumentError, /^SGD.addParamGroup: a parameter group must be an object with a params field, got a Tensor of shape \[2\] \(a Tensor holds no gradient/);
  });
});

describe('pattern 6: absurd sizes name the op and the size', () => {
  it('creation, ranges and matmul', () => {
    expectError(() => zeros([1e6, 1e6]), ArgumentError, /^zeros: shape \[1000000,1000000\] has 1000000000000 elements, more than the 2147483647 a tensor can hold$/);
    expectError(() => arange(0, 1e12), ArgumentError, /^arange: shape \[1000000000000\] has 1000000000000 elements/);
    expectError(() => zeros([1e5, 1]).matmul(zeros([1, 1e5])), ArgumentError, /^matmul: shape \[100000,100000\] has 10000000000 elements/);
    expectError(() => zeros([2 ** 60]), ArgumentError, /^zeros: size \[1152921504606847000\] has an invalid size/);
  });

  it('slice bounds must be integers (NaN is not clamped into a shape)', () => {
    expectError(() => zeros(4).slice(0, 0, NaN), ArgumentError, /^slice: stop must be an integer, got NaN$/);
    expectError(() => zeros(4).slice(0, 1.5), ArgumentError, /^slice: start must be an integer, got 1.5$/);
    expect(zeros(4).slice(0, -Infinity, Infinity).shape).toEqual([4]);
  });

  it('a dim that is neither a number nor an array', () => {
    expectError(() => zeros(2, 3).sum(null as never), ArgumentError, /^sum: dim must be an integer or an array of them, got null$/);
    expectError(() => zeros(2, 3).sum(5), IndexError, /^sum: dim 5 is out of range/);
  });
});

describe('pattern 9: autograd corner cases as PyTorch', () => {
  it('gradcheck with no input that requires grad raises', () => {
    expectError(() => gradcheck((x) => x.mul(2), [variable(ones([2], { dtype: 'float64' }))]), ArgumentError,
      /^gradcheck: expects at least one input to require grad, but none of the 1 inputs does$/);
  });

  it('an int32 gradient for a float32 output gives a float32 .grad', () => {
    const x = variable(tensor([1, 2, 3]), { requiresGrad: true });
    x.mul(2).backward(tensor([1, 1, 1], { dtype: 'int32' }));
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.data.toArray()).toEqual([2, 2, 2]);
    expectError(() => x.mul(2).backward(tensor([true, false, true])), DTypeError, /^backward: gradOutput is a bool tensor/);
  });
});
