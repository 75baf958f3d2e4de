// Losses: typed errors for bad targets and options, gradcheck (float64, also non-contiguous inputs),
// double backward, and behaviour the fixtures do not pin (unbatched input, stability at large logits).
import { Variable, grad, gradcheck, gradgradcheck } from '@minigrad/autograd';
import { ArgumentError, DTypeError, IndexError, ShapeError, manualSeed, rand, randn, tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { BCEWithLogitsLoss, CrossEntropyLoss, binaryCrossEntropyWithLogits, crossEntropy, l1Loss, mseLoss, nllLoss } from '../src/loss/index.js';

const v = (shape: number[]) => new Variable(randn(shape));
const int = (data: number[]) => tensor(data, { dtype: 'int32' });

describe('loss errors', () => {
  it('class targets out of range name the value, the class count and the input shape', () => {
    expect(() => crossEntropy(v([3, 4]), int([0, 7, 1]))).toThrow(IndexError);
    expect(() => crossEntropy(v([3, 4]), int([0, 7, 1]))).toThrow('crossEntropy: target 7 is out of range for 4 classes (input [3,4])');
    expect(() => crossEntropy(v([3, 4]), int([0, -1, 1]))).toThrow('crossEntropy: target -1 is out of range');
    expect(() => nllLoss(v([3, 4]), int([0, 4, 1]))).toThrow(IndexError);
    expect(() => crossEntropy(v([3, 4]), int([0, -1, 1]), { ignoreIndex: -1 })).not.toThrow();
  });

  it('targets of the wrong dtype or shape', () => {
    expect(() => crossEntropy(v([3, 4]), tensor([1, 0, 1], { dtype: 'bool' }))).toThrow(DTypeError);
    expect(() => crossEntropy(v([3, 4]), int([0, 1]))).toThrow(
      'crossEntropy: target of shape [2] does not fit input [3,4]: expected class indices of shape [3]',
    );
    expect(() => crossEntropy(v([2, 3, 5]), int([0, 1]))).toThrow('expected class indices of shape [2,5]');
    expect(() => crossEntropy(v([3, 4]), randn([3, 5]))).toThrow(
      "crossEntropy: target has dtype float32 (shape [3,5]); class indices must be int32 (use target.int() or tensor(values, { dtype: 'int32' })) — or pass class probabilities of the input's shape [3,4]",
    );
    // float labels (tensor([0, 2, 1]) is float32): the error says how to convert them
    expect(() => crossEntropy(v([3, 4]), tensor([0, 2, 1]))).toThrow(/target has dtype float32 \(shape \[3\]\); class indices must be int32 \(use target.int\(\)/);
    expect(() => crossEntropy(v([3, 4]), tensor([0, 2, 1]).int())).not.toThrow();
    expect(() => nllLoss(v([3, 4]), randn([3]))).toThrow(
      "nllLoss: target has dtype float32 (shape [3]); class indices must be int32 (use target.int() or tensor(values, { dtype: 'int32' }))",
    );
    expect(() => mseLoss(v([3]), int([1, 2, 3]))).toThrow(DTypeError);
    expect(() => binaryCrossEntropyWithLogits(v([3, 2]), rand([3]))).toThrow(
      'binaryCrossEntropyWithLogits: target shape [3] must be the same as input shape [3,2]',
    );
    expect(() => l1Loss(v([3]), randn([4]))).toThrow(ShapeError);
  });

  it('bad options and inputs', () => {
    expect(() => crossEntropy(v([3, 4]), int([0, 1, 2]), { weight: randn([3]) })).toThrow(
      'crossEntropy: weight has shape [3], expected one value per class [4]',
    );
    expect(() => crossEntropy(v([3, 4]), int([0, 1, 2]), { reduction: 'avg' as 'mean' })).toThrow(ArgumentError);
    expect(() => crossEntropy(v([3, 4]), int([0, 1, 2]), { labelSmoothing: 1.5 })).toThrow(ArgumentError);
    expect(() => new CrossEntropyLoss({ reduction: 'all' as 'sum' })).toThrow(ArgumentError);
    expect(() => crossEntropy(new Variable(tensor(1)), int([0]))).toThrow(ShapeError);
    expect(() => crossEntropy(new Variable(int([1, 2, 3, 4]).reshape([1, 4])), int([0]))).toThrow(DTypeError);
  });
});

describe('loss behaviour', () => {
  it('an unbatched [C] input with a 0-d target is one sample', () => {
    manualSeed(1);
    const x = v([5]);
    const one = crossEntropy(x, tensor(3, { dtype: 'int32' }), { reduction: 'none' });
    expect(one.shape).toEqual([]);
    const batchedLoss = crossEntropy(new Variable(x.data.reshape([1, 5])), int([3]), { reduction: 'none' });
    expect(one.item()).toBeCloseTo(batchedLoss.toTypedArray()[0], 6);
  });

  it('an ignored element with a -inf log-probability contributes 0, not NaN', () => {
    const logp = new Variable(tensor([[-Infinity, 0], [Math.log(0.25), Math.log(0.75)]]), true);
    const loss = nllLoss(logp, int([-100, 1]));
    expect(loss.item()).toBeCloseTo(-Math.log(0.75), 6);
    loss.backward();
    expect(Array.from(logp.grad!.toTypedArray())).toEqual([0, 0, 0, -1]);
    const smoothed = crossEntropy(new Variable(tensor([[-Infinity, 1], [0, 1]])), int([-100, 0]), { labelSmoothing: 0.2 });
    expect(Number.isFinite(smoothed.item())).toBe(true);
  });

  it('binaryCrossEntropyWithLogits stays finite at large logits', () => {
    const x = new Variable(tensor([1000, -1000, 88, -88]), true);
    const loss = binaryCrossEntropyWithLogits(x, tensor([0, 1, 1, 0]), { reduction: 'none' }).toTypedArray();
    expect([loss[0], loss[1]]).toEqual([1000, 1000]);
    expect(loss[2]).toBeCloseTo(0, 30);
    expect(loss[3]).toBeCloseTo(0, 30);
    binaryCrossEntropyWithLogits(x, tensor([0, 1, 1, 0]), { reduction: 'sum' }).backward();
    const g = x.grad!.toTypedArray();
    [1, -1, 0, 0].forEach((e, i) => expect(g[i]).toBeCloseTo(e, 30));
  });

  it('BCEWithLogitsLoss keeps posWeight and weight as state-dict buffers', () => {
    const m = new BCEWithLogitsLoss({ posWeight: tensor([2, 3]), weight: tensor([1, 0.5]) });
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'pos_weight']);
    expect(m.toString()).toBe('BCEWithLogitsLoss()');
  });
});

