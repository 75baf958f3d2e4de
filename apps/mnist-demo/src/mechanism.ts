import type { Variable } from '@minigrad/autograd';
import { BatchNorm1d, BatchNorm2d, type Module } from '@minigrad/nn';
import { tensor, type Tensor } from '@minigrad/tensor';
import { sliceSplit, type Data, type Split } from './data.js';
import { EVAL_BATCH, evaluate, score } from './train.js';

/**
 * The paper's mechanism, measured on a trained model with BatchNorm: how noisy the batch statistics are at
 * the batch size it trained with, how far its running statistics are from the population's, and what the
 * test error becomes with either.
 */
export interface BnDiagnostics {
  /** Test error (%) in training mode: every test batch of `batchSize` normalized with its own statistics. */
  testErrorTrainMode: number;
  /** Test error (%) in eval mode after precise BN replaced the running statistics with population ones. */
  testErrorPreciseBn: number;
  layers: BnLayerNoise[];
}

/** One BN layer's statistics against the population's (per channel, root mean square over channels). */
export interface BnLayerNoise {
  /** The layer's dotted name in the model. */
  layer: string;
  /** RMS over batches and channels of (batch mean − population mean) / population std. */
  meanNoise: number;
  /** RMS over batches and channels of batch variance / population variance − 1. */
  varNoise: number;
  /** RMS over channels of (running mean − population mean) / population std, after training. */
  runningMeanGap: number;
  /** RMS over channels of running variance / population variance − 1, after training. */
  runningVarGap: number;
}

/** Images precise BN estimates the population statistics from (the first of the training split). */
export const PRECISE_BN_IMAGES = 2000;
/** Training batches whose statistics are compared with the population's. */
export const NOISE_BATCHES = 200;

type BatchNorm = BatchNorm1d | BatchNorm2d;

/** The model's BN layers with their dotted names. */
export function batchNorms(model: Module): [string, BatchNorm][] {
  return [...model.namedModules()].filter((e): e is [string, BatchNorm] => e[1] instanceof BatchNorm2d || e[1] instanceof BatchNorm1d);
}

/**
 * Measures the mechanism, then leaves the model with precise-BN statistics (as after `preciseBn`). Order
 * matters: the train-mode error and the noise use the running statistics training left, which precise BN
 * then replaces.
 */
export function diagnoseBatchNorm(model: Module, data: Data, batchSize: number): BnDiagnostics {
  const norms = batchNorms(model);
  const running = norms.map(([, bn]) => ({ mean: bn.runningMean!.clone(), var: bn.runningVar!.clone() }));
  const testErrorTrainMode = keepingRunningStats(model, () => score(model.train(), data.test, batchSize, true).error);
  const population = preciseBn(model, data.train);
  const noise = keepingRunningStats(model, () => batchMoments(model, sliceSplit(data.train, 0, Math.min(data.train.size, NOISE_BATCHES * batchSize)), batchSize));
  const layers = norms.map(([layer], i) => {
    const pop = population[i]!;
    const std = pop.variance.map(Math.sqrt);
    let meanSq = 0;
    let varSq = 0;
    for (const batch of noise[i]!) {
      for (let c = 0; c < std.length; c++) {
        meanSq += ((batch.mean[c]! - pop.mean[c]!) / std[c]!) ** 2;
        varSq += (batch.variance[c]! / pop.variance[c]! - 1) ** 2;
      }
    }
    const count = noise[i]!.length * std.length;
    const runMean = running[i]!.mean.toTypedArray();
    const runVar = running[i]!.var.toTypedArray();
    return {
      layer,
      meanNoise: Math.sqrt(meanSq / count),
      varNoise: Math.sqrt(varSq / count),
      runningMeanGap: rms(std.map((s, c) => (runMean[c]! - pop.mean[c]!) / s)),
      runningVarGap: rms(pop.variance.map((v, c) => runVar[c]! / v - 1)),
    };
  });
  return { testErrorTrainMode, testErrorPreciseBn: evaluate(model, data.test).error, layers };
}

/** One BN layer's batch statistics against its running statistics, while it trains. */
export interface BnRunningNoise {
  layer: string;
  /** RMS over batches and channels of (batch mean − running mean) / √running variance. */
  meanNoise: number;
  /** RMS over batches and channels of batch variance / running variance − 1. */
  varNoise: number;
}

/**
 * The mechanism as training goes (the lab draws it live): how far the statistics BN normalizes a training
 * batch of `batchSize` with are from the running statistics it will use at test time, over the consecutive
 * batches of `images` (incomplete last batch dropped). Cheap enough for every curve point on a few dozen
 * images, unlike diagnoseBatchNorm's population estimate. Leaves the BN buffers and the mode as they were.
 */
