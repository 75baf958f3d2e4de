// The losses as modules (options fixed at construction; class weights kept as buffers, as PyTorch does;
// printed as `CrossEntropyLoss()` like PyTorch's).
import type { TensorLike, Variable } from '@minigrad/autograd';
import type { Tensor } from '@minigrad/tensor';
import { Module } from '../module.js';
import { BCE_OPTIONS, binaryCrossEntropyWithLogits, type BCEWithLogitsOptions } from './bce.js';
import { CROSS_ENTROPY_OPTIONS, NLL_OPTIONS, crossEntropy, nllLoss, type CrossEntropyOptions, type NLLLossOptions } from './cross-entropy.js';
import { REGRESSION_OPTIONS, l1Loss, mseLoss, type RegressionLossOptions } from './regression.js';
import { checkReduction, lossOptions, tensorOf, type Reduction } from './reduction.js';

abstract class Loss extends Module {
  /** How the per-element losses are combined: 'mean' (default), 'sum' or 'none'. */
  readonly reduction: Reduction;
  constructor(layer: string, reduction: Reduction) {
    super();
    this.reduction = checkReduction(layer, reduction);
  }
}

/**
 * Cross entropy of logits [N, C, ...] against class indices or probabilities (log-softmax over dim 1).
 * PyTorch: `torch.nn.CrossEntropyLoss`.
 */
export class CrossEntropyLoss extends Loss {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'CrossEntropyLoss';
  /** Targets equal to it contribute nothing (default -100). */
  readonly ignoreIndex: number;
  /** Label smoothing e in [0, 1] (default 0). */
  readonly labelSmoothing: number;
  /** The per-class (or per-element) rescaling weight, a buffer; null for none. */
  declare weight: Tensor | null;

  constructor(opts: CrossEntropyOptions = {}) {
    const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = lossOptions('CrossEntropyLoss', opts, CROSS_ENTROPY_OPTIONS);
    super('CrossEntropyLoss', reduction);
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
    this.registerBuffer('weight', weight === null ? null : tensorOf(weight));
  }

  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    const { weight, ignoreIndex, reduction, labelSmoothing } = this;
    return crossEntropy(input, target, { weight, ignoreIndex, reduction, labelSmoothing });
  }
}

/** Negative log likelihood of log-probabilities [N, C, ...] against class indices. PyTorch: `torch.nn.NLLLoss`. */
export class NLLLoss extends Loss {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'NLLLoss';
  /** Targets equal to it contribute nothing (default -100). */
  readonly ignoreIndex: number;
  /** The per-class (or per-element) rescaling weight, a buffer; null for none. */
  declare weight: Tensor | null;

  constructor(opts: NLLLossOptions = {}) {
    const { weight = null, ignoreIndex = -100, reduction = 'mean' } = lossOptions('NLLLoss', opts, NLL_OPTIONS);
    super('NLLLoss', reduction);
    this.ignoreIndex = ignoreIndex;
    this.registerBuffer('weight', weight === null ? null : tensorOf(weight));
  }

  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Mean squared error. PyTorch: `torch.nn.MSELoss`. */
export class MSELoss extends Loss {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'MSELoss';
  constructor(opts: RegressionLossOptions = {}) {
    super('MSELoss', lossOptions('MSELoss', opts, REGRESSION_OPTIONS).reduction ?? 'mean');
  }
  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. PyTorch: `torch.nn.L1Loss`. */
export class L1Loss extends Loss {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'L1Loss';
  constructor(opts: RegressionLossOptions = {}) {
    super('L1Loss', lossOptions('L1Loss', opts, REGRESSION_OPTIONS).reduction ?? 'mean');
  }
  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Binary cross entropy on logits (a numerically stable sigmoid + BCE). PyTorch: `torch.nn.BCEWithLogitsLoss`. */
export class BCEWithLogitsLoss extends Loss {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'BCEWithLogitsLoss';
  /** The per-class (or per-element) rescaling weight, a buffer; null for none. */
  declare weight: Tensor | null;
  /** Weight of the positive term per class, or null. */
  declare posWeight: Tensor | null;

  constructor(opts: BCEWithLogitsOptions = {}) {
    const { weight = null, posWeight = null, reduction = 'mean' } = lossOptions('BCEWithLogitsLoss', opts, BCE_OPTIONS);
    super('BCEWithLogitsLoss', reduction);
    this.registerBuffer('weight', weight === null ? null : tensorOf(weight));
    this.registerBuffer('posWeight', posWeight === null ? null : tensorOf(posWeight));
  }

  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
