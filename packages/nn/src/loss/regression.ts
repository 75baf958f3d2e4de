// Mean squared error and mean absolute error between an input and a same-shaped float target.
import type { TensorLike, Variable } from '@minigrad/autograd';
import type { Tensor } from '@minigrad/tensor';
import { asVariable, checkFloat, lossOptions, reduce, type Reduction } from './reduction.js';

/** Options of `mseLoss`/`l1Loss` and their modules. */
export interface RegressionLossOptions {
  /** How the per-element losses are combined: 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

export const REGRESSION_OPTIONS = ['reduction'] as const;

function difference(op: string, input: TensorLike, target: Variable | Tensor): Variable {
  checkFloat(op, 'input', input);
  checkFloat(op, 'target', target);
  // shapes broadcast as in PyTorch (which only warns when they differ)
  return asVariable(input).sub(asVariable(target));
}

/** (input - target)^2, reduced. */
export function mseLoss(input: TensorLike, target: Variable | Tensor, opts: RegressionLossOptions = {}): Variable {
  const { reduction = 'mean' } = lossOptions('mseLoss', opts, REGRESSION_OPTIONS);
  return reduce(difference('mseLoss', input, target).square(), reduction);
}

/** |input - target|, reduced (its gradient at a zero difference is 0). */
export function l1Loss(input: TensorLike, target: Variable | Tensor, opts: RegressionLossOptions = {}): Variable {
  const { reduction = 'mean' } = lossOptions('l1Loss', opts, REGRESSION_OPTIONS);
  return reduce(difference('l1Loss', input, target).abs(), reduction);
}
