// Conv2d and ConvTranspose2d layers (the math is in F.conv2d / F.convTranspose2d).
import { ArgumentError, checkIntArray, describeName, ShapeError, fmtShape } from '@minigrad/tensor';
import type { DType } from '@minigrad/tensor';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { conv2d, convTranspose2d } from '../functional/conv.js';
import type { Pair } from './pair.js';
import { pyBool, pyIntOrTuple } from '../repr.js';
import { emptyParameter, resetLinearLike } from './init-defaults.js';
import { checkBool, checkPair, checkParamDType, checkPositiveInt, layerOptions } from './layer-options.js';

/** Options of `Conv2d` (after inChannels, outChannels, kernelSize); PyTorch's defaults. */
export interface Conv2dOptions {
  /** Step of the window (default 1; for pooling, the window size). */
  stride?: Pair;
  /** Zero padding on each side, or 'same' (output size = input size; stride 1 only) or 'valid' (none). */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Number of independent channel groups (default 1). */
  groups?: number;
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** Only 'zeros' is supported. */
  paddingMode?: 'zeros';
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/** Options of `ConvTranspose2d`; PyTorch's defaults. */
export interface ConvTranspose2dOptions {
  /** Step of the window (default 1; for pooling, the window size). */
  stride?: Pair;
  /** Padding added on each side of the input. */
  padding?: Pair;
  /** Extra rows/columns added on the bottom/right of the output (must be < stride or < dilation). */
  outputPadding?: Pair;
  /** Number of independent channel groups (default 1). */
  groups?: number;
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/** Channels, groups, bias and dtype, checked in the constructor (the first forward is too late). */
function checkChannels(layer: string, inC: number, outC: number, groups: number, bias: unknown, dtype: unknown): void {
  checkPositiveInt(layer, 'inChannels', inC);
  checkPositiveInt(layer, 'outChannels', outC);
  checkPositiveInt(layer, 'groups', groups);
  checkBool(layer, 'bias', bias);
  checkParamDType(layer, dtype);
  if (inC % groups !== 0) throw new ArgumentError(layer, `in_channels ${inC} is not divisible by groups ${groups}`);
  if (outC % groups !== 0) throw new ArgumentError(layer, `out_channels ${outC} is not divisible by groups ${groups}`);
}

/**
 * 2-D convolution over [N, C, H, W] (or unbatched [C, H, W]) inputs, with a learnable kernel and bias
 * (initialized as PyTorch does). `new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias })`.
 * PyTorch: `torch.nn.Conv2d`.
 */
export class Conv2d extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Conv2d';
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Size of the window, [h, w] (or as given). */
  readonly kernelSize: [number, number];
  /** Step of the window (default 1; for pooling, the window size). */
  readonly stride: [number, number];
  /** Padding added on each side of the input. */
  readonly padding: [number, number] | 'same' | 'valid';
  /** Spacing between window elements (default 1). */
  readonly dilation: [number, number];
  /** Number of independent channel groups (default 1). */
  readonly groups: number;
  /** The learnable kernel: [outChannels, inChannels / groups, kH, kW] for Conv2d, [inChannels, outChannels / groups, kH, kW] for ConvTranspose2d. */
  weight: Parameter;
  /** The learnable bias [outChannels], or null without bias. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: Conv2dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', dtype = 'float32' } = layerOptions(
      'Conv2d', opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'dtype'],
    );
    checkChannels('Conv2d', inChannels, outChannels, groups, bias, dtype);
    if (paddingMode !== 'zeros') throw new ArgumentError('Conv2d', `paddingMode ${describeName(paddingMode)} is not supported (only 'zeros')`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = checkPair('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = checkPair('Conv2d', 'stride', stride, 1);
    this.padding = typeof padding === 'string' ? padding : checkPair('Conv2d', 'padding', padding, 0);
    this.dilation = checkPair('Conv2d', 'dilation', dilation, 1);
    this.groups = groups;
    if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new ArgumentError('Conv2d', "padding='same' is not supported for strided convolutions");
    }
    if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') {
      throw new ArgumentError('Conv2d', `padding must be a number, a pair, 'same' or 'valid', got '${padding}'`);
    }
    this.weight = emptyParameter([outChannels, inChannels / groups, ...this.kernelSize], dtype);
    this.bias = bias ? emptyParameter([outChannels], dtype) : null;
    this.resetParameters();
  }

  /**
   * Re-initializes weight and bias as PyTorch does: kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)). PyTorch: `reset_parameters`.
   */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  protected override signature(): string {
    return `Conv2d(${this.inChannels}, ${this.outChannels})`;
  }

