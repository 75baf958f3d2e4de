// A PyTorch user's first script, written as they would: plain tensors into layers, tensors and Variables mixed
// in any order, losses with Tensor targets and inputs, a gradient assigned by hand. new-user.test.ts runs it and
// checks what it returns; types.test.ts compiles it against the built typings, so each `: Variable` below is a
// claim about the types (and each @ts-expect-error one that TypeScript still refuses).
import * as T from '@minigrad/tensor';
import {
  BatchNorm2d, Conv2d, F, Flatten, GroupNorm, Linear, MaxPool2d, ReLU, Sequential, Tensor, Variable, cat, manualSeed, matmul, maximum,
  randint, randn, stack, tensor, where, zeros,
} from '@minigrad/nn';

export function newUserScript() {
  manualSeed(0);
  // Plain tensors straight into layers (PyTorch: nn.Linear(4, 2)(torch.randn(3, 4))).
  const x = T.randn([3, 4]);
  const lin = new Linear(4, 2);
  const y: Variable = lin.call(x);
  const img = T.randn([2, 3, 6, 6]);
  const conv = new Conv2d(3, 4, 3, { padding: 1 });
  const features: Variable = new Sequential(conv, new BatchNorm2d(4), new ReLU(), new GroupNorm(2, 4), new MaxPool2d(2), new Flatten()).call(img);

  // Mixed operands, both orders, methods and free functions: the Variable side gets the gradient.
  const w = randn([4, 2], { requiresGrad: true }); // nn's creation functions take requiresGrad
  const t = T.ones([4, 2]);
  const sum1: Variable = t.add(w);
  const sum2: Variable = w.add(t);
  const prod: Variable = T.matmul(x, w);
  const prod2: Variable = matmul(x, w);
  const chosen: Variable = T.where(t.gt(0), w, t);
  const joined: Variable = T.cat([t, w]);
  const stacked: Variable = stack([w, t]);
  const joined2: Variable = cat([w, t], 1);
  const larger: Variable = maximum(t, w);
  const masked: Variable = where(w.gt(0), w, 0);
  const pooled: Variable = T.maxPool2d(conv.weight, { kernelSize: 2 }).values;
  const total = sum1.sum().add(sum2.sum()).add(prod.sum()).add(prod2.sum()).add(chosen.sum()).add(joined.sum())
    .add(stacked.sum()).add(joined2.sum()).add(larger.sum()).add(masked.sum()).add(pooled.sum());
  total.backward();

  // Losses with Tensor inputs and targets.
  const target = randint(0, 2, [3], { dtype: 'int32' });
  const ceOfTensor: Variable = F.crossEntropy(x.matmul(T.ones([4, 2])), target);
  const loss: Variable = F.crossEntropy(y, target).add(F.mseLoss(y, T.zeros([3, 2]))).add(features.mean());
  loss.backward();

  // A gradient assigned by hand, as a plain tensor.
  lin.bias!.grad = T.full([2], 0.5);

  // What TypeScript still refuses: a layer's output is a Variable, not a Tensor.
  // @ts-expect-error a Variable is not a Tensor
  const notATensor: Tensor = lin.call(x);

  return { y, features, w, total, ceOfTensor, loss, lin, conv, notATensor, plainT: t, zerosOf: zeros([2]), fromData: tensor([1, 2]) };
}
