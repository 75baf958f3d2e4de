// fast-check generators for tensors with every kind of layout: contiguous, permuted, step-sliced, expanded.
import fc from 'fast-check';
import { type Tensor, tensor, zeros } from '@minigrad/tensor';

export type Layout = 'contiguous' | 'permuted' | 'stepped' | 'expanded';

export const shapeArb = (maxDims = 4, maxSize = 4) =>
  fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: 0, maxLength: maxDims });

export const layoutArb: fc.Arbitrary<Layout> = fc.constantFrom('contiguous', 'permuted', 'stepped', 'expanded');

/** Distinct, exactly representable values (so sums and comparisons have no rounding noise). */
function values(shape: readonly number[], dtype: 'float32' | 'float64', seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  // A scrambled pattern of small half-integers, varied by seed.
  for (let i = 0; i < n; i++) data[i] = (((i * (7 + 2 * (seed % 5)) + seed) % (2 * n + 3)) - n) * 0.5;
  return tensor(data, { dtype, shape });
}

/** A tensor of `shape` whose memory layout is `layout` (values depend on seed only). */
export function build(shape: readonly number[], layout: Layout, seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor {
  const src = values(shape, dtype, seed);
  const n = shape.length;
  switch (layout) {
    case 'contiguous':
      return src;
    case 'permuted': {
      // Store with dims reversed, then view back in the requested order.
      const perm = shape.map((_, i) => n - 1 - i);
      return zeros(perm.map((d) => shape[d]), { dtype }).permute(perm).copyFrom(src);
    }
    case 'stepped': {
      // Every dim taken with step 2 out of a twice larger buffer.
      let holder = zeros(shape.map((s) => 2 * s), { dtype });
      for (let d = 0; d < n; d++) holder = holder.slice(d, 1, undefined, 2);
      return holder.copyFrom(src);
    }
    case 'expanded': {
      // Where a size repeats the first slice, broadcast that slice (stride 0); otherwise contiguous.
      if (n === 0 || shape[0] === 1) return src;
      return src.narrow(0, 0, 1).expand(shape as number[]);
    }
  }
}

export const tensorArb = (maxDims = 4, maxSize = 4) =>
  fc.record({ shape: shapeArb(maxDims, maxSize), layout: layoutArb, seed: fc.nat(1000) });

/** Two shapes that broadcast together: each drops some leading dims of a common shape and sets some dims to 1. */
export const broadcastPairArb = fc
  .record({ shape: shapeArb(4, 4), dropA: fc.nat(2), dropB: fc.nat(2), onesA: fc.nat(15), onesB: fc.nat(15) })
  .map(({ shape, dropA, dropB, onesA, onesB }) => {
    const derive = (drop: number, ones: number) =>
      shape.map((s, i) => ((ones >> i) & 1 ? 1 : s)).slice(Math.min(drop, shape.length));
    return { a: derive(dropA, onesA), b: derive(dropB, onesB) };
  });
