// Samplers: the order in which a DataLoader visits a dataset's items (torch.utils.data.Sampler). Each
// iteration (each epoch) starts the order anew.
import { ArgumentError, Generator, checkOptions, describeValue, randperm } from '@minigrad/tensor';

/**
 * An order of item indices: any iterable of integers (an array, a generator object, a class with
 * `[Symbol.iterator]`). `length`, when known, lets a DataLoader say how many batches it yields.
 */
export interface Sampler extends Iterable<number> {
  readonly length?: number;
}

/** Anything with a length: a dataset, or the number of items itself. */
type Sized = { readonly length: number } | number;

function sizeOf(op: string, source: Sized): () => number {
  if (Number.isSafeInteger(source) && (source as number) >= 0) return () => source as number;
  const s = source as { length?: unknown } | null;
  if (typeof s !== 'object' || s === null || !Number.isSafeInteger(s.length) || (s.length as number) < 0) {
    throw new ArgumentError(op, `dataSource must be a dataset (with an integer length) or a count of items, got ${describeValue(source)}`);
  }
  // Read at every epoch, as PyTorch's len(data_source).
  return () => (source as { length: number }).length;
}

/** 0, 1, ..., n - 1 in order (what a DataLoader without shuffle uses). */
export class SequentialSampler implements Sampler {
  static readonly typeName: string = 'SequentialSampler';
  private readonly size: () => number;

  constructor(dataSource: Sized) {
    this.size = sizeOf('SequentialSampler', dataSource);
  }

  get length(): number {
    return this.size();
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0, n = this.size(); i < n; i++) yield i;
  }
}

export interface RandomSamplerOptions {
  /** Where the permutations come from; the default generator (`manualSeed`) when not given. */
  generator?: Generator;
}

/**
 * A new random permutation of 0..n-1 at every iteration, drawn with `randperm(n, { generator })` (what a
 * DataLoader with `shuffle: true` uses): the same generator seed gives the same sequence of epochs.
 */
export class RandomSampler implements Sampler {
  static readonly typeName: string = 'RandomSampler';
  readonly generator: Generator | undefined;
  private readonly size: () => number;

  constructor(dataSource: Sized, options: RandomSamplerOptions = {}) {
    this.size = sizeOf('RandomSampler', dataSource);
    const { generator } = checkOptions('RandomSampler', options, ['generator']);
    this.generator = checkGenerator('RandomSampler', generator);
  }

  get length(): number {
    return this.size();
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* randperm(this.size(), { generator: this.generator }).toTypedArray() as Int32Array;
  }
}

export function checkGenerator(op: string, generator: unknown): Generator | undefined {
  if (generator !== undefined && !(generator instanceof Generator)) {
    throw new ArgumentError(op, `generator must be a Generator (from @minigrad/tensor), got ${describeValue(generator)}`);
  }
  return generator;
}
