import { BatchNorm2d, Flatten, Linear, Sequential } from '@minigrad/nn';
import { manualSeed } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { PIXELS, sliceSplit, splitImages, type Data } from '../src/data.js';
import { loadImages } from '../src/datasets.js';
import { batchNorms, diagnoseBatchNorm, NOISE_BATCHES, preciseBn, PRECISE_BN_IMAGES } from '../src/mechanism.js';
import { evaluate } from '../src/train.js';

const data: Data = splitImages(loadImages('mnist'), 2500, 300);

/** A BN over the raw pixels, then a classifier: BN's input is the images themselves, so its statistics are known. */
function pixelBn() {
  manualSeed(0);
  return new Sequential(new BatchNorm2d(1), new Flatten(), new Linear(PIXELS, 10));
}

/** Mean and unbiased variance of pixel values, in float64. */
function moments(x: Float32Array) {
  let s = 0;
  for (const v of x) s += v;
  const mean = s / x.length;
  let q = 0;
  for (const v of x) q += (v - mean) ** 2;
  return { mean, unbiased: q / (x.length - 1), biased: q / x.length };
}

describe('precise BN', () => {
  it('sets the running statistics to the population statistics of the first 2,000 training images', () => {
    const model = pixelBn();
    const [[name, bn]] = batchNorms(model);
    expect(name).toBe('0');
    const [pop] = preciseBn(model, data.train);
    const want = moments(sliceSplit(data.train, 0, PRECISE_BN_IMAGES).images);
    expect(pop!.mean[0]).toBeCloseTo(want.mean, 9);
    expect(pop!.variance[0]).toBeCloseTo(want.unbiased, 9);
    expect(bn!.runningMean!.item()).toBeCloseTo(want.mean, 6);
    expect(bn!.runningVar!.item()).toBeCloseTo(want.unbiased, 5);
    expect(bn!.numBatchesTracked!.item()).toBe(0); // the estimation pass leaves no trace but the statistics
    expect(model.training).toBe(true);
  });
});

describe('diagnoseBatchNorm', () => {
  it('measures the noise of the batch mean and variance against the population, and the running statistics\' gap', () => {
    const model = pixelBn();
    const [[, bn]] = batchNorms(model);
    bn!.runningMean!.fill(0.5);
    bn!.runningVar!.fill(2);
    const batchSize = 4;
    const d = diagnoseBatchNorm(model, data, batchSize);
    const pop = moments(sliceSplit(data.train, 0, PRECISE_BN_IMAGES).images);
    const std = Math.sqrt(pop.unbiased);
    let meanSq = 0;
    let varSq = 0;
    for (let b = 0; b < NOISE_BATCHES; b++) {
      const m = moments(sliceSplit(data.train, b * batchSize, batchSize).images);
      meanSq += ((m.mean - pop.mean) / std) ** 2;
      varSq += (m.biased / pop.unbiased - 1) ** 2;
    }
    const [layer] = d.layers;
    expect(layer!.layer).toBe('0');
    expect(layer!.meanNoise).toBeCloseTo(Math.sqrt(meanSq / NOISE_BATCHES), 6);
    expect(layer!.varNoise).toBeCloseTo(Math.sqrt(varSq / NOISE_BATCHES), 6);
    expect(layer!.runningMeanGap).toBeCloseTo(Math.abs(0.5 - pop.mean) / std, 5);
    expect(layer!.runningVarGap).toBeCloseTo(Math.abs(2 / pop.unbiased - 1), 5);
    // it leaves the model with precise BN, whose eval-mode error it reports
    expect(bn!.runningMean!.item()).toBeCloseTo(pop.mean, 6);
    expect(evaluate(model, data.test).error).toBe(d.testErrorPreciseBn);
  });

  it('scores the test set in training mode with batches of the given size, without touching the running statistics', () => {
    const model = pixelBn();
    const [[, bn]] = batchNorms(model);
    bn!.runningMean!.fill(3);
    bn!.runningVar!.fill(5);
    const evalMode = evaluate(model, data.test).error;
    const d = diagnoseBatchNorm(model, data, 2);
    // a BN fed wrong running statistics is worse in eval mode than with each batch's own
    expect(d.testErrorTrainMode).not.toBe(evalMode);
    expect(bn!.numBatchesTracked!.item()).toBe(0);
  });

  it('finds the batch statistics noisier at smaller batch sizes, about as 1/sqrt(N) for independent images', () => {
    const noise = [32, 8, 2].map((n) => diagnoseBatchNorm(pixelBn(), data, n).layers[0]!.meanNoise);
    expect(noise[1]! / noise[0]!).toBeGreaterThan(1.5);
    expect(noise[1]! / noise[0]!).toBeLessThan(2.7);
    expect(noise[2]! / noise[1]!).toBeGreaterThan(1.5);
    expect(noise[2]! / noise[1]!).toBeLessThan(2.7);
  });
});
