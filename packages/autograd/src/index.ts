// @minigrad/autograd: reverse-mode automatic differentiation on an inspectable tape.
export { Variable, asVariable, checkVariable, type Operand, type TensorLike, type BackwardOptions } from './variable.js';
export { variable, tensor, zeros, ones, full, randn, rand, arange, zerosLike, onesLike, randnLike, type VariableOptions } from './factories.js';
export {
  cat, stack, split, chunk, where, matmul, maximum, minimum, clamp, cumsum, sort, argsort, topk, maskedFill, maskedSelect, conv2d, convTranspose2d, maxPool2d,
  maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d,
} from './functions.js';
export { grad, type GradOptions } from './grad.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled, detectAnomaly, isAnomalyEnabled } from './mode.js';
export { AnomalyError } from './anomaly.js';
export { defineOp, type OpDef, type OpSample, type ForwardCtx, type VariantKind } from './registry.js';
/** Builders of float64 sample inputs for OpDef.samples: `normal`, `uniform`, `awayFromZero`. */
export * as sampleInputs from './ops/samples.js';
export { applyOp, applyOpWithAux, type OpResult } from './dispatch.js';
export type { Node, Edge, GradHook, RemovableHandle } from './tape-node.js';
export { gradcheck, gradgradcheck, GradcheckError, type GradcheckOptions, type GradgradcheckOptions, type GradcheckFn } from './gradcheck.js';
export { tape, formatTape, toDot, type TapeEntry, type TapeInput, type TapeNodeInput, type TapeLeafInput, type TapeConstantInput } from './inspect.js';
export {
  sampleVariants, variantFn, checkOpGradients, checkOpSecondGradients, checkOpGradOwnership, GradOwnershipError, type SampleVariant,
} from './opcheck.js';
