// Convolutions: the differentiable ops live in @minigrad/autograd (a closed family of forward and gradient
// ops, so gradients of any order work) and the tensor op checks shapes and options; F takes Variables or plain
// Tensors (constants) and checks that it got one of them.
import type { Conv2dOptions, ConvTranspose2dOptions } from '@minigrad/tensor';
import { conv2d as conv2dOp, convTranspose2d as convTranspose2dOp } from '@minigrad/autograd';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';

export type { Conv2dOptions, ConvTranspose2dOptions };

function checkOperands(op: string, x: unknown, weight: unknown, bias: unknown): void {
  asVariable(x as TensorLike, op, 'input');
  asVariable(weight as TensorLike, op, 'weight');
  if (bias !== null && bias !== undefined) asVariable(bias as TensorLike, op, 'bias');
}

/**
 * x `[N, C_in, H, W]` (or `[C_in, H, W]`), weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]`.
 * padding: per side, or 'same' (stride 1 only; an odd total puts the extra row/column bottom/right) or 'valid'.
 */
export function conv2d(x: TensorLike, weight: TensorLike, bias: TensorLike | null = null, opts: Conv2dOptions = {}): Variable {
  checkOperands('conv2d', x, weight, bias);
  return conv2dOp(x, weight, bias, opts);
}

/**
 * x `[N, C_in, H, W]` (or 3-d), weight `[C_in, C_out/groups, kH, kW]`, bias `[C_out]`; output size
 * `(H - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1`.
 */
export function convTranspose2d(x: TensorLike, weight: TensorLike, bias: TensorLike | null = null, opts: ConvTranspose2dOptions = {}): Variable {
  checkOperands('convTranspose2d', x, weight, bias);
  return convTranspose2dOp(x, weight, bias, opts);
}
