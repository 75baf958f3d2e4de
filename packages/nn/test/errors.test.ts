// Bad input to layers: a typed error that names the layer (with its dotted name once known) and the shapes.
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, IndexError, ShapeError, randn, tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import {
  AvgPool2d, Conv2d, ConvTranspose2d, Dropout, Embedding, GELU, Linear, MaxPool2d, Module, ReLU, Sequential, Softmax, Unflatten,
} from '../src/index.js';

const v = (...shape: number[]) => new Variable(randn(shape));

class Net extends Module {
  declare features: Sequential;
  declare fc: Linear;
  constructor() {
    super();
    this.features = new Sequential(new Conv2d(3, 16, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2));
    this.fc = new Linear(4, 2);
  }
  override forward(x: Variable): Variable {
    return this.fc.call(this.features.call(x).flatten(1));
  }
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('layer input errors', () => {
  it('Conv2d given the wrong channel count names its dotted name and both channel counts', () => {
    const e = thrown(() => new Net().call(v(2, 1, 28, 28)));
    expect(e).toBeInstanceOf(ShapeError);
    // The op checks the shapes; the layer adds its signature and its path in the model.
    expect(e.message).toBe("Conv2d(3, 16) at 'features.0': conv2d: input has 1 channels but weight expects 3 (input [2,1,28,28], weight [16,3,3,3])");
  });

  it('a layer called on its own has no dotted name, only its signature', () => {
    expect(() => new Conv2d(3, 16, 3).call(v(2, 1, 8, 8))).toThrow(/^Conv2d\(3, 16\): conv2d: input has 1 channels but weight expects 3 \(input \[2,1,8,8\], weight \[16,3,3,3\]\)$/);
    expect(() => new Conv2d(3, 16, 3).call(v(8, 8))).toThrow(ShapeError);
    expect(() => new ConvTranspose2d(4, 2, 3).call(v(1, 3, 5, 5))).toThrow('ConvTranspose2d(4, 2): convTranspose2d: input has 3 channels but weight expects 4 (input [1,3,5,5], weight [4,2,3,3])');
  });

  it('Linear with the wrong number of features', () => {
    const e = thrown(() => new Net().call(v(1, 3, 4, 4)));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("Linear(4, 2) at 'fc': linear: input [1,64] does not end in 4 features (weight [2,4])");
  });

  it('ConvTranspose2d outputSize outside the reachable range', () => {
    const t = new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 });
    expect(t.call(v(1, 2, 4, 4), [8, 7]).shape).toEqual([1, 3, 8, 7]);
    expect(() => t.call(v(1, 2, 4, 4), [9, 7])).toThrow(
      'ConvTranspose2d(2, 3): requested an output size of (9, 7), but valid sizes range from (7) to (8) in dim 0 for input [1,2,4,4]',
    );
  });

  it('pooling layers need a 3-d or 4-d input', () => {
    expect(() => new MaxPool2d(2).call(v(4, 4))).toThrow('MaxPool2d(2): maxPool2d: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape [4,4]');
    expect(() => new AvgPool2d([2, 3]).call(v(2, 2, 2, 2, 2))).toThrow(ShapeError);
  });

  it('Embedding indices out of range or not int32', () => {
    const e = new Embedding(5, 2);
    expect(() => e.call(tensor([[1, 5]], { dtype: 'int32' }))).toThrow(IndexError);
    expect(() => e.call(tensor([[1, 5]], { dtype: 'int32' }))).toThrow('Embedding(5, 2): embedding: index 5 is out of range for 5 embeddings (indices [1,2])');
    expect(() => e.call(tensor([0.5]))).toThrow(DTypeError);
  });

  it('Unflatten sizes that do not multiply to the dim', () => {
    expect(() => new Unflatten(1, [4, -1]).call(v(2, 6))).toThrow(ShapeError);
    expect(() => new Unflatten(1, [2, 2]).call(v(2, 6))).toThrow('Unflatten(1, (2, 2)): sizes (2, 2) do not multiply to 6 (input [2,6])');
    expect(() => new Unflatten(3, [2, 3]).call(v(2, 6))).toThrow(IndexError);
  });
});

describe('constructor errors', () => {
  it('Conv2d: channels not divisible by groups, strided same padding, unknown padding', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow('Conv2d: in_channels 3 is not divisible by groups 2');
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(ArgumentError);
    expect(() => new Conv2d(4, 4, 3, { padding: 'same', stride: 2 })).toThrow(/'same' is not supported for strided/);
    expect(() => new Conv2d(4, 4, 3, { padding: 'full' as 'same' })).toThrow(ArgumentError);
  });

  it('ConvTranspose2d: outputPadding must be smaller than stride or dilation', () => {
    expect(() => new ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(ArgumentError);
    expect(() => new ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 1 })).not.toThrow();
  });

  it('activation and dropout options', () => {
    expect(() => new Softmax(undefined as unknown as number)).toThrow(/needs the dim/);
    expect(() => new GELU('fast' as 'tanh')).toThrow(ArgumentError);
    expect(() => new Dropout(-0.1)).toThrow('Dropout: dropout probability has to be between 0 and 1, but got -0.1');
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow(ArgumentError);
  });
});
