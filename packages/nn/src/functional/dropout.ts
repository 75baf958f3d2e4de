// Dropout: zeroes each element with probability p in training and scales the survivors by 1/(1-p).
import { ArgumentError, checkBool, checkOptions, describeValue, rand } from '@minigrad/tensor';
import type { Generator } from '@minigrad/tensor';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';

/** Options of `F.dropout` (or just `p` as a number). */
export interface DropoutOptions {
  /** Probability that an element is zeroed (default 0.5). */
  p?: number;
  /** Apply dropout (default true); false returns the input. */
  training?: boolean;
  /** Source of the mask; the global generator (seeded by `manualSeed`) when absent. */
  generator?: Generator;
}

const DROPOUT_OPTIONS = ['p', 'training', 'generator'] as const;

export function checkDropoutP(op: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(op, `dropout probability has to be between 0 and 1, but got ${describeValue(p)}`);
}

/** `dropout(x, { p, training, generator })`, or PyTorch's positional `dropout(x, p, training)`. */
export function dropout(x: TensorLike, opts: number | DropoutOptions = {}, training?: boolean): Variable {
  x = asVariable(x, 'dropout', 'input');
  const o = typeof opts === 'number' ? { p: opts, training } : checkOptions('dropout', opts, DROPOUT_OPTIONS);
  if (o.training !== undefined) checkBool('dropout', 'training', o.training);
  return applyDropout(x, o.p ?? 0.5, o.training ?? true, (o as DropoutOptions).generator);
}

function applyDropout(x: Variable, p: number, training: boolean, generator: Generator | undefined): Variable {
  checkDropoutP('dropout', p);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  // keep where u >= p: probability 1 - p for u ~ U[0, 1)
  const mask = rand(x.shape, { dtype: x.dtype, generator }).ge(p).to(x.dtype).mul(1 / (1 - p));
  return x.mul(mask);
}
