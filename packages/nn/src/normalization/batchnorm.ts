// BatchNorm1d and BatchNorm2d: statistics per channel over the batch (and length / spatial dims).
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import { ShapeError, fmtShape, typeNameOf } from '@minigrad/tensor';
import { batchNorm } from './functional.js';
import { NORM_OPTIONS, NormBase, type NormOptions } from './norm-base.js';
import { layerOptions } from '../layers/layer-options.js';

abstract class BatchNormBase extends NormBase {
  constructor(layer: string, numFeatures: number, opts: NormOptions | undefined) {
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = layerOptions(layer, opts, NORM_OPTIONS);
    super(layer, numFeatures, { eps, momentum, affine, trackRunningStats, dtype });
  }

  /** Throws unless x has an accepted rank and numFeatures channels in dim 1. */
  protected abstract checkInput(x: Variable): void;

  /** Throws unless dim 1 of `x` has numFeatures channels. */
  protected checkChannels(layer: string, x: Variable): void {
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        this.describe(layer),
        `expected ${this.numFeatures} channels (dim 1), got input of shape ${fmtShape(x.shape)}`,
      );
    }
  }

  override forward(input: TensorLike): Variable {
    const x = asVariable(input, 'batchNorm', 'input');
    this.checkInput(x);
    // without running stats the batch statistics are used in eval mode too
    const useBatchStats = this.training || this.runningMean === null;
    if (useBatchStats && x.numel() / x.shape[1] === 1) {
      throw new ShapeError(
        this.describe(`${typeNameOf(this)}(${this.numFeatures})`),
        `expected more than 1 value per channel when training, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked !== null) {
      this.numBatchesTracked.addInPlace(1);
      // momentum null: the cumulative average, the new batch weighted 1 / batches seen
      if (this.momentum === null) factor = 1 / this.numBatchesTracked.item();
    }
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, useBatchStats, factor, this.eps);
  }
}

/** BatchNorm over [N, C] or [N, C, L]: one mean and variance per channel. */
export class BatchNorm1d extends BatchNormBase {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'BatchNorm1d';
  constructor(numFeatures: number, opts?: NormOptions) {
    super('BatchNorm1d', numFeatures, opts);
  }

  protected override checkInput(x: Variable): void {
    const layer = `BatchNorm1d(${this.numFeatures})`;
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new ShapeError(this.describe(layer), `expected a 2-D [N, C] or 3-D [N, C, L] input, got ${fmtShape(x.shape)}`);
    }
    this.checkChannels(layer, x);
  }
}

/** BatchNorm over [N, C, H, W]: one mean and variance per channel over (N, H, W). */
export class BatchNorm2d extends BatchNormBase {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'BatchNorm2d';
  constructor(numFeatures: number, opts?: NormOptions) {
    super('BatchNorm2d', numFeatures, opts);
  }

  protected override checkInput(x: Variable): void {
    const layer = `BatchNorm2d(${this.numFeatures})`;
    if (x.ndim !== 4) throw new ShapeError(this.describe(layer), `expected a 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
    this.checkChannels(layer, x);
  }
}
