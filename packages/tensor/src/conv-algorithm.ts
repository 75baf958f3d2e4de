// Which algorithm the 3x3 convolutions use (setConvAlgorithm). Like the backend, a process-wide choice, read
// when an op plans a conv (ops/conv-geometry.ts): 'gemm' (im2col + matrix product, the default, PyTorch's
// arithmetic) or 'winograd' (F(2x2, 3x3), 2.25x fewer multiplies, other rounding: kernels/js/conv-winograd.ts).
import { checkOneOf } from './validate.js';

/** How 3x3 stride-1 convs compute (setConvAlgorithm): im2col + gemm (the default) or Winograd F(2x2, 3x3). */
export type ConvAlgorithm = 'gemm' | 'winograd';
const ALGORITHMS: readonly ConvAlgorithm[] = ['gemm', 'winograd'];

let algorithm: ConvAlgorithm = 'gemm';

/**
 * Sets how conv2d, convTranspose2d and their gradients compute a conv with a 3x3 kernel, stride 1, dilation 1,
 * one group and at least 8 channels in and out (any padding and batch; every other conv takes 'gemm'):
 * - 'gemm' (default): im2col and a matrix product, the arithmetic of PyTorch's CPU convolution;
 * - 'winograd': Winograd F(2x2, 3x3), 2.25x fewer multiplies. Its float32 rounding differs from 'gemm' (by a
 *   few 1e-7 of the largest value), its error against exact values is of the same size; its bits do not
 *   depend on the thread count. An infinite input makes the same outputs non-finite as with 'gemm', but some
 *   of them NaN where 'gemm' gives an infinity (the transforms add and subtract it).
 */
export function setConvAlgorithm(value: ConvAlgorithm): void {
  algorithm = checkOneOf('setConvAlgorithm', 'algorithm', value, ALGORITHMS);
}

/** The algorithm setConvAlgorithm chose ('gemm' unless changed). */
export function getConvAlgorithm(): ConvAlgorithm {
  return algorithm;
}
