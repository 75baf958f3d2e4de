// @minigrad/nn: modules, layers, initialization, state dicts and safetensors, hooks and gradient statistics.

// The one place a model builder imports from, as PyTorch's `torch.*`: autograd's Variable, its creation functions
// (which take `requiresGrad`) and free functions, and tensor's seeding, integer sampling, tidy/keep and compile. Every
// layer, F.* and loss takes a Variable or a plain Tensor (a constant) and returns a Variable.
export {
  Variable, type TensorLike, variable, tensor, zeros, ones, full, rand, randn, arange, zerosLike, onesLike, randnLike,
  where, cat, stack, split, chunk, matmul, maximum, minimum, noGrad, enableGrad,
} from '@minigrad/autograd';
export { Tensor, manualSeed, randint, randperm, tidy, keep, compile, CaptureError } from '@minigrad/tensor';
export { Module } from './module.js';
export { Parameter } from './parameter.js';
export type { RemovableHandle, ForwardPreHook, ForwardHook, BackwardHook } from './hooks.js';
export { StateDictError } from './state-dict.js';
export type { StateDict, StateDictInput, LoadStateDictResult } from './state-dict.js';
export { saveSafetensors, loadSafetensors, safetensorsMetadata } from './safetensors.js';
export { gradientStats } from './grad-stats.js';
export { summary } from './summary.js';
export type { ModelSummary, SummaryOptions, SummaryRow } from './summary.js';
export type { GradientStats } from './grad-stats.js';
/** Parameter initializers that fill tensors in place (`init.kaimingUniform_(w)`, ...). PyTorch: `torch.nn.init`. */
export * as init from './init.js';
/** The functional forms of the layers and losses (`F.conv2d`, `F.crossEntropy`, ...). PyTorch: `torch.nn.functional`. */
export * as F from './functional.js';
/** The same namespace as `F`. PyTorch: `torch.nn.functional`. */
export * as functional from './functional.js';

export { Sequential, ModuleList, ModuleDict } from './layers/containers.js';
export { Linear, Bilinear } from './layers/linear.js';
export type { LinearOptions } from './layers/linear.js';
export { Conv2d, ConvTranspose2d } from './layers/conv.js';
export type { Conv2dOptions, ConvTranspose2dOptions } from './layers/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './layers/pooling.js';
export type { MaxPool2dOptions, AvgPool2dOptions, AdaptiveSize } from './layers/pooling.js';
export { Identity, Flatten, Unflatten } from './layers/shape.js';
export { Dropout } from './layers/dropout.js';
export { Embedding } from './layers/embedding.js';
export type { EmbeddingOptions } from './layers/embedding.js';
export { ReLU, LeakyReLU, GELU, SiLU, Sigmoid, Tanh, Softplus, Softmax, LogSoftmax } from './layers/activation.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d } from './normalization/index.js';
export type { NormOptions, LayerNormOptions, GroupNormOptions } from './normalization/index.js';
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss } from './loss/index.js';
export type { CrossEntropyOptions, NLLLossOptions, RegressionLossOptions, BCEWithLogitsOptions, Reduction } from './loss/index.js';
