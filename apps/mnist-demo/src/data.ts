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
  const digits = readDigits();
  const order = new Rng(SPLIT_SEED).permutation(MNIST_SIZE);
  const train = pick(digits, order.subarray(0, trainSize));
  const test = pick(digits, order.subarray(trainSize, trainSize + testSize));
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

/** The package's digits, class by class: image i of the whole set is row `row[i]` of `raw[label[i]]`. */
interface Digits {
  raw: number[][];
  label: Int32Array;
  row: Int32Array;
}

function readDigits(): Digits {
  // mnist is CommonJS; its digit objects hold the raw pixels (0..1) of every sample of one class.
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const total = digits.slice(0, 10).reduce((sum, d) => sum + d.length, 0);
  if (total !== MNIST_SIZE) throw new Error(`the mnist package holds ${total} digits, expected ${MNIST_SIZE}`);
  const label = new Int32Array(MNIST_SIZE);
  const row = new Int32Array(MNIST_SIZE);
  for (let d = 0, n = 0; d < 10; d++) {
    for (let i = 0; i < digits[d]!.length; i++, n++) {
      label[n] = d;
      row[n] = i;
    }
  }
  return { raw: digits.slice(0, 10).map((d) => d.raw), label, row };
}

/** Copies the images `indices` of the whole set (only those: converting all 10,000 would take longer). */
function pick(digits: Digits, indices: Int32Array): Split {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    const raw = digits.raw[digits.label[k]!]!;
    const from = digits.row[k]! * PIXELS;
    for (let p = 0; p < PIXELS; p++) images[i * PIXELS + p] = raw[from + p]!;
    labels[i] = digits.label[k]!;
  }
  return { size: indices.length, images, labels };
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
