import { ArgumentError, describeValue } from '@minigrad/tensor';
import type { Collated } from './collate.js';
import { Dataset, batchIndices, checkDataset, itemIndex, type DatasetLike } from './dataset.js';

/** The items of `dataset` at `indices`, in that order (torch.utils.data.Subset). */
export class Subset<T> extends Dataset<T> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Subset';
  /** The dataset the indices point into. */
  readonly dataset: DatasetLike<T>;
  /** Indices into `dataset`, made non-negative (a negative one counts from the end). */
  readonly indices: readonly number[];

  constructor(dataset: DatasetLike<T>, indices: readonly number[] | Int32Array) {
    super();
    this.dataset = checkDataset('Subset', 'dataset', dataset);
    if (!(Array.isArray(indices) || indices instanceof Int32Array)) {
      throw new ArgumentError('Subset', `indices must be an array or an Int32Array of integers, got ${describeValue(indices)}`);
    }
    const n = this.dataset.length;
    this.indices = Object.freeze(Array.from(indices as ArrayLike<unknown>, (i) => itemIndex('Subset', i, n)));
  }

  /** The number of indices. PyTorch: `__len__`. */
  get length(): number {
    return this.indices.length;
  }

  /** The item of the underlying dataset at `indices[index]`. PyTorch: `__getitem__`. */
  getItem(index: number): T {
    return this.dataset.getItem(this.indices[itemIndex('Subset.getItem', index, this.length)]!);
  }

  /** The dataset's own getBatch of the mapped indices where it has one (a Subset of a TensorDataset stays fast). */
  override getBatch(indices: readonly number[] | Int32Array): Collated<T> {
    const mapped = batchIndices('Subset.getBatch', indices, this.length).map((i) => this.indices[i]!);
    return typeof this.dataset.getBatch === 'function' ? this.dataset.getBatch(mapped) : super.getBatch(indices);
  }
}
