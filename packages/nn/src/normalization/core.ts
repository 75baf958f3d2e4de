// The one idea behind BatchNorm, LayerNorm, InstanceNorm and GroupNorm (Wu & He 2018, section 3.1):
// all four compute (x - mean) / sqrt(var + eps) * weight + bias and differ only in the set of elements
// that share a mean and a variance. View x [N, C, *] as [N, G, C/G * spatial]:
//
//   GroupNorm     per sample, per group of C/G channels      G = numGroups
//   LayerNorm     per sample, over all of (C, *)             G = 1
//   InstanceNorm  per sample, per channel                    G = C
//   BatchNorm     per channel, over the batch and spatial    G = C, reduced across the batch too
//
// A NormLayout is that set; the functions below are the whole difference between the four layers. The
// affine weight and bias are per channel [C] for GN/IN/BN; LayerNorm's are per element of
// normalizedShape, which the same per-channel affine gives once each normalized element is a channel.
//
// One computation serves every layout: composite.ts defines it in autograd ops (mean, sub, square,
// rsqrt, ...); the normalization kernels of @minigrad/tensor (`norm.stats`, `norm.apply`, `norm.backward`,
// js and wasm, which take a NormLayout as their NormGeometry) are its fused fast path, registered as the
// autograd op `normalize` in fused.ts; functional.ts and the layer modules only check their input and pick
// a layout.

/**
 * x viewed as [n, c, s] (batch, channels, everything after the channels). Channels are split into
 * `groups` consecutive groups; a statistics slot holds one group, of one batch row, or of every row
 * when `acrossBatch` (BatchNorm). Slot k = (acrossBatch ? 0 : row) * groups + group. (The same fields as
 * @minigrad/tensor's NormGeometry, which the kernels take: tensor cannot import this package.)
 */
export interface NormLayout {
  readonly n: number;
  readonly c: number;
  readonly s: number;
  readonly groups: number;
  readonly acrossBatch: boolean;
}

function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** GroupNorm on [N, C, *]: statistics per (sample, group of C/G channels). */
export function groupNormLayout(shape: readonly number[], numGroups: number): NormLayout {
  return { n: shape[0], c: shape[1], s: product(shape.slice(2)), groups: numGroups, acrossBatch: false };
}

/** InstanceNorm = GroupNorm with one channel per group. */
export function instanceNormLayout(shape: readonly number[]): NormLayout {
  return groupNormLayout(shape, shape[1]);
}

/**
 * LayerNorm = GroupNorm with one group. The input is viewed as [M, K] (K = the normalizedShape elements)
 * with every normalized element a channel of its own, so the per-channel affine is LayerNorm's
 * per-element affine. On [N, C, *] with normalizedShape (C, *) these are GroupNorm(1)'s statistics.
 */
export function layerNormLayout(shape: readonly number[], normalizedShape: readonly number[]): NormLayout {
  const k = product(normalizedShape);
  return groupNormLayout([product(shape) / k, k], 1);
}

/** BatchNorm = InstanceNorm's per-channel set, reduced across the batch as well. */
export function batchNormLayout(shape: readonly number[]): NormLayout {
  return { ...instanceNormLayout(shape), acrossBatch: true };
}
