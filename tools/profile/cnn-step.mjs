// The bench's CNN+GroupNorm training step (apps/bench/src/cnn-step.ts) built from the packages of any checkout,
// for the profiling tools that compare checkouts (step-profile, step-memory, train-step): conv 1->32,
// GroupNorm(groups), ReLU, maxpool, conv 32->64, GroupNorm, ReLU, maxpool, linear 3136->128, ReLU, linear
// 128->10, cross-entropy, SGD (lr 0.01), on one fixed random batch.
import { pathToFileURL } from 'node:url';

/** The four packages of the checkout at `root` (its packages/*\/dist must be built). */
export async function loadPackages(root) {
  const pkg = (name) => import(pathToFileURL(`${root}/packages/${name}/dist/index.js`).href);
  const [tensor, autograd, nn, optim] = await Promise.all([pkg('tensor'), pkg('autograd'), pkg('nn'), pkg('optim')]);
  return { tensor, autograd, nn, optim };
}

/**
 * A fresh model (seed 0) and its step, as a user writes it; with `tidy` the step runs inside tidy(), with
 * `compiled` it is compile()'s (a checkout that has it).
 */
export function makeStep({ tensor, autograd, nn, optim }, { batch = 2, groups = 8, momentum = 0, tidy = false, compiled = false } = {}) {
  const { Conv2d, GroupNorm, ReLU, MaxPool2d, Flatten, Linear, Sequential, F } = nn;
  tensor.manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 32, 3, { padding: 1 }), new GroupNorm(groups, 32), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, { padding: 1 }), new GroupNorm(groups, 64), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(64 * 7 * 7, 128), new ReLU(), new Linear(128, 10),
  );
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum });
  const x = autograd.randn([batch, 1, 28, 28]);
  const target = tensor.randint(0, 10, [batch]);
  const parts = { model, optimizer, x, target, F };
  const step = () => {
    optimizer.zeroGrad();
    F.crossEntropy(model.call(x), target).backward();
    optimizer.step();
  };
  if (compiled) return { step: tensor.compile(step), parts };
  return { step: tidy ? () => tensor.tidy(step) : step, parts };
}
