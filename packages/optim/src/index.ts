// @minigrad/optim: optimizers, learning-rate schedulers and gradient clipping over @minigrad/autograd Variables.
export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type GroupParams,
  type GroupParamsInput,
  type SavedParamGroup,
  type ParamState,
  type Params,
  type ScheduleFields,
} from './optimizer.js';
export type { EncodedTensor } from './state-codec.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip.js';
export { LRScheduler, type AnyOptimizer } from './schedulers/lr-scheduler.js';
export type { SchedulerStateDict } from './schedulers/state.js';
export { StepLR, MultiStepLR, ExponentialLR, type StepLROptions, type MultiStepLROptions, type ExponentialLROptions } from './schedulers/step-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine-lr.js';
export { LinearLR, type LinearLROptions } from './schedulers/linear-lr.js';
export { OneCycleLR, type OneCycleLROptions, type Phase, type GroupField } from './schedulers/one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/plateau.js';
export { SequentialLR, type SequentialLROptions } from './schedulers/sequential-lr.js';
export { ChainedScheduler } from './schedulers/chained-scheduler.js';
export { LambdaLR, MultiplicativeLR, type LambdaLROptions, type LrLambda } from './schedulers/lambda-lr.js';
export { ConstantLR, PolynomialLR, type ConstantLROptions, type PolynomialLROptions } from './schedulers/constant-lr.js';
