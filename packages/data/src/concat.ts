import { ArgumentError, describeValue } from '@minigrad/tensor';
import { Dataset, checkDataset, itemIndex, type DatasetLike } from './dataset.js';

/** Datasets one after another: items 0..n0-1 are the first's, then the second's, ... (torch.utils.data.ConcatDataset). */
export class ConcatDataset<T> extends Dataset<T> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ConcatDataset';
  /** The datasets, in order. */
  readonly datasets: readonly DatasetLike<T>[];
  /** The running totals of the datasets' lengths: dataset k holds items [cumulativeSizes[k-1], cumulativeSizes[k]). */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: readonly DatasetLike<T>[]) {
    super();
    if (!Array.isArray(datasets) || datasets.length === 0) {
      throw new ArgumentError('ConcatDataset', `datasets must be a non-empty array of datasets, got ${describeValue(datasets)}`);
    }
    this.datasets = Object.freeze(datasets.map((d, i) => checkDataset<T>('ConcatDataset', `datasets[${i}]`, d)));
    let total = 0;
    this.cumulativeSizes = Object.freeze(this.datasets.map((d) => (total += d.length)));
  }

  /** The total number of items of all the datasets. PyTorch: `__len__`. */
  get length(): number {
    return this.cumulativeSizes.at(-1)!;
  }

  /** The item at `index` of the concatenation (negative counts from the end). PyTorch: `__getitem__`. */
  getItem(index: number): T {
    const i = itemIndex('ConcatDataset.getItem', index, this.length);
    // The first dataset whose running total exceeds i (binary search: many small datasets stay fast).
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    return this.datasets[lo]!.getItem(i - (lo === 0 ? 0 : this.cumulativeSizes[lo - 1]!));
  }
}
