// Binary cross entropy on logits, in the form that cannot overflow:
// loss = (1 - y) x + (1 + (posWeight - 1) y) softplus(-x), times weight.
import type { TensorLike, Variable } from '@minigrad/autograd';
import { ShapeError, type Tensor, fmtShape, sameShape } from '@minigrad/tensor';
import { asVariable, checkFloat, lossOptions, reduce, tensorOf, type Reduction } from './reduction.js';

/** Options of `binaryCrossEntropyWithLogits` and `BCEWithLogitsLoss`. */
export interface BCEWithLogitsOptions {
  /** Rescales each element's loss; broadcast against the input. */
  weight?: Variable | Tensor | null;
  /** Weight of the positive term per class (broadcast along the last dim). */
  posWeight?: Variable | Tensor | null;
  /** How the per-element losses are combined: 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

export const BCE_OPTIONS = ['weight', 'posWeight', 'reduction'] as const;

/**
 * Binary cross entropy between sigmoid(input) and target, computed from the logits without overflow.
 * PyTorch: `torch.nn.functional.binary_cross_entropy_with_logits`.
 */
export function binaryCrossEntropyWithLogits(
  input: TensorLike,
  target: Variable | Tensor,
  opts: BCEWithLogitsOptions = {},
): Variable {
  const op = 'binaryCrossEntropyWithLogits';
  const { weight = null, posWeight = null, reduction = 'mean' } = lossOptions(op, opts, BCE_OPTIONS);
  checkFloat(op, 'input', input);
  checkFloat(op, 'target', target);
  if (!sameShape(target.shape, input.shape)) {
    throw new ShapeError(op, `target shape ${fmtShape(target.shape)} must be the same as input shape ${fmtShape(input.shape)}`);
  }
  const x = asVariable(input);
  const y = asVariable(target);
  // softplus(-x) = log(1 + exp(-x)) without overflow; its gradient is -sigmoid(-x), right at x = 0 too
  const softplusNeg = x.neg().softplus();
  const logWeight = posWeight === null ? null : y.mul(asVariable(posWeight).sub(1)).add(1);
  let loss = y.rsub(1).mul(x).add(logWeight === null ? softplusNeg : softplusNeg.mul(logWeight));
  if (weight !== null) loss = loss.mul(tensorOf(weight));
  return reduce(loss, reduction);
}
