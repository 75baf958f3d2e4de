// GroupNorm: statistics per sample and group of numChannels / numGroups channels, affine per channel.
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import type { DType } from '@minigrad/tensor';
import { ArgumentError, ShapeError, ones, zeros, fmtShape } from '@minigrad/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat } from '../repr.js';
import { groupNorm } from './functional.js';
import { checkBool, checkEps, checkParamDType, checkPositiveInt, layerOptions } from '../layers/layer-options.js';

export interface GroupNormOptions {
  eps?: number;
  affine?: boolean;
  dtype?: DType;
}

export class GroupNorm extends Module {
  static override readonly typeName: string = 'GroupNorm';
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
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
