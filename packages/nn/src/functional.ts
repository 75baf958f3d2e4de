// Modules (packages/nn/src/layers) are thin stateful wrappers over these.
export { relu, leakyRelu, gelu, silu, sigmoid, tanh, softplus, softmax, logSoftmax } from './functional/activations.js';
export { linear, bilinear } from './functional/linear.js';
export { dropout } from './functional/dropout.js';
export type { DropoutOptions } from './functional/dropout.js';
export { embedding } from './functional/embedding.js';
export { batchNorm, layerNorm, groupNorm, instanceNorm } from './normalization/functional.js';
export { crossEntropy, nllLoss, mseLoss, l1Loss, binaryCrossEntropyWithLogits } from './loss/index.js';
