// What layer constructors check with the shared validation layer of @minigrad/tensor: the options object
// (unknown names rejected), sizes, booleans, eps and the parameter dtype, each error naming the layer.
import { checkNumber, checkOneOf, checkOptions } from '@minigrad/tensor';
import type { DType } from '@minigrad/tensor';

export { checkBool, checkPair, checkPositiveInt } from '@minigrad/tensor';

/** The layer's options object with unknown names rejected (PyTorch's snake_case would otherwise be ignored). */
export function layerOptions<T extends object>(layer: string, opts: T | undefined, known: readonly (keyof T & string)[]): T {
  return checkOptions(layer, opts, known);
}

/** A parameter dtype: float32 or float64. */
export function checkParamDType(layer: string, dtype: unknown): DType {
  return checkOneOf(layer, 'dtype', dtype, ['float32', 'float64'] as const);
}

/** A normalization's eps: a finite number >= 0 (a negative one makes sqrt(var + eps) NaN). */
export function checkEps(layer: string, eps: unknown): number {
  return checkNumber(layer, 'eps', eps, { min: 0 });
}
