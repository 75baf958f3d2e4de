// The functional forms in float64: finite-difference gradcheck, and gradgradcheck where nn defines the op.
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, IndexError, ShapeError, randn, tensor } from '@minigrad/tensor';
import type { Tensor } from '@minigrad/tensor';
import { Variable, gradcheck, gradgradcheck } from '@minigrad/autograd';
import { Conv2d, ConvTranspose2d, Dropout, F } from '../src/index.js';

const gen = new Generator(11);
const r = (...shape: number[]): Variable => new Variable(randn(shape, { dtype: 'float64', generator: gen }), true);
const c = (t: Tensor): Variable => new Variable(t);

describe('gradcheck of F', () => {
  it('linear and bilinear (with and without bias, batched leading dims)', () => {
    expect(gradcheck((x, w, b) => F.linear(x, w, b), [r(2, 3, 4), r(5, 4), r(5)])).toBe(true);
    expect(gradcheck((x, w) => F.linear(x, w), [r(3, 4), r(2, 4)])).toBe(true);
    expect(gradcheck((a, b, w, bias) => F.bilinear(a, b, w, bias), [r(2, 3), r(2, 4), r(5, 3, 4), r(5)])).toBe(true);
    expect(gradgradcheck((x, w, b) => F.linear(x, w, b), [r(3, 4), r(2, 4), r(2)])).toBe(true);
  });

  it('conv2d and convTranspose2d (stride, padding incl. same, dilation, groups, bias), and their double backward', () => {
    expect(gradcheck((x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }), [r(2, 2, 5, 5), r(3, 2, 3, 3), r(3)])).toBe(true);
    expect(gradcheck((x, w) => F.conv2d(x, w, null, { padding: 'same', dilation: 2, groups: 2 }), [r(1, 4, 5, 6), r(2, 2, 2, 3)])).toBe(true);
    expect(gradcheck((x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [r(1, 2, 3, 3), r(2, 3, 3, 3), r(3)])).toBe(true);
    expect(gradgradcheck((x, w) => F.conv2d(x, w, null, { padding: 1 }), [r(1, 2, 4, 4), r(2, 2, 3, 3)])).toBe(true);
  });

  it('pooling, and its double backward', () => {
    expect(gradcheck((x) => F.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), [r(2, 2, 5, 6)])).toBe(true);
    expect(gradcheck((x) => F.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [r(1, 2, 6, 5)])).toBe(true);
    expect(gradcheck((x) => F.adaptiveAvgPool2d(x, [3, 2]), [r(2, 1, 7, 5)])).toBe(true);
    expect(gradgradcheck((x) => F.avgPool2d(x, { kernelSize: 2 }).square(), [r(1, 1, 4, 4)])).toBe(true);
    expect(gradgradcheck((x) => F.maxPool2d(x, { kernelSize: 2 }).square(), [r(1, 1, 4, 4)])).toBe(true);
    const { values, indices } = F.maxPool2dWithIndices(r(1, 1, 4, 4), { kernelSize: 2 });
    expect(values.shape).toEqual([1, 1, 2, 2]);
    expect(indices.dtype).toBe('int32');
  });

  it('activations', () => {
    const fns: [string, (x: Variable) => Variable][] = [
      ['relu', F.relu], ['leakyRelu', (x) => F.leakyRelu(x, 0.3)], ['gelu', (x) => F.gelu(x)],
      ['gelu tanh', (x) => F.gelu(x, { approximate: 'tanh' })], ['silu', F.silu], ['sigmoid', F.sigmoid], ['tanh', F.tanh],
      ['softplus', (x) => F.softplus(x, { beta: 2, threshold: 4 })], ['softmax', (x) => F.softmax(x, 1)],
      ['logSoftmax', (x) => F.logSoftmax(x, -1)],
    ];
    for (const [name, fn] of fns) expect(gradcheck(fn, [r(3, 5)], { name })).toBe(true);
  });

  it('embedding: gradient accumulates on repeated indices, none for paddingIdx', () => {
    const idx = tensor([[1, 2, 2], [0, 1, 2]], { dtype: 'int32' });
    expect(gradcheck((w) => F.embedding(idx, w), [r(4, 3)])).toBe(true);
    expect(gradgradcheck((w) => F.embedding(idx, w).square(), [r(4, 3)])).toBe(true);
    const w = r(4, 3);
    F.embedding(idx, w, { paddingIdx: 2 }).sum().backward();
    // row i receives one gradient of ones per occurrence of i (row 2 is padding)
    expect(w.grad!.toArray()).toEqual([[1, 1, 1], [2, 2, 2], [0, 0, 0], [0, 0, 0]]);
    expect(() => F.embedding(tensor([4], { dtype: 'int32' }), w)).toThrow(IndexError);
    // indices that are a view with an offset into their storage
    const view = tensor([[9, 9], [3, 0]], { dtype: 'int32' }).select(0, 1);
    expect(F.embedding(view, w).toArray()).toEqual(w.data.indexSelect(0, tensor([3, 0], { dtype: 'int32' })).toArray());
    expect(() => F.embedding(tensor([1.5]), w)).toThrow(/^embedding: indices has dtype float32 \(shape \[1\]\); indices must be int32 \(use indices.int\(\)/);
  });

  it('dropout: gradcheck with a fixed mask, scaling and statistics', () => {
    expect(gradcheck((x) => F.dropout(x, { p: 0.4, generator: new Generator(3) }), [r(4, 6)])).toBe(true);
    const x = c(tensor(new Array(20000).fill(1), { dtype: 'float64' }));
    const y = F.dropout(x, { p: 0.25, generator: new Generator(9) }).data.toTypedArray();
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([1 / 0.75]));
    expect(kept.length / y.length).toBeCloseTo(0.75, 1);
    expect(F.dropout(x, { p: 0.5, training: false })).toBe(x);
    expect(F.dropout(x, { p: 1 }).data.toTypedArray().every((v) => v === 0)).toBe(true);
    expect(() => F.dropout(x, { p: 1.5 })).toThrow(ArgumentError);
  });
});

