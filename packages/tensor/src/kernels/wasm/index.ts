// The WebAssembly kernels, by registry name. Kernels not listed here fall back to the 'js' ones.
// Only gemm runs in wasm; the conv kernels are the JS im2col/col2im around the wasm gemm (the gemm holds
// nearly all of a convolution's arithmetic).
import type { Kernel } from '../registry.js';
import { convKernels } from '../js/conv.js';
import { gemm } from './gemm.js';

const conv = convKernels(gemm);

export const wasmKernels: Record<string, Kernel> = {
  gemm,
  conv2d: conv.conv2dForward,
  conv2dBackwardInput: conv.conv2dBackwardInput,
  conv2dBackwardWeight: conv.conv2dBackwardWeight,
};
