import { setConvAlgorithm } from '@minigrad/tensor';
import type { Options } from './cli.js';
import type { Data } from './data.js';
import { diagnoseBatchNorm } from './mechanism.js';
import { buildModel } from './models/index.js';
import type { Run, RunResult } from './report/results.js';
import { evaluate, train, type Checkpoints, type OnPoint, type OnSteps, type TrainSettings } from './train.js';

/** SGD with momentum; the learning rate scales linearly with the batch size (lr x N / 32), as in the paper. */
export function trainSettings(o: Options, run: Run): TrainSettings {
  const lr = (o.lr * run.batchSize) / 32;
  return { batchSize: run.batchSize, epochs: o.epochs, lr, momentum: o.momentum, weightDecay: o.weightDecay, evalsPerEpoch: o.evalsPerEpoch, seed: run.seed };
}

/** Steps a run trains for (the last incomplete batch of every epoch is dropped). */
export function runSteps(o: Pick<Options, 'epochs' | 'trainSize'>, run: Run): number {
  return o.epochs * Math.floor(o.trainSize / run.batchSize);
}

/**
 * One run of the experiment: the model with the run's normalization, initialized from the run's seed,
 * trained, then scored on the test set in eval mode (BN with its running statistics); with BN also in
 * training mode and after precise BN, with the noise of its batch statistics (mechanism.ts).
 */
export function executeRun(o: Options, data: Data, run: Run, onSteps?: OnSteps, checkpoints?: Checkpoints, onPoint?: OnPoint): RunResult {
  // Process-wide, like the backend: set by every run, in whichever thread trains it.
  setConvAlgorithm(o.conv);
  const model = buildModel({ model: o.model, norm: run.norm, groups: o.groups, blocks: o.blocks, seed: run.seed });
  const settings = trainSettings(o, run);
  const state = train(model, data, settings, onSteps, checkpoints, onPoint);
  const started = performance.now();
  const final = evaluate(model, data.test);
  const bn = run.norm === 'batch' ? diagnoseBatchNorm(model, data, run.batchSize) : null;
  return {
    ...run,
    lr: settings.lr,
    steps: state.steps,
    testError: final.error,
    testLoss: final.loss,
    trainError: state.lastEpochTrainError,
    ...(bn && { testErrorTrainMode: bn.testErrorTrainMode, testErrorPreciseBn: bn.testErrorPreciseBn, bnNoise: bn.layers }),
    curve: state.curve,
    gradients: state.gradients,
    seconds: state.seconds,
    measureSeconds: (performance.now() - started) / 1000,
    imagesPerSecond: (state.steps * run.batchSize) / state.seconds,
  };
}
