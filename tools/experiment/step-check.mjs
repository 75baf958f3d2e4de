#!/usr/bin/env node
// Step-by-step fidelity check, minigrad side (issue 11: "GN at batch 2 matches step by step").
//
// Builds the demo's model exactly as the demo does (apps/mnist-demo/dist/models/index.js's buildModel, with
// the demo's default options from parseCli([])), saves its initial state dict as safetensors, then trains
// it for K steps with the loop of apps/mnist-demo/src/train.ts (same SGD, CosineAnnealingLR over the full
// run's tMax = epochs * floor(trainSize / N), same Rng(seed).permutation batch order, same gatherBatch) and
// writes a JSON with the per-step losses, learning rates and batch indices, the parameter norms at step K,
// and the final state dict as safetensors. tools/experiment/step_check.py replays the same steps in PyTorch
// from the same initial weights and compares.
//
//   npx tsc -b apps/mnist-demo        # (or pnpm build) at the repository root: this reads apps/mnist-demo/dist
//   nice -n 10 node tools/experiment/step-check.mjs --norm group --batch-size 2 --seed 0 --steps 300
//   nice -n 10 /usr/bin/python3 tools/experiment/step_check.py /tmp/minigrad-step-check/group-b2-s0.json
//
// Evaluation points of train.ts (test-set scoring in eval mode, gradient statistics) only read the model,
// so the loop leaves them out; everything that changes the weights, buffers or batch order is the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const demoUrl = new URL('../../apps/mnist-demo/', import.meta.url);
const demoRequire = createRequire(new URL('package.json', demoUrl));
const fromDemo = (pkg) => import(pathToFileURL(demoRequire.resolve(pkg)).href);
const dist = (file) => import(new URL(`dist/${file}`, demoUrl).href);

const [{ variable }, { F }, { saveFile }, { SGD, CosineAnnealingLR }, { tensor }] = await Promise.all([
  fromDemo('@minigrad/autograd'),
  fromDemo('@minigrad/nn'),
  fromDemo('@minigrad/nn/node'),
  fromDemo('@minigrad/optim'),
  fromDemo('@minigrad/tensor'),
]);
const [{ parseCli }, { buildModel }, { loadData }, { gatherBatch }, { images }, { Rng }, { trainSettings, runSteps }] = await Promise.all([
  dist('cli.js'),
  dist('models/index.js'),
  dist('datasets.js'),
  dist('data.js'),
  dist('train.js'),
  dist('random.js'),
  dist('run.js'),
]);

