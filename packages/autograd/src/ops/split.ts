// Splitting a Variable along a dim into narrow views, each recorded on the tape (Variable.split/chunk and
// the free functions split/chunk).
import { ArgumentError, IndexError, checkShape, describeValue, fmtShape } from '@minigrad/tensor';
import { asVariable, type TensorLike, type Variable } from '../variable.js';

/** dim in [-ndim, ndim), made non-negative. */
function dimOf(op: string, x: Variable, dim: unknown): number {
  if (!Number.isInteger(dim) || (dim as number) < -x.ndim || (dim as number) >= x.ndim) {
    throw new IndexError(op, `dim ${describeValue(dim)} is out of range for shape ${fmtShape(x.shape)}`);
  }
  return (dim as number) < 0 ? (dim as number) + x.ndim : (dim as number);
}

/**
 * Splits along dim into pieces of `size` (the last may be smaller) or of the given sizes (which must sum
 * to the dim's size). Each piece is a narrow view recorded on the tape.
 */
export function split(input: TensorLike, size: number | readonly number[], dim = 0): Variable[] {
  const x = asVariable(input, 'split', 'input');
  const d = dimOf('split', x, dim);
  const total = x.shape[d];
  const sizes: number[] = [];
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size <= 0) throw new ArgumentError('split', `split size must be a positive integer, got ${describeValue(size)}`);
    for (let at = 0; at < total || (total === 0 && sizes.length === 0); at += size) sizes.push(Math.min(size, total - at));
  } else {
    let sum = 0;
    for (const s of checkShape('split', 'sizes', size)) sum += s;
    if (sum !== total) {
      throw new ArgumentError('split', `sizes [${size.join(',')}] sum to ${sum}, but dim ${dim} of shape ${fmtShape(x.shape)} has size ${total}`);
    }
    sizes.push(...size);
  }
  const out: Variable[] = [];
  let offset = 0;
  for (const s of sizes) {
    out.push(x.narrow(d, offset, s));
    offset += s;
  }
  return out;
}

/** Splits into `chunks` pieces of ceil(size / chunks) along dim (fewer when the size runs out). */
export function chunk(input: TensorLike, chunks: number, dim = 0): Variable[] {
  const x = asVariable(input, 'chunk', 'input');
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ArgumentError('chunk', `chunks must be a positive integer, got ${describeValue(chunks)}`);
  const d = dimOf('chunk', x, dim);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}
