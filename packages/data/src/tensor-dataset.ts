import { ArgumentError, ShapeError, Tensor, describeValue, fmtShape, tensor } from '@minigrad/tensor';
import type { Collated } from './collate.js';
import { Dataset, batchIndices, itemIndex } from './dataset.js';

/**
 * Tensors that share their first dim: item i is `[t0.select(0, i), t1.select(0, i), ...]` (views), like
 * torch.utils.data.TensorDataset. A batch is gathered with one `indexSelect` per tensor, not by stacking
 * one slice per item.
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'TensorDataset';
  /** The tensors, all with the same size in dim 0 (the items). */
  readonly tensors: T;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new ArgumentError('TensorDataset', 'needs at least one tensor');
    tensors.forEach((t: unknown, i) => {
      if (!(t instanceof Tensor)) {
        throw new ArgumentError('TensorDataset', `argument ${i} must be a Tensor (of a Variable, pass its .data), got ${describeValue(t)}`);
      }
      if (t.ndim === 0) throw new ShapeError('TensorDataset', `argument ${i} is 0-d: each tensor needs a first dim to index items by`);
    });
    const sizes = tensors.map((t) => t.shape[0]!);
    if (sizes.some((n) => n !== sizes[0])) {
      throw new ShapeError('TensorDataset', `the tensors' first dims differ (${sizes.join(', ')}; shapes ${tensors.map((t) => fmtShape(t.shape)).join(', ')}): each item takes one row of every tensor`);
    }
    this.tensors = tensors;
  }

  /** The size of dim 0 of the tensors. PyTorch: `__len__`. */
  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /** The slices of every tensor at `index` along dim 0. PyTorch: `__getitem__`. */
  getItem(index: number): T {
    const i = itemIndex('TensorDataset.getItem', index, this.length);
    return this.tensors.map((t) => t.select(0, i)) as T;
  }

  /** The items at `indices`, stacked: one indexSelect along dim 0 per tensor (copies, as stacking would). */
  override getBatch(indices: readonly number[] | Int32Array): Collated<T> {
    const index = tensor(batchIndices('TensorDataset.getBatch', indices, this.length));
    return this.tensors.map((t) => t.indexSelect(0, index)) as Collated<T>;
  }
}
