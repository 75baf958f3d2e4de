// One tensor to pass around: plain Tensors and Variables mix in layers, F.*, losses and free functions.
import * as T from '@minigrad/tensor';
import { ArgumentError, DTypeError, ShapeError } from '@minigrad/tensor';
import * as A from '@minigrad/autograd';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d, Conv2d, CrossEntropyLoss, Embedding, F, GroupNorm, InstanceNorm2d, LayerNorm, Linear, Module, Parameter, Sequential, Variable,
  loadSafetensors, saveSafetensors, zeros,
} from '../src/index.js';
import { newUserScript } from './new-user-script.js';

describe("a PyTorch user's script", () => {
  it('runs: plain tensors into layers, mixed operands, Tensor targets and inputs, a hand-set gradient', () => {
    const r = newUserScript();
    expect(r.y).toBeInstanceOf(Variable);
    expect(r.y.shape).toEqual([3, 2]);
    expect(r.features.shape).toEqual([2, 36]);
    expect(r.total.requiresGrad).toBe(true);
    // d total / d w: 1 (t + w) + 1 (w + t) + column sums of x twice (two matmuls) + 1 (where, all of t > 0 picks w)
    // + 1 (cat) + 1 (stack) + 1 (cat) + [w > 1] (maximum with ones) + [w > 0] (where with 0)
    const x = r.y.data; // only for its shape; the expected gradient is rebuilt from the script's x below
    expect(x.shape).toEqual([3, 2]);
    const wv = r.w.data;
    T.manualSeed(0);
    const xs = T.randn([3, 4]);
    const colSums = xs.sum(0).reshape([4, 1]).expand([4, 2]);
    const expected = T.full([4, 2], 6).add(colSums.mul(2)).add(wv.gt(1).to('float32')).add(wv.gt(0).to('float32'));
    expect(r.w.grad!.sub(expected).abs().amax().item()).toBeLessThan(1e-5);
    expect(r.ceOfTensor.requiresGrad).toBe(false);
    expect(r.loss.requiresGrad).toBe(true);
    expect(r.lin.weight.grad!.shape).toEqual([2, 4]);
    expect(r.conv.weight.grad!.shape).toEqual([4, 3, 3, 3]);
    expect(r.lin.bias!.grad).toBeInstanceOf(Variable);
    expect(r.lin.bias!.grad!.toArray()).toEqual([0.5, 0.5]);
    expect(r.plainT).toBeInstanceOf(T.Tensor);
    expect(r.zerosOf).toBeInstanceOf(Variable);
    expect(r.notATensor).toBeInstanceOf(Variable);
  });
});

describe('layers take plain Tensors', () => {
  it.each([
    ['Linear', () => new Linear(4, 2), [3, 4]],
    ['Conv2d', () => new Conv2d(2, 3, 3), [1, 2, 5, 5]],
    ['BatchNorm2d', () => new BatchNorm2d(2), [2, 2, 3, 3]],
    ['GroupNorm', () => new GroupNorm(1, 2), [2, 2, 3, 3]],
    ['InstanceNorm2d', () => new InstanceNorm2d(2, { affine: true }), [2, 2, 3, 3]],
    ['LayerNorm', () => new LayerNorm([3]), [2, 3]],
  ] as const)('%s: the same output as from a Variable, and the parameters get gradients', (_, make, shape) => {
    T.manualSeed(1);
    const x = T.randn([...shape]);
    T.manualSeed(2);
    const a = make();
    T.manualSeed(2);
    const b = make();
    const fromTensor = a.call(x);
    const fromVariable = b.call(new Variable(x));
    expect(fromTensor).toBeInstanceOf(Variable);
    expect(fromTensor.toArray()).toEqual(fromVariable.toArray());
    fromTensor.sum().backward();
    for (const p of a.parameters()) expect(p.grad).not.toBeNull();
  });

  it('BatchNorm updates its running statistics from a Tensor input', () => {
    const bn = new BatchNorm2d(2);
    bn.call(T.ones([2, 2, 2, 2]));
    expect(bn.runningMean!.toArray()).toEqual([0.1, 0.1].map((v) => Math.fround(v)));
  });

  it('Embedding takes Tensor indices and a Tensor weight in F.embedding', () => {
    const emb = new Embedding(5, 3);
    expect(emb.call(T.tensor([1, 4], { dtype: 'int32' })).shape).toEqual([2, 3]);
    expect(F.embedding(T.tensor([0], { dtype: 'int32' }), T.eye(2)).toArray()).toEqual([[1, 0]]);
  });
});

