// DataLoader: batching, dropLast, length, seeded shuffling (a new permutation every epoch), samplers, custom
// collate, the TensorDataset fast path, bad options.
import { ArgumentError, Generator, IndexError, arange, manualSeed, randperm, tensor, type Tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader, RandomSampler, SequentialSampler, Subset, TensorDataset } from '../src/index.js';

const labels = (n: number) => arange(0, n, { dtype: 'int32' });
const images = (n: number) => arange(0, 3 * n, { dtype: 'float32' }).reshape([n, 3]);
const epoch = <B>(loader: Iterable<B>) => [...loader];
/** The labels (the last tensor) of every batch of an epoch. */
const ys = (loader: DataLoader<unknown, Tensor[]>) => epoch(loader).map((b) => b.at(-1)!.toArray());

/** A TensorDataset that counts its getItem calls (to see which path the loader took). */
class Counting extends TensorDataset {
  calls = 0;
  override getItem(i: number): Tensor[] {
    this.calls++;
    return super.getItem(i);
  }
}

describe('DataLoader', () => {
  it('yields batches in order, a last smaller one unless dropLast; length counts them', () => {
    const ds = new TensorDataset(images(7), labels(7));
    const loader = new DataLoader(ds, { batchSize: 3 });
    expect(loader.length).toBe(3);
    const batches = epoch(loader);
    expect(batches.map(([x, y]) => [x.shape, y.toArray()])).toEqual([[[3, 3], [0, 1, 2]], [[3, 3], [3, 4, 5]], [[1, 3], [6]]]);
    expect(batches[1]![0].toArray()).toEqual([[9, 10, 11], [12, 13, 14], [15, 16, 17]]);
    const dropping = new DataLoader(ds, { batchSize: 3, dropLast: true });
    expect(dropping.length).toBe(2);
    expect(ys(dropping)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(ys(new DataLoader(ds))).toEqual([[0], [1], [2], [3], [4], [5], [6]]); // batchSize 1 by default
  });

  it('shuffles with randperm of its generator, a new permutation every epoch, the same for the same seed', () => {
    const ds = new TensorDataset(labels(10));
    const order = (loader: DataLoader<unknown, [{ toArray(): unknown }]>) => epoch(loader).flatMap(([y]) => y.toArray() as number[]);
    const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(3) });
    const [e1, e2] = [order(loader), order(loader)];
    const g = new Generator(3);
    expect(e1).toEqual(Array.from(randperm(10, { generator: g }).toTypedArray()));
    expect(e2).toEqual(Array.from(randperm(10, { generator: g }).toTypedArray()));
    expect(e2).not.toEqual(e1);
    const again = new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(3) });
    expect([order(again), order(again)]).toEqual([e1, e2]);
    // Without a generator, the default one: manualSeed makes it reproducible.
    manualSeed(11);
    const a = order(new DataLoader(ds, { batchSize: 5, shuffle: true }));
    manualSeed(11);
    expect(order(new DataLoader(ds, { batchSize: 5, shuffle: true }))).toEqual(a);
  });

  it('takes a sampler (any iterable of indices, iterated anew each epoch)', () => {
    const ds = new TensorDataset(labels(6));
    expect(ys(new DataLoader(ds, { batchSize: 2, sampler: [5, 5, 0] }))).toEqual([[5, 5], [0]]);
    let epochs = 0;
    const reversed = { length: 6, *[Symbol.iterator]() { epochs++; for (let i = 5; i >= 0; i--) yield i; } };
    const loader = new DataLoader(ds, { batchSize: 4, sampler: reversed, dropLast: true });
    expect(loader.length).toBe(1);
    expect([ys(loader), ys(loader)]).toEqual([[[5, 4, 3, 2]], [[5, 4, 3, 2]]]);
    expect(epochs).toBe(2);
    expect(epoch(new DataLoader(ds, { sampler: new SequentialSampler(2) })).length).toBe(2);
    const random = new RandomSampler(ds, { generator: new Generator(1) });
    expect([...random].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => new DataLoader(ds, { sampler: (function* () { yield 1; })() }).length).toThrow(/^DataLoader.length: the sampler has no length/);
    expect(() => epoch(new DataLoader(ds, { sampler: [0, 6] }))).toThrow(IndexError);
    expect(() => epoch(new DataLoader(ds, { sampler: [0, 6] }))).toThrow(/^DataLoader: the sampler gave 6, which is not an item index of the dataset's 6 items/);
  });

  it('gathers a TensorDataset batch with its getBatch (no per-item getItem), equal to collating the items', () => {
    const ds = new Counting(images(9), labels(9));
    const plain = { length: 9, getItem: (i: number) => ds.getItem(i) }; // no getBatch: items + default collate
    const fast = epoch(new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(5) }));
    expect(ds.calls).toBe(0);
    const slow = epoch(new DataLoader(plain, { batchSize: 4, shuffle: true, generator: new Generator(5) }));
    const show = (bs: typeof fast) => bs.map((b) => b.map((t) => [t.shape, t.dtype, t.toArray()]));
    expect(ds.calls).toBe(9);
    expect(show(fast)).toEqual(show(slow));
    // A Subset of a TensorDataset stays on the fast path.
    expect(ys(new DataLoader(new Subset(ds, [8, 1, 2]), { batchSize: 2 }))).toEqual([[8, 1], [2]]);
    expect(ds.calls).toBe(9);
  });

  it('uses a custom collate on the items (not getBatch)', () => {
    const ds = new TensorDataset(labels(5));
    const loader = new DataLoader(ds, { batchSize: 2, collate: (items) => items.map(([y]) => y.item() * 10) });
    expect(epoch(loader)).toEqual([[0, 10], [20, 30], [40]]);
  });

  it('refuses bad options, naming them', () => {
    const ds = new TensorDataset(labels(4));
    expect(() => new DataLoader(ds, { batch_size: 2 } as object)).toThrow(/^DataLoader: unknown option 'batch_size'/);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader(ds, { shuffle: 'yes' as unknown as boolean })).toThrow(ArgumentError);
    expect(() => new DataLoader(ds, { shuffle: true, sampler: [0] })).toThrow(/sampler option cannot be combined with shuffle/);
    expect(() => new DataLoader(ds, { sampler: 'ab' as unknown as number[] })).toThrow(/sampler must be an iterable of item indices/);
    expect(() => new DataLoader(ds, { generator: 7 as unknown as Generator })).toThrow(/generator must be a Generator/);
    expect(() => new DataLoader(ds, { collate: 1 as unknown as () => number })).toThrow(/collate must be a function/);
    expect(() => new DataLoader(tensor([1, 2]) as never)).toThrow(/^DataLoader: dataset must be a Dataset/);
  });
});
