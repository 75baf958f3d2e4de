// @minigrad/nn/internal: the normalization core under F.batchNorm/layerNorm/groupNorm/instanceNorm (the
// composite and fused paths and the layouts that map each norm onto them), for the benchmarks and tests.
// Not part of the public API: names and signatures may change in any release.
export { normalizeComposite, normalizeFused, batchNormLayout, groupNormLayout, instanceNormLayout, layerNormLayout } from './normalization/index.js';
export type { NormLayout } from './normalization/index.js';
