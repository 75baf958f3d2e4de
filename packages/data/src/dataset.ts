// The map-style dataset (torch.utils.data.Dataset): a length and an item per index. `length` and
// `getItem(i)` are PyTorch's `__len__` and `__getitem__`; JavaScript has no operator to overload.
import { ArgumentError, IndexError, checkInt, describeValue, typeNameOf } from '@minigrad/tensor';
import { defaultCollate, type Collated } from './collate.js';

/**
 * What the loader, Subset, ConcatDataset and randomSplit take: any object with a `length` and a
 * `getItem(index)` for `0 <= index < length` (a Dataset subclass, or a plain object). `getBatch`, when
 * present, must equal the default collate of those items and is the loader's fast path.
 */
export interface DatasetLike<T> {
  /** The number of items. PyTorch: `__len__`. */
  readonly length: number;
  /** The item at `index` (0 <= index < length). PyTorch: `__getitem__`. */
  getItem(index: number): T;
  /** The default collate of the items at `indices`, gathered in one go (the loader's fast path). */
  getBatch?(indices: readonly number[] | Int32Array): Collated<T>;
}

/**
 * A map-style dataset: subclasses define `length` and `getItem(index)`. `getBatch(indices)` is the default
 * collate of the items at `indices` (what a DataLoader with the default collate yields); a subclass that
 * can gather a batch in one go (TensorDataset) overrides it.
 */
export abstract class Dataset<T> implements DatasetLike<T> {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'Dataset';
  /** The number of items. PyTorch: `__len__`. */
  abstract readonly length: number;
  /** The item at `index` (0 <= index < length). PyTorch: `__getitem__`. */
  abstract getItem(index: number): T;

  /**
   * The default collate of the items at `indices` (negative indices count from the end), as a DataLoader with the default collate yields it.
   */
  getBatch(indices: readonly number[] | Int32Array): Collated<T> {
    return defaultCollate(Array.from(batchIndices(`${typeNameOf(this)}.getBatch`, indices, this.length), (i) => this.getItem(i)));
  }
}

/** `dataset` checked as a DatasetLike (its length a non-negative integer). */
export function checkDataset<T>(op: string, name: string, dataset: unknown): DatasetLike<T> {
  const d = dataset as Partial<DatasetLike<T>> | null;
  if (typeof d !== 'object' || d === null || typeof d.getItem !== 'function' || !Number.isSafeInteger(d.length) || (d.length as number) < 0) {
    throw new ArgumentError(op, `${name} must be a Dataset (an object with getItem(index) and an integer length), got ${describeValue(dataset)}`);
  }
  return d as DatasetLike<T>;
}

/** An item index in [-length, length) (negative ones count from the end, as in Python), made non-negative. */
export function itemIndex(op: string, index: unknown, length: number): number {
  const i = checkInt(op, 'index', index);
  if (i < -length || i >= length) throw new IndexError(op, `index ${i} is out of range for a dataset of ${length} items`);
  return i < 0 ? i + length : i;
}

/** A non-empty list of item indices, each checked by itemIndex, made non-negative. */
export function batchIndices(op: string, indices: unknown, length: number): Int32Array {
  if (!(Array.isArray(indices) || indices instanceof Int32Array)) {
    throw new ArgumentError(op, `indices must be an array or an Int32Array of integers, got ${describeValue(indices)}`);
  }
  if (indices.length === 0) throw new ArgumentError(op, 'indices is empty (a batch has at least one item)');
  const out = new Int32Array(indices.length);
  for (let k = 0; k < out.length; k++) {
    const i: unknown = indices[k];
    // The loader's indices are in range already: only the others go through itemIndex's checks.
    out[k] = Number.isSafeInteger(i) && (i as number) >= 0 && (i as number) < length ? (i as number) : itemIndex(op, i, length);
  }
  return out;
}
