import { noGrad, variable } from '@minigrad/autograd';
import { DataLoader } from '@minigrad/data';
import { F, gradientStats, tidy, type Module } from '@minigrad/nn';
import { CosineAnnealingLR, SGD } from '@minigrad/optim';
import { type Tensor, compile } from '@minigrad/tensor';
import { CLASSES } from './architecture.js';
import { datasetOf, EpochOrder, type Data, type Split } from './data.js';
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
  /** Training-mode error (%) on the training batches of the last finished epoch. */
  lastEpochTrainError: number;
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

/** What the loop tells its caller as it goes: steps done of all, and the running loss and accuracy. */
export type OnSteps = (stepsDone: number, stats: { epoch: number; loss: number; accuracy: number; imagesPerSecond: number }) => void;

/**
 * Called at every curve point, after the test set is scored: the new point, the gradient norms of that step
 * and the model (in training mode; a caller that scores it must leave its mode and BN buffers as they were).
 * The lab (web/) draws its live charts from it.
 */
export type OnPoint = (point: CurvePoint, gradients: GradientPoint[], model: Module) => void;

export const EVAL_BATCH = 500;

/**
 * Minibatch SGD with momentum over shuffled training images, dropping the last incomplete batch (BN needs
 * the batch size it was configured for). The learning rate follows a cosine from `lr` down to 0 over all
 * steps: the paper divides it by 10 three times over 100 epochs; in a few epochs an annealed rate keeps the
 * final test error from landing on a noisy step. `evalsPerEpoch` times per epoch, the test set is scored in
 * eval mode — BN then uses its running statistics — the curves get a point, and the gradient norms of that
 * step are recorded (only then: statistics of every step would cost as much as the step).
 */
