// TensorDataset, Subset, ConcatDataset and randomSplit: items, batches, PyTorch's split lengths, errors.
import { ArgumentError, Generator, IndexError, ShapeError, arange, randperm, tensor, type Tensor } from '@minigrad/tensor';
import { loadFixtures } from '@minigrad/testing';
import { describe, expect, it } from 'vitest';
import { ConcatDataset, Dataset, Subset, TensorDataset, defaultCollate, randomSplit } from '../src/index.js';

const x = () => arange(0, 24, { dtype: 'float32' }).reshape([6, 2, 2]);
const y = () => tensor([5, 4, 3, 2, 1, 0], { dtype: 'int32' });
const rows = (t: Tensor) => t.toArray();

/** A user's dataset: squares, with no getBatch of its own. */
class Squares extends Dataset<{ n: number; sq: number }> {
  calls = 0;
  constructor(readonly length: number) {
    super();
  }
  getItem(i: number) {
    this.calls++;
    return { n: i, sq: i * i };
  }
}

describe('TensorDataset', () => {
  it('item i is row i of every tensor; negative indices count from the end', () => {
    const ds = new TensorDataset(x(), y());
    expect(ds.length).toBe(6);
    const [xi, yi] = ds.getItem(2);
    expect(xi.toArray()).toEqual([[8, 9], [10, 11]]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(3);
    expect(rows(ds.getItem(-1)[0])).toEqual(rows(ds.getItem(5)[0]));
  });

  it('getBatch equals stacking the items (default collate), for any order and repeats', () => {
    const ds = new TensorDataset(x(), y(), tensor([[1, 0], [0, 1], [1, 1], [0, 0], [2, 2], [3, 3]], { dtype: 'float64' }));
    const indices = [4, 0, 0, 5, -2];
    const fast = ds.getBatch(indices);
    const slow = defaultCollate(indices.map((i) => ds.getItem(i)));
    expect(fast.map((t) => [t.shape, t.dtype, t.toArray()])).toEqual(slow.map((t) => [t.shape, t.dtype, t.toArray()]));
    expect(fast[0].shape).toEqual([5, 2, 2]);
    expect(fast[1].toArray()).toEqual([1, 5, 5, 0, 1]);
  });

  it('refuses tensors whose first dims differ (naming the sizes), 0-d tensors, non-tensors and bad indices', () => {
    expect(() => new TensorDataset(x(), tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => new TensorDataset(x(), tensor([1, 2, 3]))).toThrow(/^TensorDataset: the tensors' first dims differ \(6, 3; shapes \[6,2,2\], \[3\]\)/);
    expect(() => new TensorDataset(tensor(1))).toThrow(/argument 0 is 0-d/);
    expect(() => new TensorDataset()).toThrow(/needs at least one tensor/);
    expect(() => new TensorDataset(x(), [1, 2] as unknown as Tensor)).toThrow(/argument 1 must be a Tensor/);
    const ds = new TensorDataset(y());
    expect(() => ds.getItem(6)).toThrow(IndexError);
    expect(() => ds.getItem(-7)).toThrow(/^TensorDataset.getItem: index -7 is out of range for a dataset of 6 items/);
    expect(() => ds.getItem(1.5)).toThrow(ArgumentError);
    expect(() => ds.getBatch([0, 6])).toThrow(/^TensorDataset.getBatch: index 6 is out of range/);
    expect(() => ds.getBatch([])).toThrow(/indices is empty/);
  });
});

describe('Subset', () => {
  it('maps its indices into the dataset, and batches through the dataset\'s getBatch', () => {
    const base = new TensorDataset(x(), y());
    const sub = new Subset(base, [5, -6, 3]);
    expect(sub.indices).toEqual([5, 0, 3]);
    expect(sub.length).toBe(3);
    expect(sub.getItem(1)[1].item()).toBe(5);
    expect(sub.getItem(-1)[1].item()).toBe(2);
    const [bx, by] = sub.getBatch([2, 0]);
    expect(by.toArray()).toEqual([2, 0]);
    expect(bx.toArray()).toEqual(base.getBatch([3, 5])[0].toArray());
  });

  it('of a dataset without getBatch, collates the items; of a Subset, nests', () => {
    const squares = new Squares(10);
    const sub = new Subset(new Subset(squares, [9, 8, 7, 6]), [3, 0]);
    expect(sub.getItem(0)).toEqual({ n: 6, sq: 36 });
    const batch = sub.getBatch([0, 1]);
    expect(batch.n.toArray()).toEqual([6, 9]);
    expect(batch.sq.toArray()).toEqual([36, 81]);
    const plain = { length: 3, getItem: (i: number) => [i, i / 2] };
    expect(new Subset(plain, [2, 1]).getBatch([0, 1]).map((t) => [t.dtype, t.toArray()])).toEqual([['int32', [2, 1]], ['float32', [1, 0.5]]]);
  });

  it('refuses indices outside the dataset and things that are not datasets', () => {
    expect(() => new Subset(new Squares(3), [0, 3])).toThrow(/^Subset: index 3 is out of range for a dataset of 3 items/);
    expect(() => new Subset(new Squares(3), 'ab' as unknown as number[])).toThrow(/indices must be an array/);
    expect(() => new Subset([1, 2] as unknown as Squares, [0])).toThrow(/dataset must be a Dataset/);
  });
});

describe('ConcatDataset', () => {
  it('puts the datasets one after another', () => {
    const cat = new ConcatDataset<{ n: number; sq: number }>([new Squares(2), new Squares(0), new Squares(3)]);
    expect(cat.length).toBe(5);
    expect(cat.cumulativeSizes).toEqual([2, 2, 5]);
    expect([0, 1, 2, 3, 4, -1].map((i) => cat.getItem(i).n)).toEqual([0, 1, 0, 1, 2, 2]);
    expect(cat.getBatch([4, 0]).sq.toArray()).toEqual([4, 0]);
    expect(() => cat.getItem(5)).toThrow(IndexError);
    expect(() => new ConcatDataset([])).toThrow(/non-empty array/);
    expect(() => new ConcatDataset([new Squares(1), {} as Squares])).toThrow(/datasets\[1\] must be a Dataset/);
  });
});

describe('randomSplit', () => {
  type Case = { n: number; lengths: number[]; expected: number[] | 'error' };
  const { cases } = loadFixtures<Case>(new URL('./fixtures/random-split.json', import.meta.url));

  it.each(cases)('n = $n, lengths $lengths: PyTorch\'s subset lengths ($expected)', ({ n, lengths, expected }) => {
    const split = () => randomSplit(new Squares(n), lengths, { generator: new Generator(0) });
    if (expected === 'error') expect(split).toThrow(ArgumentError);
    else expect(split().map((s) => s.length)).toEqual(expected);
  });

  it('deals consecutive runs of one randperm of the generator: disjoint, covering, reproducible', () => {
    const [a, b, c] = randomSplit(new Squares(20), [0.5, 0.3, 0.2], { generator: new Generator(7) });
    const perm = Array.from(randperm(20, { generator: new Generator(7) }).toTypedArray());
    expect([...a!.indices, ...b!.indices, ...c!.indices]).toEqual(perm);
    expect(randomSplit(new Squares(20), [10, 6, 4], { generator: new Generator(7) }).map((s) => s.indices)).toEqual([a!.indices, b!.indices, c!.indices]);
    expect(randomSplit(new Squares(20), [10, 10], { generator: new Generator(8) })[0]!.indices).not.toEqual(perm.slice(0, 10));
  });

  it('names what is wrong with the lengths', () => {
    expect(() => randomSplit(new Squares(10), [3, 6])).toThrow(/^randomSplit: the lengths \[3,6\] sum to 9, not to the dataset's 10 items/);
    expect(() => randomSplit(new Squares(10), [2.5, 7.5])).toThrow(/neither item counts \(2.5 is not an integer\) nor fractions summing to 1/);
    expect(() => randomSplit(new Squares(10), [])).toThrow(/non-empty array/);
    expect(() => randomSplit(new Squares(10), [5, 5], { generator: 1 as unknown as Generator })).toThrow(/generator must be a Generator/);
    expect(() => randomSplit(new Squares(10), [5, 5], { seed: 1 } as object)).toThrow(/unknown option 'seed'/);
  });
});
