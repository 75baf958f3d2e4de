import { ArgumentError, IndexError, checkBool, checkFunction, checkOptions, checkPositiveInt, describeValue, type Generator } from '@minigrad/tensor';
import { defaultCollate, type Collated } from './collate.js';
import { checkDataset, type DatasetLike } from './dataset.js';
import { RandomSampler, SequentialSampler, checkGenerator, type Sampler } from './sampler.js';

/** Options of `DataLoader`; PyTorch's defaults. */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (1). */
  batchSize?: number;
  /** A new random order at every epoch (false): a RandomSampler drawing from `generator`. */
  shuffle?: boolean;
  /** The order of the items instead (any iterable of indices, iterated anew at every epoch); not with shuffle. */
  sampler?: Iterable<number>;
  /** Leave out a last batch smaller than batchSize (false). */
  dropLast?: boolean;
  /** Where shuffle's permutations come from; the default generator (`manualSeed`) when not given. */
  generator?: Generator;
  /** Makes a batch of the items (defaultCollate). */
  collate?: (items: T[]) => B;
}

const OPTIONS = ['batchSize', 'shuffle', 'sampler', 'dropLast', 'generator', 'collate'] as const;

/**
 * Batches of a dataset's items, in order or shuffled (torch.utils.data.DataLoader, in the calling thread:
 * there are no worker processes): `for (const [x, y] of loader)`. Each `for` over it is one epoch; with
 * `shuffle`, every epoch draws a new permutation from `generator`, so the same seed gives the same epochs.
 * With the default collate, a dataset's `getBatch` gathers each batch in one go (a TensorDataset: one
 * indexSelect per tensor). Batches hold Tensors, which every layer and op takes.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'DataLoader';
  /** The dataset it batches. */
  readonly dataset: DatasetLike<T>;
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether a last, smaller batch is dropped. */
  readonly dropLast: boolean;
  /** The order of the items: the `sampler` option, or the one shuffle (or its absence) chose. */
  readonly sampler: Iterable<number>;
  private readonly collate: ((items: T[]) => B) | undefined;

  constructor(dataset: DatasetLike<T>, options: DataLoaderOptions<T, B> = {}) {
    this.dataset = checkDataset<T>('DataLoader', 'dataset', dataset);
    const { batchSize = 1, shuffle = false, sampler, dropLast = false, generator, collate } = checkOptions('DataLoader', options, [...OPTIONS]);
    this.batchSize = checkPositiveInt('DataLoader', 'batchSize', batchSize);
    this.dropLast = checkBool('DataLoader', 'dropLast', dropLast);
    checkGenerator('DataLoader', generator);
    this.collate = collate === undefined ? undefined : checkFunction<(items: T[]) => B>('DataLoader', 'collate', collate);
    if (checkBool('DataLoader', 'shuffle', shuffle) && sampler !== undefined) {
      throw new ArgumentError('DataLoader', 'the sampler option cannot be combined with shuffle: the sampler sets the order (shuffle inside it)');
    }
    if (sampler !== undefined && (typeof sampler !== 'object' || sampler === null || typeof (sampler as Partial<Iterable<number>>)[Symbol.iterator] !== 'function')) {
      throw new ArgumentError('DataLoader', `sampler must be an iterable of item indices (an array, a Sampler), got ${describeValue(sampler)}`);
    }
    this.sampler = sampler ?? (shuffle ? new RandomSampler(this.dataset, { generator }) : new SequentialSampler(this.dataset));
  }

  /** The number of batches an epoch yields (PyTorch's len(loader)). */
  get length(): number {
    const n = (this.sampler as Sampler).length;
    if (!Number.isSafeInteger(n) || (n as number) < 0) {
      throw new ArgumentError('DataLoader.length', `the sampler has no length (an integer length property), so the number of batches is unknown before iterating`);
    }
    return this.dropLast ? Math.floor(n! / this.batchSize) : Math.ceil(n! / this.batchSize);
  }

  /** One epoch: the batches in the sampler's order, a last smaller one unless dropLast. */
  *[Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    let batch: number[] = [];
    for (const index of this.sampler) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
        throw new IndexError('DataLoader', `the sampler gave ${describeValue(index)}, which is not an item index of the dataset's ${n} items`);
      }
      batch.push(index);
      if (batch.length === this.batchSize) {
        yield this.fetch(Int32Array.from(batch));
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield this.fetch(Int32Array.from(batch));
  }

  private fetch(indices: Int32Array): B {
    if (this.collate === undefined && typeof this.dataset.getBatch === 'function') return this.dataset.getBatch(indices) as B;
    const items = Array.from(indices, (i) => this.dataset.getItem(i));
    return this.collate === undefined ? (defaultCollate(items) as B) : this.collate(items);
  }
}