export function train(model: Module, data: Data, s: TrainSettings, onSteps: OnSteps = () => {}, checkpoints?: Checkpoints, onPoint?: OnPoint): TrainState {
  const stepsPerEpoch = Math.floor(data.train.size / s.batchSize);
  const optimizer = new SGD(model.parameters(), { lr: s.lr, momentum: s.momentum, weightDecay: s.weightDecay });
  const trainee: Trainee = { model, optimizer, schedule: new CosineAnnealingLR(optimizer, { tMax: s.epochs * stepsPerEpoch }) };
  const state: TrainState = checkpoints?.load(trainee) ??
    { epochsDone: 0, rngState: s.seed, steps: 0, seconds: 0, curve: [], gradients: [], lastEpochTrainError: NaN };
  const rng = new Rng(state.rngState);
  const loader = new DataLoader(datasetOf(data.train), { batchSize: s.batchSize, sampler: new EpochOrder(rng, data.train.size), dropLast: true });
  const evalSteps = evalPoints(stepsPerEpoch, s.evalsPerEpoch);
  const interval = new Interval();
  let trainingSeconds = 0; // this session's time in training steps, for images/s
  let trainedImages = 0;
  model.train();
  // The step, captured by compile(): after its first calls it replays the recorded kernel calls (the same bits
  // as the eager step, without its per-op work), on its own copies of each batch; every replay reads the
  // schedule's learning rate.
  const trainStep = compile((x: Tensor, y: Tensor) => {
    const logits = model.call(variable(x));
    const loss = F.crossEntropy(logits, y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return { loss, logits };
  });

  for (let epoch = state.epochsDone; epoch < s.epochs; epoch++) {
    const started = performance.now();
    let epochErrors = 0;
    let step = 0;
    let stepStarted = performance.now(); // a step's time includes gathering its batch, which the loop header does
    for (const [x, y] of loader) {
      const evalPoint = evalSteps.has(step + 1);
      const at = epoch + (step + 1) / stepsPerEpoch;
      const { loss, logits } = trainStep(x, y);
      const lossValue = loss.item();
      const errors = countErrors(logits.data, y);
      // The step's gradients (the update reads them and leaves them as they are).
      const gradients = evalPoint ? gradientStats(model).map((g) => ({ epoch: at, layer: g.name, norm: g.norm })) : [];
      epochErrors += errors;
      interval.addStep(lossValue, errors, s.batchSize);
      state.gradients.push(...gradients);
      trainee.schedule.step();

      trainingSeconds += (performance.now() - stepStarted) / 1000;
      trainedImages += s.batchSize;
      onSteps(epoch * stepsPerEpoch + step + 1, interval.stats(epoch + 1, trainedImages / trainingSeconds));
      if (evalPoint) {
        const test = evaluate(model, data.test);
        const point = { epoch: at, ...interval.trainScores(), testLoss: test.loss, testError: test.error };
        state.curve.push(point);
        interval.reset();
        onPoint?.(point, gradients, model);
      }
      step++;
      stepStarted = performance.now();
    }
    state.epochsDone = epoch + 1;
    state.rngState = rng.state;
    state.steps += stepsPerEpoch;
    state.seconds += (performance.now() - started) / 1000;
    state.lastEpochTrainError = (100 * epochErrors) / (stepsPerEpoch * s.batchSize);
    checkpoints?.save(trainee, state);
  }
  return state;
}

/** Mean cross-entropy and error (%) over a split, in eval mode and without recording gradients. */
export function evaluate(model: Module, split: Split): { loss: number; error: number } {
  model.eval();
  try {
    return score(model, split, EVAL_BATCH);
  } finally {
    model.train();
  }
}

/**
 * Loss and error (%) over a split in consecutive batches of `batchSize`, in whatever mode the model is in,
 * without recording gradients. `dropLast` leaves out a last incomplete batch (in training mode, BN must
 * see the batch size it is measured at).
 */
export function score(model: Module, split: Split, batchSize: number, dropLast = false): { loss: number; error: number } {
  const loader = new DataLoader(datasetOf(split), { batchSize, dropLast });
  let lossSum = 0;
  let errors = 0;
  let scored = 0;
  noGrad(() => {
    for (const [x, y] of loader) {
      tidy(() => {
        const logits = model.call(variable(x));
        lossSum += F.crossEntropy(logits, y, { reduction: 'sum' }).item();
        errors += countErrors(logits.data, y);
      });
      scored += y.shape[0]!;
    }
  });
  return { loss: lossSum / scored, error: (100 * errors) / scored };
}

/** Steps (1-based, within an epoch) after which the curves get a point; the last one ends the epoch. */
function evalPoints(stepsPerEpoch: number, perEpoch: number): Set<number> {
  const points = new Set<number>();
  for (let k = 1; k <= perEpoch; k++) points.add(Math.max(1, Math.round((k * stepsPerEpoch) / perEpoch)));
  return points;
}

/** Misclassified rows of [N, 10] logits (first maximum wins, as argmax) against [N] labels. */
function countErrors(logits: Tensor, labelTensor: Tensor): number {
  const z = logits.contiguous().toTypedArray();
  const labels = labelTensor.toTypedArray();
  let wrong = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (z[i * CLASSES + c]! > z[i * CLASSES + best]!) best = c;
    if (best !== labels[i]) wrong++;
  }
  return wrong;
}

/** Training loss and errors accumulated between two curve points. */
class Interval {
  private lossSum = 0;
  private errors = 0;
  private images = 0;
  private steps = 0;

  addStep(loss: number, errors: number, images: number): void {
    this.lossSum += loss;
    this.errors += errors;
    this.images += images;
    this.steps++;
  }

  stats(epoch: number, imagesPerSecond: number) {
    return { epoch, loss: this.lossSum / this.steps, accuracy: 1 - this.errors / this.images, imagesPerSecond };
  }

  trainScores(): { trainLoss: number; trainError: number } {
    return { trainLoss: this.lossSum / this.steps, trainError: (100 * this.errors) / this.images };
  }

  reset(): void {
    this.lossSum = this.errors = this.images = this.steps = 0;
  }
}
