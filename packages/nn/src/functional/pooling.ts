// Pooling: the differentiable ops live in @minigrad/autograd (each gradient is an op whose own gradient is
// known, so gradients of any order work); F adds nn's argument checks.
import { ShapeError } from '@minigrad/tensor';
import type { AdaptiveSize, AvgPool2dOptions, MaxPool2dOptions } from '@minigrad/tensor';
import {
  adaptiveAvgPool2d as adaptiveAvgPool2dOp,
  avgPool2d as avgPool2dOp,
  maxPool2d as maxPool2dOp,
  maxPool2dWithIndices as maxPool2dWithIndicesOp,
} from '@minigrad/autograd';
import type { Variable } from '@minigrad/autograd';
import { shapeText } from '../repr.js';

export type { AdaptiveSize, AvgPool2dOptions, MaxPool2dOptions };

function checkRank(op: string, x: Variable): void {
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(op, `input ${shapeText(x.shape)} must be 4-d [N, C, H, W] or 3-d [C, H, W]`);
}

/** Max over each window (padding counts as -inf); the gradient goes to the first maximum of each window. */
export function maxPool2d(x: Variable, opts: MaxPool2dOptions): Variable {
  checkRank('maxPool2d', x);
  return maxPool2dOp(x, opts);
}

/** maxPool2d and the flat (h * W + w) position in the input plane of each maximum (int32). */
export function maxPool2dWithIndices(x: Variable, opts: MaxPool2dOptions): { values: Variable; indices: Variable } {
  checkRank('maxPool2d', x);
  return maxPool2dWithIndicesOp(x, opts);
}

/** Mean over each window; by default padded zeros count in the divisor (countIncludePad). */
export function avgPool2d(x: Variable, opts: AvgPool2dOptions): Variable {
  checkRank('avgPool2d', x);
  return avgPool2dOp(x, opts);
}

/**
 * Mean over bins `[floor(i*H/O), ceil((i+1)*H/O))` (they may overlap); `outputSize` a number, or a pair whose
 * null entries keep the input's size.
 */
export function adaptiveAvgPool2d(x: Variable, outputSize: AdaptiveSize): Variable {
  checkRank('adaptiveAvgPool2d', x);
  return adaptiveAvgPool2dOp(x, outputSize);
}
