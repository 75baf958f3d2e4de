// @minigrad/tensor/internal: the kernel table (registerKernel/getKernel, typed by KernelName) and the kernels
// that only the sibling packages call (the backward kernels of the network ops for autograd, the normalization
// kernels' geometry for nn, the fused optimizer updates for optim).
// Not part of the public API: names and signatures may change in any release.
export { type Kernel, type Kernels, type KernelName, registerKernel, getKernel, kernelNames } from './kernels/registry.js';
export type { ReluBackwardKernel } from './kernels/js/relu-backward.js';
export { checkWritable } from './ops/inplace.js';
export { keptZeros, uninitializedTensor } from './tensor.js';
export { isReleased } from './allocation-scope.js';
export { residentBytes } from './kernels/wasm/resident.js';
export { isThenable } from './validate.js';
export {
  conv2dBackward, conv2dBackwardInput, conv2dBackwardWeight, convTranspose2dBackwardInput, convTranspose2dBackwardWeight,
} from './ops/conv.js';
export { maxPool2dBackward, avgPool2dBackward, adaptiveAvgPool2dBackward } from './ops/pool.js';
export {
  type NormGeometry, type NormStatsKernel, type NormApplyKernel, type NormBackwardKernel, normSlotCount, normSlotSize,
} from './kernels/js/norm.js';
export {
  type SgdHyper, type AdamHyper, type RmspropHyper, type AdagradHyper, sgdUpdate, adamUpdate, rmspropUpdate, adagradUpdate,
} from './ops/optim.js';
export { captureGuard, guardedRead, recordCall, recordEffect, scratchFloat64, refuseCapture, bumpVersion, activeRecording } from './capture/recording.js';
