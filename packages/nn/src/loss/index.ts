// Losses with PyTorch's semantics and reductions, as functions and as modules.
export { crossEntropy, nllLoss, type CrossEntropyOptions, type NLLLossOptions } from './cross-entropy.js';
export { mseLoss, l1Loss, type RegressionLossOptions } from './regression.js';
export { binaryCrossEntropyWithLogits, type BCEWithLogitsOptions } from './bce.js';
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss } from './modules.js';
export type { Reduction } from './reduction.js';
