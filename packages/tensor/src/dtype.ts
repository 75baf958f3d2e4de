// dtypes, their typed arrays, and PyTorch's promotion rules.
import { ArgumentError } from './errors.js';
import { describeName, describeValue } from './validate.js';

/** A tensor's element type ('bool' is stored as a Uint8Array). PyTorch: `torch.dtype`. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';
/** The typed arrays that hold a storage's elements, one per dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
/** The typed arrays of the float dtypes. */
export type FloatArray = Float32Array | Float64Array;

/** A new zero-filled typed array of `size` elements of `dtype` (bool: Uint8Array). */
export function newTypedArray(size: number, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** Every dtype, narrowest first (the promotion order). */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export function isDType(d: unknown): d is DType {
  return d === 'float32' || d === 'float64' || d === 'int32' || d === 'bool';
}

/** PyTorch's and NumPy's dtype names that minigrad spells another way (int32 stands for every integer dtype). */
const DTYPE_ALIASES: Record<string, DType> = {
  int64: 'int32', long: 'int32', int: 'int32', int16: 'int32', int8: 'int32', uint8: 'int32',
  float: 'float32', half: 'float32', float16: 'float32', bfloat16: 'float32', double: 'float64', boolean: 'bool',
};

/** The message for a dtype that is not one of DTYPES, naming the one meant where it is a known alias. */
export function unknownDTypeMessage(value: unknown): string {
  const base = `unknown dtype ${describeName(value)} (expected float32, float64, int32 or bool)`;
  const meant = typeof value === 'string' ? DTYPE_ALIASES[value.replace(/^torch\./, '')] : undefined;
  if (meant === undefined) return base;
  return meant === 'int32' ? `${base}; did you mean 'int32'? (minigrad's one integer dtype, for PyTorch's int64 labels and indices)` : `${base}; did you mean '${meant}'?`;
}

/** True for 'float32' and 'float64'. PyTorch: `torch.dtype.is_floating_point`. */
export function isFloat(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

/** The wider of two tensor dtypes: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  if (!isDType(a) || !isDType(b)) throw new ArgumentError('promoteTypes', `expects two dtypes, got ${describeValue(a)} and ${describeValue(b)}`);
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The result dtype of `tensor op number`: a number never widens a float tensor; it turns a bool/int32
 * tensor into float32 only when it is not an integer, and a bool tensor into int32 when it is one.
 */
export function promoteWithScalar(d: DType, value: number): DType {
  if (isFloat(d)) return d;
  if (!Number.isInteger(value)) return 'float32';
  return 'int32';
}

/** The dtype of a typed array, or undefined for other array types. */
export function dtypeOfArray(a: unknown): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return undefined;
}

/** Rounds a JS number to what a tensor of dtype `d` would hold (used for scalars that join an op). */
export function roundToDType(value: number, d: DType): number {
  switch (d) {
    case 'float32':
      return Math.fround(value);
    case 'int32':
      return value | 0;
    case 'bool':
      return value !== 0 ? 1 : 0;
    default:
      return value;
  }
}
