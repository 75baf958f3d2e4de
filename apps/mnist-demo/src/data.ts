import { createRequire } from 'node:module';
import { IMAGE_SIZE } from './architecture.js';
import { Rng } from './random.js';

/** The `mnist` package ships 10,000 real digits (about 1,000 per class) inside the package. */
export const MNIST_SIZE = 10_000;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
/** Seed of the train/test split: fixed, so every run and every seed sees the same two sets. */
export const SPLIT_SEED = 2018;

/** N images as N x 784 floats (row-major, ready for an [N, 1, 28, 28] tensor) and their labels. */
export interface Split {
  size: number;
  images: Float32Array;
  labels: Int32Array;
}

export interface Mnist {
  train: Split;
  test: Split;
  /** Mean and standard deviation of the training pixels, used to normalize both sets. */
  mean: number;
  std: number;
}

interface MnistDigit {
  length: number;
  raw: number[];
}

/**
 * Shuffles the 10,000 digits with SPLIT_SEED, takes the first `trainSize` for training and the next
 * `testSize` for testing (no image is in both), and normalizes both with the training mean and std.
 */
export function loadMnist(trainSize: number, testSize: number): Mnist {
  if (trainSize < 1 || testSize < 1 || trainSize + testSize > MNIST_SIZE) {
    throw new RangeError(`loadMnist: ${trainSize} + ${testSize} images do not fit in the ${MNIST_SIZE} MNIST digits`);
  }
  const { pixels, labels } = readAllDigits();
  const order = new Rng(SPLIT_SEED).permutation(MNIST_SIZE);
  const train = pick(pixels, labels, order.subarray(0, trainSize));
  const test = pick(pixels, labels, order.subarray(trainSize, trainSize + testSize));
  const { mean, std } = moments(train.images);
  normalize(train.images, mean, std);
  normalize(test.images, mean, std);
  return { train, test, mean, std };
}

/** Copies the examples `order[start .. start + count)` into one batch. */
export function gatherBatch(split: Split, order: Int32Array, start: number, count: number): Split {
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = order[start + i]!;
    images.set(split.images.subarray(k * PIXELS, (k + 1) * PIXELS), i * PIXELS);
    labels[i] = split.labels[k]!;
  }
  return { size: count, images, labels };
}

/** Examples [start, start + count) of a split, without copying. */
export function sliceSplit(split: Split, start: number, count: number): Split {
  return {
    size: count,
    images: split.images.subarray(start * PIXELS, (start + count) * PIXELS),
    labels: split.labels.subarray(start, start + count),
  };
}

function readAllDigits(): { pixels: Float32Array; labels: Int32Array } {
  // mnist is CommonJS; its digit objects hold the raw pixels (0..1) of every sample of one class.
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const pixels = new Float32Array(MNIST_SIZE * PIXELS);
  const labels = new Int32Array(MNIST_SIZE);
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const { length, raw } = digits[d]!;
    for (let i = 0; i < length * PIXELS; i++) pixels[n * PIXELS + i] = raw[i]!;
    labels.fill(d, n, n + length);
    n += length;
  }
  if (n !== MNIST_SIZE) throw new Error(`mnist package holds ${n} digits, expected ${MNIST_SIZE}`);
  return { pixels, labels };
}

function pick(pixels: Float32Array, labels: Int32Array, indices: Int32Array): Split {
  return gatherBatch({ size: MNIST_SIZE, images: pixels, labels }, indices, 0, indices.length);
}

function moments(x: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  const mean = sum / x.length;
  let sq = 0;
  for (let i = 0; i < x.length; i++) sq += (x[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / x.length) };
}

function normalize(x: Float32Array, mean: number, std: number): void {
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) / std;
}
