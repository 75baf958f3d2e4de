// The four normalization layers and their functional forms (see core.ts for the idea they share).
export { BatchNorm1d, BatchNorm2d } from './batchnorm.js';
export { LayerNorm, type LayerNormOptions } from './layernorm.js';
export { GroupNorm, type GroupNormOptions } from './groupnorm.js';
export { InstanceNorm2d } from './instancenorm.js';
export type { NormOptions } from './norm-base.js';
export { batchNorm, layerNorm, groupNorm, instanceNorm, type RunningStat, type Affine, type AffineOptions, type BatchNormOptions, type InstanceNormOptions } from './functional.js';
export { normalizeComposite } from './composite.js';
export { normalizeFused, normalizeOp } from './fused.js';
export { batchNormLayout, groupNormLayout, instanceNormLayout, layerNormLayout } from './core.js';
export type { NormLayout } from './core.js';
