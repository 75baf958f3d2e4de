// Pooling layers. They keep their sizes as given (a number or a pair) because PyTorch prints them that way.
import type { TensorLike, Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../functional/pooling.js';
import type { Pair } from './pair.js';
import { pyBool, pyIntOrTuple } from '../repr.js';
import { checkBool, checkPair, layerOptions } from './layer-options.js';

/** Options of `MaxPool2d` (after kernelSize). */
export interface MaxPool2dOptions {
  /** Defaults to kernelSize. */
  stride?: Pair | null;
  /** Implicit padding on each side (default 0, at most half the window). */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/** 2-D max pooling (padding counts as -Infinity). PyTorch: `torch.nn.MaxPool2d`. */
export class MaxPool2d extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'MaxPool2d';
  /** Size of the window, [h, w] (or as given). */
  readonly kernelSize: Pair;
  /** Step of the window. */
  readonly stride: Pair;
  /** Implicit padding on each side. */
  readonly padding: Pair;
  /** Spacing between window elements (default 1). */
  readonly dilation: Pair;
  /** Round the output size up instead of down (default false). */
  readonly ceilMode: boolean;

  constructor(kernelSize: Pair, opts?: MaxPool2dOptions) {
    super();
    const { stride = null, padding = 0, dilation = 1, ceilMode = false } = layerOptions('MaxPool2d', opts, ['stride', 'padding', 'dilation', 'ceilMode']);
    checkPair('MaxPool2d', 'kernelSize', kernelSize, 1);
    if (stride !== null) checkPair('MaxPool2d', 'stride', stride, 1);
    checkPair('MaxPool2d', 'padding', padding, 0);
    checkPair('MaxPool2d', 'dilation', dilation, 1);
    checkBool('MaxPool2d', 'ceilMode', ceilMode);
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.dilation = dilation;
    this.ceilMode = ceilMode;
  }

  protected override signature(): string {
    return `MaxPool2d(${pyIntOrTuple(this.kernelSize)})`;
  }

  override forward(x: TensorLike): Variable {
    const { kernelSize, stride, padding, dilation, ceilMode } = this;
    return maxPool2d(x, { kernelSize, stride, padding, dilation, ceilMode });
  }

  override extraRepr(): string {
    return (
      `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}, ` +
      `dilation=${pyIntOrTuple(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}

/** Options of `AvgPool2d` (after kernelSize). */
export interface AvgPool2dOptions {
  /** Defaults to kernelSize. */
  stride?: Pair | null;
  /** Implicit padding on each side (default 0, at most half the window). */
  padding?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** When set, every window sum is divided by it instead of the window size. */
  divisorOverride?: number | null;
}

/** 2-D average pooling with PyTorch's divisor rules. PyTorch: `torch.nn.AvgPool2d`. */
export class AvgPool2d extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'AvgPool2d';
  /** Size of the window, [h, w] (or as given). */
  readonly kernelSize: Pair;
  /** Step of the window. */
  readonly stride: Pair;
  /** Implicit padding on each side. */
  readonly padding: Pair;
  /** Round the output size up instead of down (default false). */
  readonly ceilMode: boolean;
  /** Count the zero padding in the divisor (default true). */
  readonly countIncludePad: boolean;
  /** When set, every window sum is divided by it instead of the window size. */
  readonly divisorOverride: number | null;

  constructor(
    kernelSize: Pair,
    opts?: AvgPool2dOptions,
  ) {
    super();
    const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = layerOptions(
      'AvgPool2d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
    );
    checkPair('AvgPool2d', 'kernelSize', kernelSize, 1);
    if (stride !== null) checkPair('AvgPool2d', 'stride', stride, 1);
    checkPair('AvgPool2d', 'padding', padding, 0);
    checkBool('AvgPool2d', 'ceilMode', ceilMode);
    checkBool('AvgPool2d', 'countIncludePad', countIncludePad);
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
    this.divisorOverride = divisorOverride;
  }

  protected override signature(): string {
    return `AvgPool2d(${pyIntOrTuple(this.kernelSize)})`;
  }

  override forward(x: TensorLike): Variable {
    const { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return avgPool2d(x, { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride });
  }

  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}`;
  }
}

/** Output size per spatial dim; `null` keeps the input's size in that dim. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/** Average pooling to a fixed output size over adaptive bins. PyTorch: `torch.nn.AdaptiveAvgPool2d`. */
export class AdaptiveAvgPool2d extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'AdaptiveAvgPool2d';
  /** The output size [h, w] (null keeps the input size). */
  readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = outputSize;
  }

  protected override signature(): string {
    return `AdaptiveAvgPool2d(${this.sizeText()})`;
  }

  override forward(x: TensorLike): Variable {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  private sizeText(): string {
    const s = this.outputSize;
    return typeof s === 'number' ? String(s) : `(${s.map((v) => (v === null ? 'None' : String(v))).join(', ')})`;
  }

  override extraRepr(): string {
    return `output_size=${this.sizeText()}`;
  }
}
