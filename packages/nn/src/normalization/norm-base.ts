// What BatchNorm and InstanceNorm modules share (PyTorch's _NormBase): per-channel affine parameters and
// optional running statistics kept as buffers (no gradient; saved in the state dict).
import type { DType, Tensor } from '@minigrad/tensor';
import { checkNumber, ones, zeros } from '@minigrad/tensor';
import { checkBool, checkEps, checkParamDType, checkPositiveInt } from '../layers/layer-options.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat } from '../repr.js';

/** Options of `BatchNorm1d`, `BatchNorm2d` and `InstanceNorm2d`. */
export interface NormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new statistic in the running average; null = cumulative average over all batches. */
  momentum?: number | null;
  /** Learnable per-channel weight and bias (default true for BatchNorm, false for InstanceNorm2d). */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode (default true for BatchNorm, false for InstanceNorm2d). */
  trackRunningStats?: boolean;
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

export const NORM_OPTIONS = ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'] as const;

export abstract class NormBase extends Module {
  /** Channels (C) of the input. */
  readonly numFeatures: number;
  /** Added to the variance inside the square root (default 1e-5). */
  readonly eps: number;
  /** Weight of the new statistic in the running average (default 0.1); null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether the layer has a learnable per-channel weight and bias. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in eval mode). */
  readonly trackRunningStats: boolean;
  /** The learnable scale [numFeatures], or null when not affine. */
  weight: Parameter | null;
  /** The learnable shift [numFeatures], or null when not affine. */
  bias: Parameter | null;
  /** Running mean per channel, a buffer (null without trackRunningStats). PyTorch: `running_mean`. */
  declare runningMean: Tensor | null;
  /** Running unbiased variance per channel, a buffer (null without trackRunningStats). PyTorch: `running_var`. */
  declare runningVar: Tensor | null;
  /** Training steps taken, an int32 0-d buffer (null without trackRunningStats). PyTorch: `num_batches_tracked`. */
  declare numBatchesTracked: Tensor | null;

  constructor(layer: string, numFeatures: number, opts: Required<Omit<NormOptions, 'dtype'>> & { dtype: DType }) {
    super();
    checkPositiveInt(layer, 'numFeatures', numFeatures);
    checkEps(layer, opts.eps);
    if (opts.momentum !== null) checkNumber(layer, 'momentum', opts.momentum, { min: 0, max: 1 });
    checkBool(layer, 'affine', opts.affine);
    checkBool(layer, 'trackRunningStats', opts.trackRunningStats);
    checkParamDType(layer, opts.dtype);
    this.numFeatures = numFeatures;
    this.eps = opts.eps;
    this.momentum = opts.momentum;
    this.affine = opts.affine;
    this.trackRunningStats = opts.trackRunningStats;
    const dtype = opts.dtype;
    this.weight = opts.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = opts.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = opts.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    this.runningMean?.fill(0);
    this.runningVar?.fill(1);
    this.numBatchesTracked?.fill(0);
  }

  /** Running stats reset, weight 1, bias 0. */
  resetParameters(): void {
    this.resetRunningStats();
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, ` +
      `track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}