export function noiseAgainstRunning(model: Module, images: Split, batchSize: number): BnRunningNoise[] {
  const norms = batchNorms(model);
  const running = norms.map(([, bn]) => ({ mean: bn.runningMean!.toTypedArray(), var: bn.runningVar!.toTypedArray() }));
  const noise = keepingRunningStats(model, () => batchMoments(model, images, batchSize));
  return norms.map(([layer], i) => {
    const { mean, var: variance } = running[i]!;
    let meanSq = 0;
    let varSq = 0;
    for (const batch of noise[i]!) {
      for (let c = 0; c < mean.length; c++) {
        meanSq += (batch.mean[c]! - mean[c]!) ** 2 / variance[c]!;
        varSq += (batch.variance[c]! / variance[c]! - 1) ** 2;
      }
    }
    const count = noise[i]!.length * mean.length;
    return { layer, meanNoise: Math.sqrt(meanSq / count), varNoise: Math.sqrt(varSq / count) };
  });
}

/** Per-channel moments of one layer's input over a set of images. */
export interface Moments {
  mean: Float64Array;
  /** Unbiased over all values of the channel (n − 1), as BN's running variance. */
  variance: Float64Array;
}

/**
 * Precise BN (Wu & He's "Rethinking 'Batch' in BatchNorm", 2021): replaces every BN layer's running
 * statistics with the population statistics of its input, computed over the first PRECISE_BN_IMAGES
 * training images in batches of EVAL_BATCH in training mode (so each layer sees the inputs that training
 * produces, with statistics that are nearly the population's). Returns those statistics per layer.
 */
export function preciseBn(model: Module, train: Split): Moments[] {
  const images = sliceSplit(train, 0, Math.min(train.size, PRECISE_BN_IMAGES));
  const population = keepingRunningStats(model, () => {
    const sums = batchNorms(model).map(([, bn]) => new ChannelSums(bn.numFeatures));
    watchInputs(model, (i, x) => sums[i]!.add(x), () => score(model.train(), images, EVAL_BATCH));
    return sums.map((s) => s.moments());
  });
  batchNorms(model).forEach(([, bn], i) => {
    bn.runningMean!.copyFrom(tensor(Float32Array.from(population[i]!.mean)));
    bn.runningVar!.copyFrom(tensor(Float32Array.from(population[i]!.variance)));
  });
  return population;
}

/** Per layer, the per-channel (biased) moments of every batch of `batchSize` in training mode. */
function batchMoments(model: Module, images: Split, batchSize: number): Moments[][] {
  const out: Moments[][] = batchNorms(model).map(() => []);
  watchInputs(model, (i, x) => {
    const s = new ChannelSums(x.shape[1]!);
    s.add(x);
    out[i]!.push(s.moments(false));
  }, () => score(model.train(), images, batchSize, true));
  return out;
}

/** Runs `fn` with a forward pre-hook on every BN layer that hands its input to `see`. */
function watchInputs(model: Module, see: (layer: number, x: Tensor) => void, fn: () => void): void {
  const handles = batchNorms(model).map(([, bn], i) => bn.registerForwardPreHook((_m, inputs) => see(i, (inputs[0] as Variable).data)));
  try {
    fn();
  } finally {
    for (const h of handles) h.remove();
  }
}

/**
 * Runs `fn` (which may forward in training mode, updating BN's running statistics and batch counts) and
 * restores every BN buffer afterwards, and the model's mode.
 */
function keepingRunningStats<T>(model: Module, fn: () => T): T {
  const saved = batchNorms(model).map(([, bn]) => [bn.runningMean!.clone(), bn.runningVar!.clone(), bn.numBatchesTracked!.clone()] as const);
  const training = model.training;
  try {
    return fn();
  } finally {
    batchNorms(model).forEach(([, bn], i) => {
      bn.runningMean!.copyFrom(saved[i]![0]);
      bn.runningVar!.copyFrom(saved[i]![1]);
      bn.numBatchesTracked!.copyFrom(saved[i]![2]);
    });
    model.train(training);
  }
}

/** Float64 sums per channel of an [N, C, ...] input: count, Σx and Σx². */
class ChannelSums {
  private n = 0;
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;

  constructor(channels: number) {
    this.sum = new Float64Array(channels);
    this.sumSq = new Float64Array(channels);
  }

  add(x: Tensor): void {
    const [batch, channels] = [x.shape[0]!, x.shape[1]!];
    const inner = x.numel() / (batch * channels);
    const v = x.contiguous().toTypedArray();
    for (let b = 0; b < batch; b++) {
      for (let c = 0; c < channels; c++) {
        const from = (b * channels + c) * inner;
        let s = 0;
        let q = 0;
        for (let k = from; k < from + inner; k++) {
          s += v[k]!;
          q += v[k]! * v[k]!;
        }
        this.sum[c] += s;
        this.sumSq[c] += q;
      }
    }
    this.n += batch * inner;
  }

  /** Mean and variance per channel; unbiased (n − 1) unless `unbiased` is false. */
  moments(unbiased = true): Moments {
    const mean = this.sum.map((s) => s / this.n);
    const variance = this.sumSq.map((q, c) => Math.max(0, q / this.n - mean[c]! ** 2) * (unbiased ? this.n / (this.n - 1) : 1));
    return { mean, variance };
  }
}

function rms(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! ** 2;
  return Math.sqrt(s / xs.length);
}
