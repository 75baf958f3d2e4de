// The losses as modules (options fixed at construction; class weights kept as buffers, as PyTorch does;
// printed as `CrossEntropyLoss()` like PyTorch's).
import type { Variable } from '@minigrad/autograd';
import type { Tensor } from '@minigrad/tensor';
import { Module } from '../module.js';
import { binaryCrossEntropyWithLogits, type BCEWithLogitsOptions } from './bce.js';
import { crossEntropy, nllLoss, type CrossEntropyOptions, type NLLLossOptions } from './cross-entropy.js';
import { l1Loss, mseLoss, type RegressionLossOptions } from './regression.js';
import { checkReduction, tensorOf, type Reduction } from './reduction.js';

abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(layer: string, reduction: Reduction) {
    super();
    this.reduction = checkReduction(layer, reduction);
  }
}

export class CrossEntropyLoss extends Loss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  declare weight: Tensor | null;

  constructor({ weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 }: CrossEntropyOptions = {}) {
    super('CrossEntropyLoss', reduction);
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
    this.registerBuffer('weight', weight === null ? null : tensorOf(weight));
  }

  override forward(input: Variable, target: Variable | Tensor): Variable {
    const { weight, ignoreIndex, reduction, labelSmoothing } = this;
    return crossEntropy(input, target, { weight, ignoreIndex, reduction, labelSmoothing });
  }
}

export class NLLLoss extends Loss {
  readonly ignoreIndex: number;
  declare weight: Tensor | null;

  constructor({ weight = null, ignoreIndex = -100, reduction = 'mean' }: NLLLossOptions = {}) {
    super('NLLLoss', reduction);
    this.ignoreIndex = ignoreIndex;
    this.registerBuffer('weight', weight === null ? null : tensorOf(weight));
  }

  override forward(input: Variable, target: Variable | Tensor): Variable {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

export class MSELoss extends Loss {
  constructor({ reduction = 'mean' }: RegressionLossOptions = {}) {
    super('MSELoss', reduction);
  }
  override forward(input: Variable, target: Variable | Tensor): Variable {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  constructor({ reduction = 'mean' }: RegressionLossOptions = {}) {
    super('L1Loss', reduction);
  }
  override forward(input: Variable, target: Variable | Tensor): Variable {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

export class BCEWithLogitsLoss extends Loss {
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;

  constructor({ weight = null, posWeight = null, reduction = 'mean' }: BCEWithLogitsOptions = {}) {
    super('BCEWithLogitsLoss', reduction);
    this.registerBuffer('weight', weight === null ? null : tensorOf(weight));
    this.registerBuffer('posWeight', posWeight === null ? null : tensorOf(posWeight));
  }

  override forward(input: Variable, target: Variable | Tensor): Variable {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
