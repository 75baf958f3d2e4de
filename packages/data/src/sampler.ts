// Samplers: the order in which a DataLoader visits a dataset's items (torch.utils.data.Sampler). Each
// iteration (each epoch) starts the order anew.
import { ArgumentError, Generator, checkOptions, describeValue, randperm } from '@minigrad/tensor';

/**
 * An order of item indices: any iterable of integers (an array, a generator object, a class with
 * `[Symbol.iterator]`). `length`, when known, lets a DataLoader say how many batches it yields.
 */
export interface Sampler extends Iterable<number> {
  /** The number of indices it yields, when known. */
  readonly length?: number;
}

/** Anything with a length: a dataset, or the number of items itself (what the samplers take). */
export type Sized = HasLength | number;

/** An object with a length (a dataset, an array). */
export interface HasLength {
  /** The number of items. */
  readonly length: number;
}

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
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'SequentialSampler';
  private readonly size: () => number;

  constructor(dataSource: Sized) {
    this.size = sizeOf('SequentialSampler', dataSource);
  }

  /** The number of indices per pass (the data source's length, read at each call). */
  get length(): number {
    return this.size();
  }

  /** Yields 0, 1, ..., length - 1. */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0, n = this.size(); i < n; i++) yield i;
  }
}

/** Options of `RandomSampler`. */
export interface RandomSamplerOptions {
  /** Where the permutations come from; the default generator (`manualSeed`) when not given. */
  generator?: Generator;
}

/**
 * A new random permutation of 0..n-1 at every iteration, drawn with `randperm(n, { generator })` (what a
 * DataLoader with `shuffle: true` uses): the same generator seed gives the same sequence of epochs.
 */
export class RandomSampler implements Sampler {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'RandomSampler';
  /** Where the permutations come from; undefined for the default generator. */
  readonly generator: Generator | undefined;
  private readonly size: () => number;

  constructor(dataSource: Sized, options: RandomSamplerOptions = {}) {
    this.size = sizeOf('RandomSampler', dataSource);
    const { generator } = checkOptions('RandomSampler', options, ['generator']);
    this.generator = checkGenerator('RandomSampler', generator);
  }

  /** The number of indices per pass (the data source's length, read at each call). */
  get length(): number {
    return this.size();
  }

  /** Yields a new random permutation of 0..length-1 on each pass. */
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
