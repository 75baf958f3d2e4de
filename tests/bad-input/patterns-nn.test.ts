// Issue-13 patterns 1, 3 and 5 in nn: layers validate in their constructors, unknown option names are
// rejected, state dicts and module calls from outside are checked.
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@minigrad/tensor';
import { variable, type Variable } from '@minigrad/autograd';
import { AvgPool2d, BatchNorm2d, Conv2d, Embedding, GroupNorm, InstanceNorm2d, LayerNorm, Linear, MaxPool2d, Module, Sequential } from '@minigrad/nn';
import { expectError } from './helpers.js';

describe('pattern 1: layer constructors validate their arguments and name the layer', () => {
  it('sizes are positive integers', () => {
    expectError(() => new Conv2d(-3, 16, 3), ArgumentError, /^Conv2d: inChannels must be a positive integer, got -3$/);
    expectError(() => new Linear(-1, 5), ArgumentError, /^Linear: inFeatures must be a positive integer, got -1$/);
    expectError(() => new Linear(10, 2.5), ArgumentError, /^Linear: outFeatures must be a positive integer, got 2.5$/);
    expectError(() => new Embedding(-1, 3), ArgumentError, /^Embedding: numEmbeddings must be a positive integer, got -1$/);
  });

  it('kernel size, stride and padding are checked before the first forward', () => {
    expectError(() => new Conv2d(3, 16, 0), ArgumentError, /^Conv2d: kernelSize must be an integer >= 1 or a pair of them, got 0$/);
    expectError(() => new Conv2d(3, 16, 3, { stride: 0 }), ArgumentError, /^Conv2d: stride must be an integer >= 1/);
    expectError(() => new Conv2d(3, 16, 3, { padding: -1 }), ArgumentError, /^Conv2d: padding must be an integer >= 0/);
    expectError(() => new MaxPool2d(2, { stride: 1.5 }), ArgumentError, /^MaxPool2d: stride must be an integer >= 1/);
  });

  it('norm options: momentum and eps by type, for every normalization', () => {
    expectError(() => new BatchNorm2d(4, { momentum: '0.1' as never }), ArgumentError, /^BatchNorm2d: momentum must be a finite number >= 0 and <= 1, got "0.1"$/);
    expectError(() => new GroupNorm(2, 4, { eps: -1e-5 }), ArgumentError, /^GroupNorm: eps must be a finite number >= 0, got -0.00001$/);
    expectError(() => new LayerNorm(4, { eps: -1 }), ArgumentError, /^LayerNorm: eps must be a finite number >= 0, got -1$/);
    expectError(() => new InstanceNorm2d(4, { eps: NaN }), ArgumentError, /^InstanceNorm2d: eps must be a finite number >= 0, got NaN$/);
  });

  it("booleans are booleans: bias 'false' is refused, not a bias", () => {
    expectError(() => new Linear(3, 2, { bias: 'false' as never }), ArgumentError, /^Linear: bias must be a boolean, got "false"$/);
    expectError(() => new BatchNorm2d(3, { affine: 0 as never }), ArgumentError, /^BatchNorm2d: affine must be a boolean, got 0$/);
    expectError(() => new AvgPool2d(2, { countIncludePad: 'no' as never }), ArgumentError, /^AvgPool2d: countIncludePad must be a boolean/);
  });
});

describe('pattern 3: unknown option names are rejected in nn', () => {
  it("PyTorch's snake_case spellings", () => {
    expectError(() => new MaxPool2d(2, { ceil_mode: true } as never), ArgumentError, /^MaxPool2d: unknown option 'ceil_mode' \(valid options: stride, padding, dilation, ceilMode\); did you mean 'ceilMode'\?$/);
    expectError(() => new AvgPool2d(2, { count_include_pad: false } as never), ArgumentError, /^AvgPool2d: unknown option 'count_include_pad'/);
    expectError(() => new BatchNorm2d(3, { track_running_stats: false } as never), ArgumentError, /^BatchNorm2d: unknown option 'track_running_stats'/);
    expectError(() => new Conv2d(3, 4, 3, { padding_mode: 'zeros' } as never), ArgumentError, /^Conv2d: unknown option 'padding_mode'/);
    expectError(() => new LayerNorm(3, { elementwise_affine: false } as never), ArgumentError, /^LayerNorm: unknown option 'elementwise_affine'/);
    expectError(() => new Linear(3, 2).loadStateDict(new Linear(3, 2).stateDict(), { strict_mode: true } as never), ArgumentError, /^loadStateDict: unknown option 'strict_mode'/);
  });
});

describe('pattern 5: state dicts and calls from outside are checked', () => {
  it('loadStateDict(null), non-tensor values, a string for strict', () => {
    const m = new Linear(3, 2);
    expectError(() => m.loadStateDict(null as never), ArgumentError, /^loadStateDict: expects a state dict \(an object or Map of tensors\), got null$/);
    expectError(() => m.loadStateDict({ weight: [[1, 2, 3], [4, 5, 6]], bias: tensor([0, 0]) } as never), ArgumentError, /^loadStateDict: entry 'weight' must be a Tensor or a Variable, got an array of length 2$/);
    expectError(() => m.loadStateDict(m.stateDict(), { strict: 'no' as never }), ArgumentError, /^loadStateDict: strict must be a boolean/);
  });

  it('Module.call without its input, or with extra ones, names the layer and its path', () => {
    expectError(() => (new Linear(3, 2).call as () => unknown)(), ArgumentError, /^Linear\(3, 2\): call: forward takes 1 input\(s\), got none$/);
    expect(new Linear(3, 2).call(variable(tensor([[1, 2, 3]]))).shape).toEqual([1, 2]);
    const x = variable(tensor([[1, 2, 3]]));
    const model = new Sequential(new Linear(3, 3), new Linear(3, 2));
    expectError(() => (model.at(1).call as (...a: unknown[]) => unknown)(x, x), ArgumentError, /^Linear\(3, 2\): call: forward takes at most 1 input\(s\), got 2$/);
    const inner = new Linear(3, 2);
    class TwoInputs extends Module {
      fc = inner;
      override forward(a: Variable, b?: Variable): Variable {
        return (this.fc.call as (...a: unknown[]) => Variable)(a, b);
      }
    }
    // forward(a, b?) takes two: the second is optional, not extra; the child given two names its path.
    expectError(() => new TwoInputs().call(x, x), ArgumentError, /^Linear\(3, 2\) at 'fc': call: forward takes at most 1 input\(s\), got 2$/);
  });
});
