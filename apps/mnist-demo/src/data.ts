import { TensorDataset, type Sampler } from '@minigrad/data';
import { tensor, type Tensor } from '@minigrad/tensor';
import { IMAGE_SIZE } from './architecture.js';
import type { Images } from './datasets.js';
import { Rng } from './random.js';

export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
/** Seed of the train/test split: fixed, so every run and every seed sees the same two sets. */
export const SPLIT_SEED = 2018;

/** N images as N x 784 floats (row-major, ready for an [N, 1, 28, 28] tensor) and their labels. */
export interface Split {
  size: number;
  images: Float32Array;
  labels: Int32Array;
}

export interface Data {
  train: Split;
  test: Split;
  /** Mean and standard deviation of the training pixels, used to normalize both sets. */
  mean: number;
  std: number;
}

/**
 * Shuffles a data set's images with SPLIT_SEED, takes the first `trainSize` for training and the next
 * `testSize` for testing (no image is in both), and normalizes both with the training mean and std.
 * `shared` puts the pixels in SharedArrayBuffers, so worker threads read them without a copy.
 */
export function splitImages(all: Images, trainSize: number, testSize: number, shared = false): Data {
  if (!(trainSize >= 1 && testSize >= 1 && trainSize + testSize <= all.size)) {
    throw new RangeError(`splitImages: ${trainSize} + ${testSize} images do not fit in the ${all.size} images of ${all.name}`);
  }
  const order = new Rng(SPLIT_SEED).permutation(all.size);
  const train = pick(all, order.subarray(0, trainSize), shared);
  const test = pick(all, order.subarray(trainSize, trainSize + testSize), shared);
  const { mean, std } = moments(train.images);
  normalize(train.images, mean, std);
  normalize(test.images, mean, std);
  return { train, test, mean, std };
}

/** A split as a dataset of (image [1, 28, 28], label) pairs, for a DataLoader; the tensors copy its arrays. */
export function datasetOf(split: Split): TensorDataset<[Tensor, Tensor]> {
  return new TensorDataset(tensor(split.images, { shape: [split.size, 1, IMAGE_SIZE, IMAGE_SIZE] }), tensor(split.labels));
}

/**
 * The order of the training images, the training loader's sampler: a new permutation from `rng` at every
 * epoch. The demo shuffles with its own generator (random.ts) rather than with `shuffle` and the tensor
 * package's: its whole state is one integer that a checkpoint stores, and the published results were
 * trained in its order.
 */
export class EpochOrder implements Sampler {
  constructor(
    private readonly rng: Rng,
    readonly length: number,
  ) {}

  *[Symbol.iterator](): Iterator<number> {
    yield* this.rng.permutation(this.length);
  }
}

/** Examples [start, start + count) of a split, without copying. */
export function sliceSplit(split: Split, start: number, count: number): Split {
  return {
    size: count,
    images: split.images.subarray(start * PIXELS, (start + count) * PIXELS),
    labels: split.labels.subarray(start, start + count),
  };
}

/** Copies the images `indices` of the whole set as floats in [0, 1]. */
function pick(all: Images, indices: Int32Array, shared: boolean): Split {
  const n = indices.length;
  const images = new Float32Array(shared ? new SharedArrayBuffer(n * PIXELS * 4) : new ArrayBuffer(n * PIXELS * 4));
  const labels = new Int32Array(shared ? new SharedArrayBuffer(n * 4) : new ArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) {
    all.copyImage(indices[i]!, images, i * PIXELS);
    labels[i] = all.labels[indices[i]!]!;
  }
  return { size: n, images, labels };
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
