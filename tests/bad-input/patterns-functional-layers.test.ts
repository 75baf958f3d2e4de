// Issue-13 patterns 2, 3 and 5 in the functional forms and the small layers: F.* options are checked by
// name and type like the layers' (PyTorch's snake_case is refused with the valid names listed), operands
// must be Variables, and a layer adds its name and path to the error of the op it calls instead of
// checking the input itself.
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor, ones } from '@minigrad/tensor';
import { variable } from '@minigrad/autograd';
import { Conv2d, Dropout, F, LeakyReLU, ReLU, Sequential, Softplus, Softmax } from '@minigrad/nn';
import { expectError } from './helpers.js';

const x = () => variable(tensor([[1, -2], [3, 4]]), { requiresGrad: true });
const img = () => variable(ones([1, 1, 4, 4]));

describe('pattern 3: F.* rejects unknown option names, listing the valid ones', () => {
  it('losses', () => {
    const y = tensor([0, 1], { dtype: 'int32' });
    expectError(() => F.crossEntropy(x(), y, { label_smoothing: 0.1 } as never), ArgumentError,
      /^crossEntropy: unknown option 'label_smoothing' \(valid options: weight, ignoreIndex, reduction, labelSmoothing\); did you mean 'labelSmoothing'\?$/);
    expectError(() => F.nllLoss(x(), y, { ignore_index: 1 } as never), ArgumentError, /^nllLoss: unknown option 'ignore_index'/);
    expectError(() => F.mseLoss(x(), tensor([[0, 0], [0, 0]]), { size_average: false } as never), ArgumentError, /^mseLoss: unknown option 'size_average' \(valid options: reduction\); did you mean 'reduction'\? \(PyTorch's deprecated size_average and reduce are reduction: 'mean', 'sum' or 'none'\)$/);
    expectError(() => F.binaryCrossEntropyWithLogits(x(), tensor([[0, 1], [1, 0]]), { pos_weight: null } as never), ArgumentError, /^binaryCrossEntropyWithLogits: unknown option 'pos_weight'/);
  });

  it('pooling, dropout, normalization and activations', () => {
    expectError(() => F.maxPool2d(img(), 2, { ceil_mode: true } as never), ArgumentError, /^maxPool2d: unknown option 'ceil_mode'/);
    expectError(() => F.avgPool2d(img(), { kernelSize: 2, count_include_pad: false } as never), ArgumentError, /^avgPool2d: unknown option 'count_include_pad'/);
    expectError(() => F.dropout(x(), { p: 0.5, inplace: true } as never), ArgumentError, /^dropout: unknown option 'inplace' \(valid options: p, training, generator\)$/);
    expectError(() => F.layerNorm(x(), [2], { epsilon: 1e-3 } as never), ArgumentError, /^layerNorm: unknown option 'epsilon' \(valid options: weight, bias, eps\); did you mean 'eps'\?$/);
    expectError(() => F.leakyRelu(x(), { negative_slope: 0.2 } as never), ArgumentError, /^leakyRelu: unknown option 'negative_slope' \(valid options: negativeSlope\); did you mean 'negativeSlope'\?$/);
    expectError(() => F.softplus(x(), { beta: 1, Threshold: 5 } as never), ArgumentError, /^softplus: unknown option 'Threshold'/);
  });
});

describe('pattern 2: F.* and the small layers check types, not just comparisons', () => {
  it('operands must be Variables or Tensors, options of their type', () => {
    expectError(() => F.relu([1, 2] as never), ArgumentError, /^relu: input must be a Variable or a Tensor, got \[1,2\]$/);
    expectError(() => F.linear(x(), null as never), ArgumentError, /^linear: weight must be a Variable or a Tensor, got null$/);
    expectError(() => F.dropout(x(), { p: 0.5, training: 'false' } as never), ArgumentError, /^dropout: training must be a boolean, got "false"$/);
    expectError(() => F.batchNorm(img(), null, null, { training: true, eps: -1 }), ArgumentError, /^batchNorm: eps must be a finite number >= 0, got -1$/);
    expectError(() => F.crossEntropy(x(), tensor([0, 1], { dtype: 'int32' }), { labelSmoothing: '0.1' } as never), ArgumentError, /^crossEntropy: labelSmoothing must be a finite number >= 0 and <= 1, got "0.1"$/);
  });

  it('activation and dropout layers validate in their constructors', () => {
    expectError(() => new LeakyReLU({ negative_slope: 0.1 } as never), ArgumentError, /^LeakyReLU: unknown option 'negative_slope' \(valid options: negativeSlope\); did you mean 'negativeSlope'\?$/);
    expectError(() => new LeakyReLU('0.1' as never), ArgumentError, /^LeakyReLU: options must be an object, got "0.1"$/);
    expectError(() => new Softplus(Infinity), ArgumentError, /^Softplus: beta must be a finite number, got Infinity$/);
    expectError(() => new Softmax({ axis: 1 } as never), ArgumentError, /^Softmax: unknown option 'axis' \(valid options: dim\); did you mean 'dim'\?$/);
    expectError(() => new Dropout({ p: 0.2, inplace: true } as never), ArgumentError, /^Dropout: unknown option 'inplace' \(valid options: p, generator\)$/);
    expectError(() => new Dropout(0.2, { generator: 42 } as never), ArgumentError, /^Dropout: generator must be a Generator, got 42$/);
  });
});

describe('pattern 5: the op checks the input once; the layer adds its name and path', () => {
  it("a conv layer's shape error is the op's, prefixed with the layer and its place in the model", () => {
    const model = new Sequential(new Conv2d(3, 16, 3), new ReLU());
    const e = expectError(() => model.call(img()), ShapeError,
      /^Conv2d\(3, 16\) at '0': conv2d: input has 1 channels but weight expects 3 \(input \[1,1,4,4\], weight \[16,3,3,3\]\)$/);
    expect(e.op).toBe('conv2d');
    // Garbage reaches the op's own check, with the layer named, not a TypeError from inside the layer.
    expectError(() => model.call('image' as never), ArgumentError, /^Conv2d\(3, 16\) at '0': conv2d: input must be a Variable or a Tensor, got "image"$/);
  });
});