describe('F and losses take plain Tensors', () => {
  it('F.* with a Tensor input returns a Variable (a constant unless a weight requires grad)', () => {
    const x = T.tensor([[-1, 2]]);
    expect(F.relu(x)).toBeInstanceOf(Variable);
    expect(F.relu(x).toArray()).toEqual([[0, 2]]);
    const w = new Parameter(T.ones([3, 2]));
    const y = F.linear(x, w, T.zeros([3]));
    expect(y.requiresGrad).toBe(true);
    y.sum().backward();
    expect(w.grad!.toArray()).toEqual([[-1, 2], [-1, 2], [-1, 2]]);
    expect(F.conv2d(T.ones([1, 1, 3, 3]), T.ones([1, 1, 2, 2])).toArray()).toEqual([[[[4, 4], [4, 4]]]]);
    expect(F.maxPool2d(T.ones([1, 1, 2, 2]), 2).toArray()).toEqual([[[[1]]]]);
    expect(F.groupNorm(T.ones([2, 2, 2]), 1).requiresGrad).toBe(false);
  });

  it('F.crossEntropy takes a Tensor input; with a Variable input the gradient reaches it', () => {
    const logits = T.tensor([[1, 2, 3], [1, 1, 1]], { dtype: 'float64' });
    const target = T.tensor([2, 0], { dtype: 'int32' });
    const plain = F.crossEntropy(logits, target);
    const v = A.variable(logits, { requiresGrad: true });
    const recorded = new CrossEntropyLoss().call(v, target);
    expect(plain.item()).toBeCloseTo(recorded.item(), 12);
    recorded.backward();
    expect(v.grad!.shape).toEqual([2, 3]);
    expect(F.mseLoss(T.ones([2]), v.select(0, 0).narrow(0, 0, 2)).requiresGrad).toBe(true);
    expect(F.binaryCrossEntropyWithLogits(T.zeros([2]), T.ones([2])).item()).toBeCloseTo(Math.log(2), 6);
  });

  it('anything else is refused, naming the function and the argument', () => {
    expect(() => F.relu('x' as never)).toThrow(new ArgumentError('relu', 'input must be a Variable or a Tensor, got "x"'));
    expect(() => new Linear(2, 1).call({ shape: [1, 2] } as never)).toThrow(/^Linear\(.*\): linear: input must be a Variable or a Tensor, got an object$/);
    expect(() => F.crossEntropy(null as never, T.tensor([0], { dtype: 'int32' }))).toThrow(/^crossEntropy: input must be a Variable or a Tensor, got null$/);
  });
});

describe('p.grad = someTensor', () => {
  it('is wrapped as a Variable (optim/test/grad-assignment.test.ts steps with it)', () => {
    const lin = new Linear(2, 1, { bias: false });
    lin.weight.grad = T.ones([1, 2]);
    expect(lin.weight.grad).toBeInstanceOf(Variable);
    expect(lin.weight.grad!.toArray()).toEqual([[1, 1]]);
  });

  it('is refused at assignment when its shape, dtype or type is wrong', () => {
    const p = new Parameter(T.zeros([2, 3]));
    expect(() => { p.grad = T.zeros([3]); }).toThrow(ShapeError);
    expect(() => { p.grad = T.zeros([2, 3], { dtype: 'float64' }); }).toThrow(DTypeError);
    expect(() => { p.grad = [1, 2] as never; }).toThrow(new ArgumentError('Variable.grad', 'must be null, a Variable or a Tensor, got [1,2]'));
  });
});

describe('buffers from nn\'s creation functions', () => {
  it('registerBuffer stores a Variable that does not require grad as its tensor, and refuses one that does', () => {
    const m = new Module();
    const mask = zeros([3]);
    m.registerBuffer('mask', mask);
    expect((m as unknown as { mask: unknown }).mask).toBe(mask.data);
    expect([...m.buffers()]).toEqual([mask.data]);
    expect(() => m.registerBuffer('w', zeros([3], { requiresGrad: true }))).toThrow(
      new ArgumentError('registerBuffer', "'w' requires grad, and a buffer holds no gradient (assign a Parameter, or register x.detach())"),
    );
  });
});

describe('state dicts with Tensors', () => {
  it('loadStateDict takes plain Tensors and safetensors round-trips them', () => {
    const a = new Sequential(new Linear(2, 2));
    const sd = { '0.weight': T.eye(2), '0.bias': T.zeros([2]) };
    a.loadStateDict(sd);
    expect(a.call(T.tensor([[3, 4]])).toArray()).toEqual([[3, 4]]);
    const b = new Sequential(new Linear(2, 2));
    b.loadStateDict(loadSafetensors(saveSafetensors(a.stateDict())));
    expect(b.call(T.tensor([[5, 6]])).toArray()).toEqual([[5, 6]]);
  });
});