  override forward(x: TensorLike): Variable {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${pyIntOrTuple(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyIntOrTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += `, bias=${pyBool(false)}`;
    return s;
  }
}

/**
 * Transposed 2-D convolution (the gradient of a conv with respect to its input), with a learnable kernel
 * and bias. PyTorch: `torch.nn.ConvTranspose2d`.
 */
export class ConvTranspose2d extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ConvTranspose2d';
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Size of the window, [h, w] (or as given). */
  readonly kernelSize: [number, number];
  /** Step of the window (default 1; for pooling, the window size). */
  readonly stride: [number, number];
  /** Padding added on each side of the input. */
  readonly padding: [number, number];
  /** Extra rows/columns added at the bottom/right of the output. */
  readonly outputPadding: [number, number];
  /** Spacing between window elements (default 1). */
  readonly dilation: [number, number];
  /** Number of independent channel groups (default 1). */
  readonly groups: number;
  /** The learnable kernel: [outChannels, inChannels / groups, kH, kW] for Conv2d, [inChannels, outChannels / groups, kH, kW] for ConvTranspose2d. */
  weight: Parameter;
  /** The learnable bias [outChannels], or null without bias. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvTranspose2dOptions = {}) {
    super();
    const { stride = 1, padding = 0, outputPadding = 0, groups = 1, bias = true, dilation = 1, dtype = 'float32' } = layerOptions(
      'ConvTranspose2d', opts, ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'dtype'],
    );
    checkChannels('ConvTranspose2d', inChannels, outChannels, groups, bias, dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = checkPair('ConvTranspose2d', 'kernelSize', kernelSize, 1);
    this.stride = checkPair('ConvTranspose2d', 'stride', stride, 1);
    this.padding = checkPair('ConvTranspose2d', 'padding', padding, 0);
    this.outputPadding = checkPair('ConvTranspose2d', 'outputPadding', outputPadding, 0);
    this.dilation = checkPair('ConvTranspose2d', 'dilation', dilation, 1);
    this.groups = groups;
    for (let i = 0; i < 2; i++) {
      if (this.outputPadding[i] >= this.stride[i] && this.outputPadding[i] >= this.dilation[i]) {
        throw new ArgumentError('ConvTranspose2d', `outputPadding ${pyIntOrTuple(this.outputPadding)} must be smaller than stride or dilation`);
      }
    }
    // Transposed conv weights are [in, out/groups, kH, kW]: their fan-in (dim 1) is out/groups * kH * kW.
    this.weight = emptyParameter([inChannels, outChannels / groups, ...this.kernelSize], dtype);
    this.bias = bias ? emptyParameter([outChannels], dtype) : null;
    this.resetParameters();
  }

  /**
   * Re-initializes weight and bias as PyTorch does: kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)). PyTorch: `reset_parameters`.
   */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  /**
   * With `outputSize` ([H, W], or the whole output shape) the output padding is chosen to reach it, as
   * PyTorch's `forward(input, output_size)`: a strided transposed conv can produce several sizes.
   */
  protected override signature(): string {
    return `ConvTranspose2d(${this.inChannels}, ${this.outChannels})`;
  }

  override forward(x: TensorLike, outputSize?: readonly number[]): Variable {
    const layer = () => this.describe(this.signature());
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: outputSize === undefined ? this.outputPadding : this.paddingFor(layer, x, outputSize),
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  private paddingFor(layer: () => string, input: TensorLike, outputSize: readonly number[]): [number, number] {
    const x = asVariable(input, 'convTranspose2d', 'input');
    checkIntArray(layer(), 'outputSize', outputSize);
    const size = outputSize.slice(-2);
    const out: [number, number] = [0, 0];
    for (let i = 0; i < 2; i++) {
      const input = x.shape[x.ndim - 2 + i];
      const min = (input - 1) * this.stride[i] - 2 * this.padding[i] + this.dilation[i] * (this.kernelSize[i] - 1) + 1;
      const max = min + this.stride[i] - 1;
      if (size.length !== 2 || !(size[i] >= min && size[i] <= max)) {
        throw new ShapeError(
          layer(),
          `requested an output size of ${pyIntOrTuple(outputSize)}, but valid sizes range from (${min}) to (${max}) in dim ${i} for input ${fmtShape(x.shape)}`,
        );
      }
      out[i] = size[i] - min;
    }
    return out;
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}`;
    if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${pyIntOrTuple(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyIntOrTuple(this.dilation)}`;
    if (this.outputPadding[0] !== 0 || this.outputPadding[1] !== 0) s += `, output_padding=${pyIntOrTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += `, bias=${pyBool(false)}`;
    return s;
  }
}
