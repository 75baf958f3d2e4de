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
  readonly reduction: Reduction;
  constructor(layer: string, reduction: Reduction) {
    super();
    this.reduction = checkReduction(layer, reduction);
  }
}

export class CrossEntropyLoss extends Loss {
  static override readonly typeName: string = 'CrossEntropyLoss';
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
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

export class NLLLoss extends Loss {
  static override readonly typeName: string = 'NLLLoss';
  readonly ignoreIndex: number;
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

export class MSELoss extends Loss {
  static override readonly typeName: string = 'MSELoss';
  constructor(opts: RegressionLossOptions = {}) {
    super('MSELoss', lossOptions('MSELoss', opts, REGRESSION_OPTIONS).reduction ?? 'mean');
  }
  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  static override readonly typeName: string = 'L1Loss';
  constructor(opts: RegressionLossOptions = {}) {
    super('L1Loss', lossOptions('L1Loss', opts, REGRESSION_OPTIONS).reduction ?? 'mean');
  }
  override forward(input: TensorLike, target: Variable | Tensor): Variable {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

export class BCEWithLogitsLoss extends Loss {
  static override readonly typeName: string = 'BCEWithLogitsLoss';
  declare weight: Tensor | null;
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
