import { ArgumentError, checkOptions, describeValue, randperm, type Generator } from '@minigrad/tensor';
import { checkDataset, type DatasetLike } from './dataset.js';
import { checkGenerator } from './sampler.js';
import { Subset } from './subset.js';

/** Options of `randomSplit`. */
export interface RandomSplitOptions {
  /** Where the permutation comes from; the default generator (`manualSeed`) when not given. */
  generator?: Generator;
}

/**
 * Splits a dataset into non-overlapping Subsets of the given lengths, taking consecutive runs of one
 * `randperm(dataset.length, { generator })` (torch.utils.data.random_split). `lengths` are item counts
 * summing to the dataset's length, or fractions summing to 1: then each split gets floor(n * fraction)
 * items and the remainder is dealt one item at a time to the splits in order, from the first (PyTorch 2's rule).
 */
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: readonly number[], options: RandomSplitOptions = {}): Subset<T>[] {
  const d = checkDataset<T>('randomSplit', 'dataset', dataset);
  const { generator } = checkOptions('randomSplit', options, ['generator']);
  checkGenerator('randomSplit', generator);
  const counts = splitLengths(lengths, d.length);
  const order = randperm(d.length, { generator }).toTypedArray() as Int32Array;
  let start = 0;
  return counts.map((count) => new Subset(d, order.subarray(start, (start += count))));
}

/** Item counts from `lengths` (counts, or fractions summing to 1) for a dataset of n items. */
function splitLengths(lengths: readonly number[], n: number): number[] {
  if (!Array.isArray(lengths) || lengths.length === 0 || !lengths.every((l) => typeof l === 'number' && Number.isFinite(l) && l >= 0)) {
    throw new ArgumentError('randomSplit', `lengths must be a non-empty array of item counts or fractions (non-negative numbers), got ${describeValue(lengths)}`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  // PyTorch's test: math.isclose(sum, 1) (relative tolerance 1e-9) and sum <= 1.
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, total) && total <= 1) {
    lengths.forEach((f, i) => {
      if (f > 1) throw new ArgumentError('randomSplit', `fraction ${f} at index ${i} is not between 0 and 1`);
    });
    const counts = lengths.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]! += 1;
    return counts;
  }
  const fraction = lengths.find((l) => !Number.isInteger(l));
  if (fraction !== undefined) {
    throw new ArgumentError('randomSplit', `lengths ${describeValue(lengths)} are neither item counts (${fraction} is not an integer) nor fractions summing to 1 (they sum to ${total})`);
  }
  if (total !== n) throw new ArgumentError('randomSplit', `the lengths ${describeValue(lengths)} sum to ${total}, not to the dataset's ${n} items`);
  return lengths.slice();
}
