// @minigrad/tensor: strided n-d tensors with zero-copy views, broadcasting, reductions and kernels.

export { MinigradError, ShapeError, DTypeError, IndexError, ArgumentError, PlatformError, CaptureError, fmtShape } from './errors.js';
export { typeNameOf } from './type-name.js';
export {
  type NumberRange, describeValue, describeName, checkBool, checkNumber, checkInt, checkPositiveInt, checkNonNegativeInt, checkOneOf,
  checkFunction, checkOptions, checkPair, checkShape, checkIntArray, checkIndexDType,
} from './validate.js';
export { type DType, type TypedArray, type FloatArray, DTYPES, isFloat, promoteTypes, promoteWithScalar } from './dtype.js';
export { type Storage, ArrayStorage } from './storage.js';
export {
  type Backend, type BackendName, jsBackend, wasmBackend, getBackend, setBackend, wasmAvailable, initWasmBackend,
} from './backend.js';
export { Tensor, MAX_NUMEL } from './tensor.js';
export { tidy, keep } from './tidy.js';
export { type CompileOptions, type CompiledFunction, type CaptureMode, compile } from './capture/compile.js';
export { type ConvAlgorithm, setConvAlgorithm, getConvAlgorithm } from './conv-algorithm.js';
export { formatTensor } from './format.js';
export { pyFloat, pyStr } from './py-literal.js';
export { DISPATCH, type TensorDispatch, type Dispatched } from './dispatch.js';
export { type ShapeArgs, broadcastShapes, contiguousStrides, numelOf, sameShape } from './shape.js';
export {
  type NestedData, type CreateOptions, type TensorOptions,
  tensor, empty, zeros, ones, full, arange, linspace, eye, emptyLike, zerosLike, onesLike, fullLike,
} from './creation.js';
export { Generator, type RandomOptions, defaultGenerator, manualSeed, rand, randn, randint, randperm, randLike, randnLike } from './random.js';
export type { NestedNumbers } from './ops/convert.js';
export type { VarOptions } from './ops/reduce.js';
export type { SortOptions, TopkOptions, SortResult, ValuesIndices } from './ops/sort.js';
export type { CumsumOptions } from './ops/scan.js';
export { where, maximum, minimum } from './ops/elementwise.js';
export { matmul } from './ops/matmul.js';
export { cat, stack, split, chunk } from './ops/join.js';
export { oneHot } from './ops/indexing.js';
export { erf, erfc } from './math/erf.js';
export {
  type Conv2dOptions, type ConvTranspose2dOptions, type Pair,
  conv2d, convTranspose2d,
} from './ops/conv.js';
export {
  type MaxPool2dOptions, type AvgPool2dOptions, type AdaptiveSize,
  maxPool2d, avgPool2d, adaptiveAvgPool2d,
} from './ops/pool.js';