describe('losses: gradcheck and double backward (float64)', () => {
  const f64 = { dtype: 'float64' as const };
  const classes = tensor([2, 0, -100, 1], { dtype: 'int32' });
  manualSeed(21);
  const probabilities = rand([4, 3], f64);
  const target = randn([3, 2], f64);
  const binaryTarget = rand([3, 2], f64);
  const forms: [string, number[], (x: Variable) => Variable][] = [
    ['crossEntropy weighted, smoothed, ignoring', [4, 3], (x) => crossEntropy(x, classes, { weight: tensor([0.5, 2, 1], f64), labelSmoothing: 0.1 })],
    ['crossEntropy [N,C,d] sum', [2, 3, 2], (x) => crossEntropy(x, int([0, 2, 1, 1]).reshape([2, 2]), { reduction: 'sum' })],
    ['crossEntropy probabilities', [4, 3], (x) => crossEntropy(x, probabilities, { labelSmoothing: 0.2 })],
    ['nllLoss', [4, 3], (x) => nllLoss(x, classes, { weight: tensor([0.5, 2, 1], f64) })],
    ['mseLoss', [3, 2], (x) => mseLoss(x, target)],
    ['l1Loss none', [3, 2], (x) => l1Loss(x, target, { reduction: 'none' })],
    ['bceWithLogits', [3, 2], (x) => binaryCrossEntropyWithLogits(x, binaryTarget, { posWeight: tensor([2, 0.5], f64), weight: tensor([1, 3], f64) })],
  ];
  for (const [name, shape, fn] of forms) {
    it(`${name}: gradcheck, contiguous and transposed`, () => {
      manualSeed(shape.length * 7 + shape[0]);
      expect(gradcheck(fn, [new Variable(randn(shape, f64), true)])).toBe(true);
      const swapped = [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]];
      const x = new Variable(randn(swapped, f64).transpose(-1, -2), true);
      expect(x.isContiguous()).toBe(false);
      expect(gradcheck(fn, [x])).toBe(true);
    });
    if (name !== 'l1Loss none') {
      it(`${name}: gradgradcheck`, () => {
        manualSeed(shape.length * 11 + shape[0]);
        expect(gradgradcheck(fn, [new Variable(randn(shape, f64), true)])).toBe(true);
      });
    }
  }

  it('mseLoss double backward: d2/dx2 of mean (x - t)^2 is 2/n', () => {
    const x = new Variable(tensor([1, 2, 3, 4], f64), true);
    const [g] = grad([mseLoss(x, tensor([0, 0, 0, 0], f64))], [x], { createGraph: true });
    const [h] = grad([g!.sum()], [x]);
    expect(Array.from(h!.toTypedArray())).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
});