const { values: a } = parseArgs({
  options: {
    norm: { type: 'string', default: 'group' },
    'batch-size': { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    steps: { type: 'string', default: '300' },
    'out-dir': { type: 'string', default: '/tmp/minigrad-step-check' },
    'save-at': { type: 'string', default: '' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (a.help) {
  console.log(`Usage: node tools/experiment/step-check.mjs [--norm batch|group|layer|instance|none] [--batch-size N]
         [--seed S] [--steps K] [--out-dir DIR] [--save-at 1,2,...]
Trains the demo's default model (parseCli([])'s options) for K steps and writes DIR/<norm>-b<N>-s<S>.json,
.init.safetensors and .final.safetensors for tools/experiment/step_check.py; --save-at also writes
.step<k>.safetensors after each listed step (to find where two runs part). Defaults: group, 2, 0, 300,
/tmp/minigrad-step-check.`);
  process.exit(0);
}

const parsed = parseCli([]);
if (parsed.help) throw new Error('parseCli([]) asked for help');
const o = parsed.options;
const norm = a.norm;
const batchSize = Number(a['batch-size']);
const seed = Number(a.seed);
const steps = Number(a.steps);
if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(seed) || !Number.isInteger(steps) || steps < 1) {
  throw new Error('--batch-size, --seed and --steps must be integers (batch size and steps >= 1)');
}
if (o.model !== 'resnet') throw new Error(`the demo's default model is ${o.model}; this check is written for resnet`);
const run = { norm, batchSize, seed };
const settings = trainSettings(o, run); // lr * N / 32, momentum, weight decay, epochs, seed: as run.ts
const totalSteps = runSteps(o, run); // epochs * floor(trainSize / N): the cosine's tMax
if (steps > totalSteps) throw new Error(`--steps ${steps} is more than the run's ${totalSteps} steps`);

const outDir = resolve(a['out-dir']);
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `${norm}-b${batchSize}-s${seed}`);
const saveAt = new Set(a['save-at'].split(',').filter((v) => v.trim() !== '').map(Number));

const t0 = performance.now();
const data = loadData(o.dataset, o.trainSize, o.testSize, { cacheDir: o.cache });
let pixelSum = 0;
for (let i = 0; i < data.train.images.length; i++) pixelSum += data.train.images[i];
const loadSeconds = (performance.now() - t0) / 1000;

// run.ts's executeRun and train.ts's train, up to the K-th step.
const model = buildModel({ model: o.model, norm, groups: o.groups, blocks: o.blocks, seed });
saveFile(`${base}.init.safetensors`, model.stateDict(), { norm, batchSize: String(batchSize), seed: String(seed) });

const stepsPerEpoch = Math.floor(data.train.size / batchSize);
const optimizer = new SGD(model.parameters(), { lr: settings.lr, momentum: settings.momentum, weightDecay: settings.weightDecay });
const schedule = new CosineAnnealingLR(optimizer, { tMax: settings.epochs * stepsPerEpoch });
const rng = new Rng(settings.seed);
model.train();

const losses = [];
const lrs = [];
const batches = [];
const started = performance.now();
let done = 0;
for (let epoch = 0; epoch < settings.epochs && done < steps; epoch++) {
  const order = rng.permutation(data.train.size);
  for (let step = 0; step < stepsPerEpoch && done < steps; step++, done++) {
    const start = step * batchSize;
    const batch = gatherBatch(data.train, order, start, batchSize);
    batches.push(Array.from(order.subarray(start, start + batchSize)));
    lrs.push(optimizer.paramGroups[0].lr);
    const logits = model.call(images(batch));
    const loss = F.crossEntropy(logits, tensor(batch.labels));
    optimizer.zeroGrad();
    loss.backward();
    losses.push(loss.item());
    optimizer.step();
    schedule.step();
    if (saveAt.has(done + 1)) saveFile(`${base}.step${done + 1}.safetensors`, model.stateDict());
  }
}
const trainSeconds = (performance.now() - started) / 1000;

const final = model.stateDict();
const norms = {};
for (const [key, t] of Object.entries(final)) {
  const v = t.contiguous().toTypedArray();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Number(v[i]) * Number(v[i]);
  norms[key] = Math.sqrt(s);
}
saveFile(`${base}.final.safetensors`, final);

const result = {
  framework: 'minigrad',
  config: {
    dataset: o.dataset, model: o.model, blocks: o.blocks, groups: o.groups, norm, batchSize, seed, steps,
    trainSize: o.trainSize, testSize: o.testSize, epochs: o.epochs, lr: settings.lr, lrAt32: o.lr,
    momentum: settings.momentum, weightDecay: settings.weightDecay, tMax: settings.epochs * stepsPerEpoch, stepsPerEpoch,
  },
  data: { mean: data.mean, std: data.std, trainPixelSum: pixelSum },
  initWeights: `${base}.init.safetensors`,
  finalWeights: `${base}.final.safetensors`,
  losses,
  lrs,
  batches,
  paramNorms: norms,
  seconds: { load: loadSeconds, train: trainSeconds },
};
writeFileSync(`${base}.json`, JSON.stringify(result) + '\n');
console.log(`${norm} N=${batchSize} seed ${seed}: ${losses.length} steps in ${trainSeconds.toFixed(1)} s, ` +
  `loss ${losses[0].toFixed(6)} -> ${losses.at(-1).toFixed(6)}; wrote ${base}.json`);
