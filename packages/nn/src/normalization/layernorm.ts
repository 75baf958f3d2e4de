// LayerNorm: statistics per sample over the trailing normalizedShape dims, affine per element of them.
import type { TensorLike, Variable } from '@minigrad/autograd';
import type { DType } from '@minigrad/tensor';
import { ArgumentError, checkIntArray, ones, zeros, fmtShape } from '@minigrad/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyIntOrTuple } from '../repr.js';
import { layerNorm } from './functional.js';
import { checkBool, checkEps, checkParamDType, layerOptions } from '../layers/layer-options.js';

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance inside the square root (default 1e-5). */
  eps?: number;
  /** Learn a weight and a bias of shape normalizedShape. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the bias (PyTorch 2.1's `bias`). */
  bias?: boolean;
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/**
 * Layer normalization over the trailing `normalizedShape` dims of each sample, then a per-element affine.
 * PyTorch: `torch.nn.LayerNorm`.
 */
export class LayerNorm extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'LayerNorm';
  /** The trailing shape normalized over. */
  readonly normalizedShape: number[];
  /** Added to the variance inside the square root (default 1e-5). */
  readonly eps: number;
  /** Whether the layer has a learnable per-element weight and bias. */
  readonly elementwiseAffine: boolean;
  /** The learnable scale of shape normalizedShape, or null without elementwiseAffine. */
  weight: Parameter | null;
  /** The learnable shift of shape normalizedShape, or null. */
  bias: Parameter | null;

  constructor(
    normalizedShape: number | readonly number[],
    opts?: LayerNormOptions,
  ) {
    super();
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = layerOptions('LayerNorm', opts, ['eps', 'elementwiseAffine', 'bias', 'dtype']);
    checkEps('LayerNorm', eps);
    checkBool('LayerNorm', 'elementwiseAffine', elementwiseAffine);
    checkBool('LayerNorm', 'bias', bias);
    checkParamDType('LayerNorm', dtype);
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...checkIntArray('LayerNorm', 'normalizedShape', normalizedShape)];
    if (shape.length === 0 || shape.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      throw new ArgumentError('LayerNorm', `normalizedShape must be positive integers, got ${fmtShape(shape)}`);
    }
    this.normalizedShape = shape;
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? new Parameter(ones(shape, { dtype })) : null;
    this.bias = elementwiseAffine && bias ? new Parameter(zeros(shape, { dtype })) : null;
  }

  /** Weight 1, bias 0. */
  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  protected override signature(): string {
    return `LayerNorm(${fmtShape(this.normalizedShape)})`;
  }

  override forward(x: TensorLike): Variable {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyIntOrTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
