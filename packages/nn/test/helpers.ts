// Test helpers: decoding fixture tensors and comparing Variables with them.
import { tensor } from '@minigrad/tensor';
import type { Tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { assertClose, values } from '../../../tools/fixtures/fixtures.js';
import type { EncodedTensor } from '../../../tools/fixtures/fixtures.js';

export function decode(e: EncodedTensor): Tensor {
  return tensor(values(e), { dtype: e.dtype, shape: e.shape });
}

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
