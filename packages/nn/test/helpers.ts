// Test helpers: fixture tensors as leaf Variables, and comparing Variables with fixture tensors.
import type { Tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { assertClose, decode, values, type EncodedTensor } from '@minigrad/testing';
import type { FixedStats } from '../src/normalization/composite.js';
import type { NormLayout } from '../src/normalization/core.js';

/** A leaf Variable holding the fixture values, requiring grad when it is floating point. */
export function leaf(e: EncodedTensor): Variable {
  const t = decode(e);
  return new Variable(t, t.dtype === 'float32' || t.dtype === 'float64');
}

export function expectClose(
  actual: Tensor | Variable,
  expected: EncodedTensor,
  label: string,
  tol: { atol?: number; rtol?: number } = {},
): void {
  const a = actual instanceof Variable ? actual.data : actual;
  if (a.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(`${label}: shape [${a.shape.join(',')}], expected [${expected.shape.join(',')}]`);
  }
  assertClose(a.toTypedArray(), values(expected), { label, ...tol });
}

/** One input of the normalization core's tests: its shape and layout, the affine shape, fixed statistics (eval). */
export interface NormCase {
  name: string;
  shape: number[];
  layout: NormLayout;
  affine: number[] | null;
  fixed?: FixedStats;
}
