// Test helpers: fixture tensors as leaf Variables, and comparing Variables with fixture tensors.
import type { Tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { assertClose, decode, values, type EncodedTensor } from '@minigrad/testing';

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
