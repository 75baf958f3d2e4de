// A PyTorch user's whole training script, written as they would write it in PyTorch: plain tensors as data, a
// TensorDataset and a seeded DataLoader, a CNN with GroupNorm, summary, Adam + StepLR + gradient clipping, an
// evaluation under noGrad, and a save/load round trip through safetensors bytes. user-script.test.ts runs it in
// Node as it is (the built packages, as a user installs them) and minified for a browser in Chromium, and checks
// both give the same numbers. It exports `train()`, whose result is plain JSON.
import { Generator, randn, zeros } from '@minigrad/tensor';
import { DataLoader, TensorDataset, randomSplit } from '@minigrad/data';
import {
  Conv2d, F, Flatten, GroupNorm, Linear, MaxPool2d, ReLU, Sequential, loadSafetensors, manualSeed, noGrad,
  saveSafetensors, summary,
} from '@minigrad/nn';
import { Adam, StepLR, clipGradNorm } from '@minigrad/optim';

/** 8x8 images of a horizontal (class 0) or vertical (class 1) bar at a random row/column, with noise. */
function barImages(n, generator) {
  const x = randn([n, 1, 8, 8], { generator }).mul(0.3);
  const y = zeros([n], { dtype: 'int32' });
  const pixels = x.data; // a fresh contiguous tensor: its typed array in row-major order
  const where = randn([n], { generator }).abs().mul(2.5).toArray();
  for (let i = 0; i < n; i++) {
    const vertical = i % 2;
    const line = Math.min(7, Math.floor(where[i] + 2));
    for (let k = 0; k < 8; k++) pixels[i * 64 + (vertical ? k * 8 + line : line * 8 + k)] += 1;
    y.data[i] = vertical;
  }
  return { x, y };
}

function makeModel() {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }), new GroupNorm(4, 8), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(8 * 4 * 4, 2),
  );
}

/** Accuracy (%) of `model` on a loader, in eval mode and without recording. */
function accuracy(model, loader) {
  model.eval();
  let right = 0;
  let total = 0;
  noGrad(() => {
    for (const [x, y] of loader) {
      right += model.call(x).argmax(1).eq(y).sum().item();
      total += y.shape[0];
    }
  });
  model.train();
  return (100 * right) / total;
}

export function train() {
  manualSeed(0);
  const { x, y } = barImages(320, new Generator(1));
  const [trainSet, testSet] = randomSplit(new TensorDataset(x, y), [0.75, 0.25], { generator: new Generator(2) });
  const loader = new DataLoader(trainSet, { batchSize: 16, shuffle: true, generator: new Generator(3) });
  const testLoader = new DataLoader(testSet, { batchSize: 64 });

  const model = makeModel();
  const table = summary(model, { inputShape: [16, 1, 8, 8] });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new StepLR(optimizer, 2, { gamma: 0.5 });

  const epochLosses = [];
  for (let epoch = 0; epoch < 4; epoch++) {
    let sum = 0;
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(model.call(xb), yb);
      loss.backward();
      clipGradNorm(model.parameters(), 1.0);
      optimizer.step();
      sum += loss.item();
    }
    scheduler.step();
    epochLosses.push(sum / loader.length);
  }

  const bytes = saveSafetensors(model.stateDict());
  const restored = makeModel();
  restored.loadStateDict(loadSafetensors(bytes));
  const probe = testSet.getItem(0)[0].unsqueeze(0);
  const same = noGrad(() => model.eval().call(probe).sub(restored.eval().call(probe)).abs().amax().item());

  return {
    modelText: String(model),
    summaryText: String(table),
    parameterCount: table.totalParams,
    batches: loader.length,
    epochLosses,
    lr: optimizer.paramGroups[0].lr,
    testAccuracy: accuracy(model, testLoader),
    savedBytes: bytes.length,
    restoredDifference: same,
  };
}
