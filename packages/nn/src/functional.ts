// The functional forms, imported as a namespace: `import { F } from '@minigrad/nn'; F.conv2d(x, w, b, { padding: 1 })`.
// Modules (packages/nn/src/layers) are thin stateful wrappers over these.
export { relu, leakyRelu, gelu, silu, sigmoid, tanh, softplus, softmax, logSoftmax } from './functional/activations.js';
export { linear, bilinear } from './functional/linear.js';
export { conv2d, convTranspose2d } from './functional/conv.js';
export type { Conv2dOptions, ConvTranspose2dOptions } from './functional/conv.js';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from './functional/pooling.js';
export type { MaxPool2dOptions, AvgPool2dOptions, AdaptiveSize } from './functional/pooling.js';
export { dropout } from './functional/dropout.js';
export type { DropoutOptions } from './functional/dropout.js';
export { embedding } from './functional/embedding.js';
export { batchNorm, layerNorm, groupNorm, instanceNorm } from './normalization/functional.js';
export type { RunningStat, Affine, AffineOptions, BatchNormOptions, InstanceNormOptions } from './normalization/functional.js';
export { crossEntropy, nllLoss, mseLoss, l1Loss, binaryCrossEntropyWithLogits } from './loss/index.js';
