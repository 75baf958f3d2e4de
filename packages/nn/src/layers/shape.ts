// Layers that only rearrange their input: Identity, Flatten, Unflatten.
import { IndexError, ShapeError, checkInt, checkIntArray, fmtShape } from '@minigrad/tensor';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import { pyIntOrTuple } from '../repr.js';

/**
 * Returns its input unchanged (a placeholder, e.g. for a norm layer switched off), a plain Tensor as a constant
 * Variable. Ignores constructor args.
 */
export class Identity extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Identity';
  override forward(x: TensorLike): Variable {
    return asVariable(x, 'identity', 'input');
  }
}

/** Flattens dims startDim..endDim into one (default: everything but the batch dim). */
export class Flatten extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Flatten';
  /** First dim to flatten (default 1). */
  readonly startDim: number;
  /** Last dim to flatten (default -1). */
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = checkInt('Flatten', 'startDim', startDim);
    this.endDim = checkInt('Flatten', 'endDim', endDim);
  }
  override forward(x: TensorLike): Variable {
    return asVariable(x, 'flatten', 'input').flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits dim `dim` into `unflattenedSize` (one entry may be -1). */
export class Unflatten extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Unflatten';
  /** The dimension that is split. */
  readonly dim: number;
  /** The sizes the dimension is split into. */
  readonly unflattenedSize: readonly number[];
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = checkInt('Unflatten', 'dim', dim);
    this.unflattenedSize = [...checkIntArray('Unflatten', 'unflattenedSize', unflattenedSize)];
  }
  override forward(input: TensorLike): Variable {
    const x = asVariable(input, 'unflatten', 'input');
    const shape = x.shape;
    const d = this.dim < 0 ? this.dim + shape.length : this.dim;
    const op = () => this.describe(`Unflatten(${this.dim}, ${pyIntOrTuple(this.unflattenedSize)})`);
    if (d < 0 || d >= shape.length) throw new IndexError(op(), `dim ${this.dim} is out of range for input ${fmtShape(shape)}`);
    const sizes = [...this.unflattenedSize];
    const known = sizes.reduce((acc, s) => (s === -1 ? acc : acc * s), 1);
    const free = sizes.indexOf(-1);
    if (free >= 0 && known > 0) sizes[free] = shape[d] / known;
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, s) => a * s, 1) !== shape[d]) {
      throw new ShapeError(op(), `sizes ${pyIntOrTuple(this.unflattenedSize)} do not multiply to ${shape[d]} (input ${fmtShape(shape)})`);
    }
    return x.reshape([...shape.slice(0, d), ...sizes, ...shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyIntOrTuple(this.unflattenedSize)}`;
  }
}
