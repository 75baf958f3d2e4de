// InstanceNorm2d: statistics per sample and channel over (H, W). No affine and no running stats by default.
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import { ArgumentError, ShapeError, fmtShape } from '@minigrad/tensor';
import { instanceNorm } from './functional.js';
import { NORM_OPTIONS, NormBase, type NormOptions } from './norm-base.js';
import { layerOptions } from '../layers/layer-options.js';

/**
 * Instance normalization: statistics per sample and channel over (H, W); no affine and no running statistics
 * by default. PyTorch: `torch.nn.InstanceNorm2d`.
 */
export class InstanceNorm2d extends NormBase {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'InstanceNorm2d';
  constructor(numFeatures: number, opts?: NormOptions) {
    const { eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, dtype = 'float32' } = layerOptions('InstanceNorm2d', opts, NORM_OPTIONS);
    if (momentum === null) {
      // as in PyTorch: instance norm has no cumulative-average mode
      throw new ArgumentError('InstanceNorm2d', 'momentum must be a number (null, the cumulative average, is BatchNorm only)');
    }
    super('InstanceNorm2d', numFeatures, { eps, momentum, affine, trackRunningStats, dtype });
  }

  /** [N, C, H, W], or an unbatched [C, H, W]. */
  override forward(input: TensorLike): Variable {
    const x = asVariable(input, 'instanceNorm', 'input');
    const layer = this.describe(`InstanceNorm2d(${this.numFeatures})`);
    if (x.ndim !== 3 && x.ndim !== 4) {
      throw new ShapeError(layer, `expected a 4-D input [N, C, H, W] or a 3-D one [C, H, W], got ${fmtShape(x.shape)}`);
    }
    const batched = x.ndim === 4 ? x : x.unsqueeze(0);
    // PyTorch only warns on a channel mismatch without affine parameters; shapes are checked when it matters
    if (batched.shape[1] !== this.numFeatures && (this.affine || this.trackRunningStats)) {
      throw new ShapeError(layer, `expected ${this.numFeatures} channels, got input of shape ${fmtShape(x.shape)}`);
    }
    const useInputStats = this.training || !this.trackRunningStats;
    if (useInputStats && batched.shape[2] * batched.shape[3] === 1) {
      throw new ShapeError(layer, `expected more than 1 spatial element per channel when training, got input of shape ${fmtShape(x.shape)}`);
    }
    const out = instanceNorm(batched, this.runningMean, this.runningVar, this.weight, this.bias, useInputStats, this.momentum!, this.eps);
    return x.ndim === 4 ? out : out.squeeze(0);
  }
}
