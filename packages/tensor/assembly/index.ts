// Entry of the WebAssembly module (compiled by scripts/build-wasm.mjs): every export is a kernel the
// wasm backend calls from src/kernels/wasm/.
export { heapBase, scratchBytes, sgemm } from './gemm';
export { sgemmAxpy, sgemmDot } from './gemm-small';
export { im2col, col2im } from './im2col';
export { maxPool2d, maxPool2dBackward } from './pool';
export { relu, reluBackward } from './elementwise';
export { sumChannels, addChannelBias } from './channels';
export { normStats, normApply, normBackward } from './norm';
export { sgdF32, adamF32, rmspropF32, adagradF32 } from './optim';
export { zeroF32 } from './fill';
export { f64ToF32 } from './convert';
export {
  winogradWeights, winogradWeightGrad, winogradInput, winogradOutput, winogradGradOut, winogradGradInput,
} from './winograd';
