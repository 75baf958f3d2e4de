// Convolutions: the differentiable ops live in @minigrad/autograd (a closed family of forward and gradient
// ops, so gradients of any order work); F adds nn's argument checks and messages.
import { ShapeError, fmtShape } from '@minigrad/tensor';
import type { Conv2dOptions, ConvTranspose2dOptions } from '@minigrad/tensor';
import { conv2d as conv2dOp, convTranspose2d as convTranspose2dOp } from '@minigrad/autograd';
import type { Variable } from '@minigrad/autograd';

export type { Conv2dOptions, ConvTranspose2dOptions };

function checkRank(op: string, x: Variable, w: Variable): number {
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(op, `input ${fmtShape(x.shape)} must be 4-d [N, C, H, W] or 3-d [C, H, W]`);
  if (w.ndim !== 4) throw new ShapeError(op, `weight ${fmtShape(w.shape)} must be 4-d`);
  return x.shape[x.ndim - 3];
}

/**
 * x `[N, C_in, H, W]` (or `[C_in, H, W]`), weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]`.
 * padding: per side, or 'same' (stride 1 only; an odd total puts the extra row/column bottom/right) or 'valid'.
 */
export function conv2d(x: Variable, weight: Variable, bias: Variable | null = null, opts: Conv2dOptions = {}): Variable {
  const c = checkRank('conv2d', x, weight);
  const groups = opts.groups ?? 1;
  if (c !== weight.shape[1] * groups) {
    throw new ShapeError(
      'conv2d',
      `input ${fmtShape(x.shape)} has ${c} channels, but weight ${fmtShape(weight.shape)} with groups=${groups} expects ${weight.shape[1] * groups}`,
    );
  }
  return conv2dOp(x, weight, bias, opts);
}

/**
 * x `[N, C_in, H, W]` (or 3-d), weight `[C_in, C_out/groups, kH, kW]`, bias `[C_out]`; output size
 * `(H - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1`.
 */
export function convTranspose2d(x: Variable, weight: Variable, bias: Variable | null = null, opts: ConvTranspose2dOptions = {}): Variable {
  const c = checkRank('convTranspose2d', x, weight);
  if (c !== weight.shape[0]) {
    throw new ShapeError('convTranspose2d', `input ${fmtShape(x.shape)} has ${c} channels, but weight ${fmtShape(weight.shape)} expects ${weight.shape[0]}`);
  }
  return convTranspose2dOp(x, weight, bias, opts);
}
