// Test helpers: fixture tensors to Variables, and a parameter's values as a plain array.
import type { Tensor } from '@minigrad/tensor';
import { variable, type Variable } from '@minigrad/autograd';
import { decode, type EncodedTensor } from '@minigrad/testing';

/** A leaf Variable that requires grad, holding the fixture's values. */
export function paramFrom(e: EncodedTensor): Variable {
  return variable(decode(e), { requiresGrad: true });
}

/** Sets p.grad from a fixture tensor, or to null. */
export function setGrad(p: Variable, e: EncodedTensor | null): void {
  p.grad = e === null ? null : variable(decode(e));
}

export function valuesOf(t: Tensor): number[] {
  return Array.from(t.toTypedArray());
}