describe('layers in float64 (module.double())', () => {
  it('pass gradcheck with respect to the input and the parameters', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, stride: 2 }).double();
    const w = conv.weight;
    expect(gradcheck((x) => conv.call(x), [r(1, 2, 5, 5)])).toBe(true);
    const x = r(1, 2, 5, 5).detach();
    expect(gradcheck((weight, bias) => F.conv2d(x, weight, bias, { padding: 1, stride: 2 }), [w, conv.bias!])).toBe(true);
    const t = new ConvTranspose2d(2, 2, 3, { stride: 2 }).double();
    expect(gradcheck((x) => t.call(x), [r(1, 2, 3, 3)])).toBe(true);
  });
});

describe('PyTorch-style positional arguments', () => {
  it('give the same results as the options objects', () => {
    const x = r(2, 3, 6, 6);
    expect(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).toArray()).toEqual(F.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }).toArray());
    expect(F.avgPool2d(x, [2, 3]).toArray()).toEqual(F.avgPool2d(x, { kernelSize: [2, 3] }).toArray());
    expect(F.maxPool2dWithIndices(x, 2).indices.toArray()).toEqual(F.maxPool2dWithIndices(x, { kernelSize: 2 }).indices.toArray());
    expect(F.leakyRelu(x, { negativeSlope: 0.3 }).toArray()).toEqual(F.leakyRelu(x, 0.3).toArray());
    expect(F.gelu(x, 'tanh').toArray()).toEqual(F.gelu(x, { approximate: 'tanh' }).toArray());
    expect(F.softplus(x, 2, 3).toArray()).toEqual(F.softplus(x, { beta: 2, threshold: 3 }).toArray());
    expect(F.dropout(x, 0.5, false)).toBe(x);
    expect(F.dropout(x, 0.3).data.toTypedArray().some((v) => v === 0)).toBe(true);
    expect(new Dropout({ p: 0.2 }).p).toBe(0.2);
  });
});

describe('Dropout module', () => {
  it('drops in training, is the identity in eval, and repeats with the same seed', () => {
    const x = c(randn([8, 8], { generator: gen }));
    const a = new Dropout(0.5, { generator: new Generator(1) });
    const b = new Dropout(0.5, { generator: new Generator(1) });
    expect(a.call(x).toArray()).toEqual(b.call(x).toArray());
    expect(a.call(x).toArray()).not.toEqual(x.toArray());
    a.eval();
    expect(a.call(x)).toBe(x);
    expect(a.toString()).toBe('Dropout(p=0.5, inplace=False)');
  });
});

describe('F shape errors name the op and the shapes', () => {
  it('linear, conv, pooling', () => {
    expect(() => F.linear(r(2, 3), r(4, 5))).toThrow(ShapeError);
    expect(() => F.linear(r(2, 3), r(4, 5))).toThrow('linear: input [2,3] does not end in 5 features (weight [4,5])');
    expect(() => F.conv2d(r(1, 3, 4, 4), r(2, 2, 3, 3))).toThrow('conv2d: input has 3 channels but weight expects 2 (input [1,3,4,4], weight [2,2,3,3])');
    expect(() => F.conv2d(r(3, 4), r(2, 3, 3, 3))).toThrow(ShapeError);
    expect(() => F.convTranspose2d(r(1, 3, 4, 4), r(2, 2, 3, 3))).toThrow(ShapeError);
    expect(() => F.maxPool2d(r(4, 4), { kernelSize: 2 })).toThrow('maxPool2d: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape [4,4]');
  });
});
