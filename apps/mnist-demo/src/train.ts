import { noGrad, variable, type Variable } from '@minigrad/autograd';
import { F, gradientStats, type Module } from '@minigrad/nn';
import { CosineAnnealingLR, SGD } from '@minigrad/optim';
import { tensor, type Tensor } from '@minigrad/tensor';
import { CLASSES, IMAGE_SIZE } from './architecture.js';
import { gatherBatch, sliceSplit, type Mnist, type Split } from './data.js';
import type { RunBar } from './progress.js';
import { Rng } from './random.js';
import type { CurvePoint, GradientPoint } from './report/results.js';

export interface TrainSettings {
  batchSize: number;
  epochs: number;
  /** The starting learning rate, already scaled for the batch size; it is annealed to 0 over training. */
  lr: number;
  momentum: number;
  weightDecay: number;
  evalsPerEpoch: number;
  /** Seeds the order of the training examples. */
  seed: number;
}

/** Everything besides the weights and the optimizer that a resumed run needs to continue exactly. */
export interface TrainState {
  epochsDone: number;
  rngState: number;
  steps: number;
  seconds: number;
  curve: CurvePoint[];
  gradients: GradientPoint[];
}

/** What a run updates as it trains, all of which a checkpoint must hold. */
export interface Trainee {
  model: Module;
  optimizer: SGD;
  schedule: CosineAnnealingLR;
}

/** Where a run's checkpoints go (checkpoint.ts); training works the same without one. */
export interface Checkpoints {
  /** Restores the trainee from the last checkpoint and returns the loop's state, or null to start afresh. */
  load(t: Trainee): TrainState | null;
  save(t: Trainee, state: TrainState): void;
}

const EVAL_BATCH = 500;

/**
 * Minibatch SGD with momentum over shuffled training images, dropping the last incomplete batch (BN needs
 * the batch size it was configured for). The learning rate follows a cosine from `lr` down to 0 over all
 * steps: the paper divides it by 10 three times over 100 epochs; in a few epochs an annealed rate keeps the
 * final test error from landing on a noisy step. `evalsPerEpoch` times per epoch, the test set is scored in
 * eval mode — BN then uses its running statistics — and the curves get a point.
 */
export function train(model: Module, data: Mnist, s: TrainSettings, bar: RunBar, checkpoints?: Checkpoints): TrainState {
  const stepsPerEpoch = Math.floor(data.train.size / s.batchSize);
  const optimizer = new SGD(model.parameters(), { lr: s.lr, momentum: s.momentum, weightDecay: s.weightDecay });
  const trainee: Trainee = { model, optimizer, schedule: new CosineAnnealingLR(optimizer, { tMax: s.epochs * stepsPerEpoch }) };
  const state = checkpoints?.load(trainee) ?? { epochsDone: 0, rngState: s.seed, steps: 0, seconds: 0, curve: [], gradients: [] };
  const rng = new Rng(state.rngState);
  const evalSteps = evalPoints(stepsPerEpoch, s.evalsPerEpoch);
  const interval = new Interval();
  let trainingSeconds = 0; // this session's time in training steps, for images/s
  let trainedImages = 0;
  model.train();

  for (let epoch = state.epochsDone; epoch < s.epochs; epoch++) {
    const started = performance.now();
    const order = rng.permutation(data.train.size);
    for (let step = 0; step < stepsPerEpoch; step++) {
      const stepStarted = performance.now();
      const batch = gatherBatch(data.train, order, step * s.batchSize, s.batchSize);
      const logits = model.call(images(batch));
      const loss = F.crossEntropy(logits, tensor(batch.labels));
      optimizer.zeroGrad();
      loss.backward();
      interval.addStep(loss.item(), countErrors(logits.data, batch.labels), s.batchSize, model);
      optimizer.step();
      trainee.schedule.step();

      trainingSeconds += (performance.now() - stepStarted) / 1000;
      trainedImages += s.batchSize;
      bar.update(epoch * stepsPerEpoch + step + 1, interval.stats(epoch + 1, trainedImages / trainingSeconds));
      if (evalSteps.has(step + 1)) {
        const at = epoch + (step + 1) / stepsPerEpoch;
        const test = evaluate(model, data.test);
        state.curve.push({ epoch: at, ...interval.trainScores(), testLoss: test.loss, testError: test.error });
        state.gradients.push(...interval.gradientPoints(at));
        interval.reset();
      }
    }
    state.epochsDone = epoch + 1;
    state.rngState = rng.state;
    state.steps += stepsPerEpoch;
    state.seconds += (performance.now() - started) / 1000;
    checkpoints?.save(trainee, state);
  }
  return state;
}

/** Mean cross-entropy and error (%) over a split, in eval mode and without recording gradients. */
export function evaluate(model: Module, split: Split): { loss: number; error: number } {
  model.eval();
  let lossSum = 0;
  let errors = 0;
  noGrad(() => {
    for (let start = 0; start < split.size; start += EVAL_BATCH) {
      const part = sliceSplit(split, start, Math.min(EVAL_BATCH, split.size - start));
      const logits = model.call(images(part));
      lossSum += F.crossEntropy(logits, tensor(part.labels), { reduction: 'sum' }).item();
      errors += countErrors(logits.data, part.labels);
    }
  });
  model.train();
  return { loss: lossSum / split.size, error: (100 * errors) / split.size };
}

function images(batch: Split): Variable {
  return variable(tensor(batch.images, { shape: [batch.size, 1, IMAGE_SIZE, IMAGE_SIZE] }));
}

/** Steps (1-based, within an epoch) after which the curves get a point; the last one ends the epoch. */
function evalPoints(stepsPerEpoch: number, perEpoch: number): Set<number> {
  const points = new Set<number>();
  for (let k = 1; k <= perEpoch; k++) points.add(Math.max(1, Math.round((k * stepsPerEpoch) / perEpoch)));
  return points;
}

/** Misclassified rows of [N, 10] logits (first maximum wins, as argmax). */
function countErrors(logits: Tensor, labels: Int32Array): number {
  const z = logits.contiguous().toTypedArray();
  let wrong = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (z[i * CLASSES + c]! > z[i * CLASSES + best]!) best = c;
    if (best !== labels[i]) wrong++;
  }
  return wrong;
}

/** Training loss, errors and per-parameter gradient norms accumulated between two curve points. */
class Interval {
  private lossSum = 0;
  private errors = 0;
  private images = 0;
  private steps = 0;
  private gradSums = new Map<string, number>();

  addStep(loss: number, errors: number, images: number, model: Module): void {
    this.lossSum += loss;
    this.errors += errors;
    this.images += images;
    this.steps++;
    for (const g of gradientStats(model)) this.gradSums.set(g.name, (this.gradSums.get(g.name) ?? 0) + g.norm);
  }

  stats(epoch: number, imagesPerSecond: number) {
    return { epoch, loss: this.lossSum / this.steps, accuracy: 1 - this.errors / this.images, imagesPerSecond };
  }

  trainScores(): { trainLoss: number; trainError: number } {
    return { trainLoss: this.lossSum / this.steps, trainError: (100 * this.errors) / this.images };
  }

  gradientPoints(epoch: number): GradientPoint[] {
    return [...this.gradSums].map(([layer, sum]) => ({ epoch, layer, norm: sum / this.steps }));
  }

  reset(): void {
    this.lossSum = this.errors = this.images = this.steps = 0;
    this.gradSums.clear();
  }
}
