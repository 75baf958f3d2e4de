// GroupNorm: statistics per sample and group of numChannels / numGroups channels, affine per channel.
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import type { DType } from '@minigrad/tensor';
import { ArgumentError, ShapeError, ones, zeros, fmtShape } from '@minigrad/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat } from '../repr.js';
import { groupNorm } from './functional.js';
import { checkBool, checkEps, checkParamDType, checkPositiveInt, layerOptions } from '../layers/layer-options.js';

/** Options of `GroupNorm`. */
export interface GroupNormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Learnable per-channel weight and bias (default true). */
  affine?: boolean;
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/**
 * Group normalization: statistics per sample over groups of numChannels / numGroups channels and the spatial
 * dims, then a per-channel affine. The same in training and eval. PyTorch: `torch.nn.GroupNorm`.
 */
export class GroupNorm extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'GroupNorm';
  /** Number of groups the channels are split into. */
  readonly numGroups: number;
  /** Channels of the input (divisible by numGroups). */
  readonly numChannels: number;
  /** Added to the variance inside the square root (default 1e-5). */
  readonly eps: number;
  /** Whether the layer has a learnable per-channel weight and bias. */
  readonly affine: boolean;
  /** The learnable scale [numChannels] (per channel), or null when not affine. */
  weight: Parameter | null;
  /** The learnable shift [numChannels], or null when not affine. */
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts?: GroupNormOptions) {
    super();
    const { eps = 1e-5, affine = true, dtype = 'float32' } = layerOptions('GroupNorm', opts, ['eps', 'affine', 'dtype']);
    checkPositiveInt('GroupNorm', 'numGroups', numGroups);
    checkPositiveInt('GroupNorm', 'numChannels', numChannels);
    checkEps('GroupNorm', eps);
    checkBool('GroupNorm', 'affine', affine);
    checkParamDType('GroupNorm', dtype);
    if (numChannels % numGroups !== 0) {
      throw new ArgumentError('GroupNorm', `${numChannels} channels are not divisible by ${numGroups} groups`);
    }
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.affine = affine;
    this.weight = affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  /** Weight 1, bias 0. */
  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  override forward(input: TensorLike): Variable {
    const x = asVariable(input, 'groupNorm', 'input');
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(
        this.describe(`GroupNorm(${this.numGroups}, ${this.numChannels})`),
        `expected an input [N, ${this.numChannels}, *], got ${fmtShape(x.shape)}`,
      );
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
