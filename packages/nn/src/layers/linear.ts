// Linear and Bilinear layers.
import type { DType } from '@minigrad/tensor';
import type { TensorLike, Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { bilinear, linear } from '../functional/linear.js';
import { uniform_ } from '../init.js';
import { pyBool } from '../repr.js';
import { emptyParameter, resetLinearLike } from './init-defaults.js';
import { checkBool, checkParamDType, checkPositiveInt, layerOptions } from './layer-options.js';

/** Options of `Linear` and `Bilinear`. */
export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/** y = x W^T + b with W `[outFeatures, inFeatures]`. */
export class Linear extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Linear';
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight: [outFeatures, inFeatures] (Linear), [outFeatures, in1Features, in2Features] (Bilinear). */
  weight: Parameter;
  /** The learnable bias [outFeatures], or null without bias. */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts?: LinearOptions) {
    super();
    const { bias = true, dtype = 'float32' } = layerOptions('Linear', opts, ['bias', 'dtype']);
    checkPositiveInt('Linear', 'inFeatures', inFeatures);
    checkPositiveInt('Linear', 'outFeatures', outFeatures);
    checkBool('Linear', 'bias', bias);
    checkParamDType('Linear', dtype);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, inFeatures], dtype);
    this.bias = bias ? emptyParameter([outFeatures], dtype) : null;
    this.resetParameters();
  }

  /**
   * Re-initializes weight and bias as PyTorch does: U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)). PyTorch: `reset_parameters`.
   */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  override forward(x: TensorLike): Variable {
    return linear(x, this.weight, this.bias);
  }

  protected override signature(): string {
    return `Linear(${this.inFeatures}, ${this.outFeatures})`;
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** y_k = x1^T A_k x2 + b_k with A `[outFeatures, in1Features, in2Features]`. */
export class Bilinear extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Bilinear';
  /** Size of each first input sample. */
  readonly in1Features: number;
  /** Size of each second input sample. */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight: [outFeatures, inFeatures] (Linear), [outFeatures, in1Features, in2Features] (Bilinear). */
  weight: Parameter;
  /** The learnable bias [outFeatures], or null without bias. */
  bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, opts?: LinearOptions) {
    super();
    const { bias = true, dtype = 'float32' } = layerOptions('Bilinear', opts, ['bias', 'dtype']);
    checkPositiveInt('Bilinear', 'in1Features', in1Features);
    checkPositiveInt('Bilinear', 'in2Features', in2Features);
    checkPositiveInt('Bilinear', 'outFeatures', outFeatures);
    checkBool('Bilinear', 'bias', bias);
    checkParamDType('Bilinear', dtype);
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, in1Features, in2Features], dtype);
    this.bias = bias ? emptyParameter([outFeatures], dtype) : null;
    this.resetParameters();
  }

  /** PyTorch's: weight and bias ~ U(-1/sqrt(in1Features), 1/sqrt(in1Features)). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound);
    if (this.bias !== null) uniform_(this.bias, -bound, bound);
  }

  override forward(x1: TensorLike, x2: TensorLike): Variable {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
