// One run of the lab (browser-safe): what a Web Worker of the page does (web/worker.ts), and what Node can do
// the same way (the tests, the speed comparison). It trains with the CLI's executeRun (run.ts) on the CLI's
// split of the data, so a run in the page gives the same numbers as the same run in Node, and it reports
// as it goes: the graph and tape of one step, a message every ~100 ms, and the views at every curve point.
import { formatTape, noGrad, toDot, variable } from '@minigrad/autograd';
import { F } from '@minigrad/nn';
import { getBackend } from '@minigrad/tensor';
import { CLASSES } from '../architecture.js';
import { datasetOf, sliceSplit, type Data } from '../data.js';
import { batchNorms, noiseAgainstRunning } from '../mechanism.js';
import { buildModel } from '../models/index.js';
import type { RunResult } from '../report/results.js';
import { executeRun, runSteps } from '../run.js';
import { checkRun, labOptions, SAMPLE_COUNT, type LabMessage, type LabRun } from './session.js';

/**
 * Trains one run and posts what the page shows. `control[0]` (shared with the page) pauses the run while
 * it is 1: the loop waits there between two steps. Returns the CLI's result of the run.
 */
export function runLab(r: LabRun, data: Data, post: (m: LabMessage) => void, control?: Int32Array): RunResult {
  const problem = checkRun(r, data.train.size + data.test.size);
  if (problem !== null) throw new RangeError(problem);
  const options = labOptions(r, [r]);
  const run = { norm: r.norm, batchSize: r.batchSize, seed: r.seed };

  // One training step's graph, from a twin of the model (same seed) on the first training images: the
  // model that trains is left untouched, so its numbers stay the CLI's.
  const twin = buildModel({ model: 'resnet', norm: r.norm, groups: r.groups, blocks: r.blocks, seed: r.seed });
  for (const [name, p] of twin.namedParameters()) p.name = name; // the graph's leaves then say which weight they are
  const [x, y] = datasetOf(sliceSplit(data.train, 0, r.batchSize)).tensors;
  const loss = F.crossEntropy(twin.call(variable(x)), y);
  const samples = Array.from({ length: Math.min(SAMPLE_COUNT, data.test.size) }, (_, i) => ({ index: i, label: data.test.labels[i]! }));
  post({ type: 'ready', backend: getBackend().name, steps: runSteps(options, run), dot: toDot(loss), tape: formatTape(loss), samples, bnLayers: batchNorms(twin).map(([name]) => name) });

  const [shown] = datasetOf(sliceSplit(data.test, 0, samples.length)).tensors;
  const noiseImages = sliceSplit(data.train, 0, Math.min(data.train.size, Math.max(r.batchSize, Math.min(16 * r.batchSize, 256))));
  const steps = runSteps(options, run);
  let step = 0;
  let lastPost = -Infinity;
  const result = executeRun(options, data, run, (done, stats) => {
    step = done;
    const now = performance.now();
    if (now - lastPost >= 100 || done === steps) {
      lastPost = now;
      post({ type: 'steps', step, epoch: stats.epoch, loss: stats.loss, trainError: 100 * (1 - stats.accuracy), imagesPerSecond: stats.imagesPerSecond });
    }
    if (control !== undefined && Atomics.load(control, 0) === 1) {
      post({ type: 'paused', step });
      while (Atomics.load(control, 0) === 1) Atomics.wait(control, 0, 1);
      post({ type: 'resumed', step });
      lastPost = performance.now();
    }
  }, undefined, (point, gradients, model) => {
    const noise = r.norm === 'batch' ? noiseAgainstRunning(model, noiseImages, r.batchSize).map((n) => ({ ...n, epoch: point.epoch })) : [];
    model.eval();
    const logits = noGrad(() => model.call(variable(shown))).data.toTypedArray();
    model.train();
    const predictions = samples.map((_, i) => argmax(logits, i * CLASSES, CLASSES));
    post({ type: 'point', step, point, gradients, noise, predictions });
    if (step === steps) post({ type: 'measuring' });
  });
  post({ type: 'done', result });
  return result;
}

function argmax(x: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (x[from + c]! > x[from + best]!) best = c;
  return best;
}
