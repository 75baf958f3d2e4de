// Pooling: the differentiable ops live in @minigrad/autograd (each gradient is an op whose own gradient is
// known, so gradients of any order work); F adds nn's argument checks.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import type { AdaptiveSize, AvgPool2dOptions, MaxPool2dOptions, Pair, ValuesIndices } from '@minigrad/tensor';
import {
  adaptiveAvgPool2d as adaptiveAvgPool2dOp,
  avgPool2d as avgPool2dOp,
  maxPool2d as maxPool2dOp,
  maxPool2dWithIndices as maxPool2dWithIndicesOp,
} from '@minigrad/autograd';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';

export type { AdaptiveSize, AvgPool2dOptions, MaxPool2dOptions };

/** The tensor op checks the input's shape and the options; F checks that it was given a Variable or a Tensor. */
function checkRank(op: string, x: unknown): void {
  asVariable(x as TensorLike, op, 'input');
}

/** The options, given whole or as PyTorch's `(kernelSize, { stride, ... })`. */
function withKernel<O extends { kernelSize: Pair }>(op: string, kernel: Pair | O, rest: Omit<O, 'kernelSize'> | undefined): O {
  if (typeof kernel !== 'number' && !Array.isArray(kernel)) return kernel as O;
  if (rest !== undefined && (typeof rest !== 'object' || rest === null || Array.isArray(rest))) {
    throw new ArgumentError(op, `options must be an object, got ${describeValue(rest)}`);
  }
  return { ...rest, kernelSize: kernel } as O;
}

/**
 * Max over each window (padding counts as -inf); the gradient goes to the first maximum of each window.
 * `maxPool2d(x, { kernelSize, stride, padding, dilation, ceilMode })` or `maxPool2d(x, 2, { stride })`.
 */
export function maxPool2d(x: TensorLike, kernel: Pair | MaxPool2dOptions, opts?: Omit<MaxPool2dOptions, 'kernelSize'>): Variable {
  checkRank('maxPool2d', x);
  return maxPool2dOp(x, withKernel('maxPool2d', kernel, opts));
}

/** maxPool2d and the flat (h * W + w) position in the input plane of each maximum (int32). */
export function maxPool2dWithIndices(
  x: TensorLike,
  kernel: Pair | MaxPool2dOptions,
  opts?: Omit<MaxPool2dOptions, 'kernelSize'>,
): ValuesIndices<Variable> {
  checkRank('maxPool2d', x);
  return maxPool2dWithIndicesOp(x, withKernel('maxPool2d', kernel, opts));
}

/**
 * Mean over each window; by default padded zeros count in the divisor (countIncludePad).
 * `avgPool2d(x, { kernelSize, ... })` or `avgPool2d(x, 2, { stride, ... })`.
 */
export function avgPool2d(x: TensorLike, kernel: Pair | AvgPool2dOptions, opts?: Omit<AvgPool2dOptions, 'kernelSize'>): Variable {
  checkRank('avgPool2d', x);
  return avgPool2dOp(x, withKernel('avgPool2d', kernel, opts));
}

/**
 * Mean over bins `[floor(i*H/O), ceil((i+1)*H/O))` (they may overlap); `outputSize` a number, or a pair whose
 * null entries keep the input's size.
 */
export function adaptiveAvgPool2d(x: TensorLike, outputSize: AdaptiveSize): Variable {
  checkRank('adaptiveAvgPool2d', x);
  return adaptiveAvgPool2dOp(x, outputSize);
}
