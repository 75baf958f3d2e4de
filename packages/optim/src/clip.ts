// Gradient clipping: rescale all gradients so their joint norm is at most maxNorm, or clamp each element.
import { ArgumentError, checkBool, checkNumber, checkOptions, describeValue, type FloatArray } from '@minigrad/tensor';
import { Variable, variable } from '@minigrad/autograd';
import { peekGrad } from '@minigrad/autograd/internal';
import { refuseCapture } from '@minigrad/tensor/internal';
import { rounder } from './flat.js';

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** The p of the p-norm: a positive number, Infinity or 'inf' (default 2). */
  normType?: number | 'inf';
  /** Throw when the total norm is NaN or infinite instead of scaling by a non-finite factor (as PyTorch). */
  errorIfNonfinite?: boolean;
}

/** The parameters that have a gradient, each gradient made contiguous so it can be scaled in place. */
function gradsOf(op: string, params: Variable | Iterable<Variable>): Variable[] {
  if (!(params instanceof Variable) && (typeof params !== 'object' || params === null || !(Symbol.iterator in params))) {
    throw new ArgumentError(op, `params must be a Variable or an iterable of them, got ${describeValue(params)}`);
  }
  const list = params instanceof Variable ? [params] : [...params];
  const grads: Variable[] = [];
  list.forEach((p, i) => {
    if (!(p instanceof Variable)) throw new ArgumentError(op, `params[${i}] is not a Variable`);
    let g = peekGrad(p); // scaled in place below, never kept
    if (g === null) return;
    // A strided (e.g. broadcast) gradient is replaced by a contiguous copy so writes cannot alias.
    if (!g.data.isContiguous() || g.gradFn !== null) p.grad = g = variable(g.data.contiguous().clone());
    grads.push(g);
  });
  return grads;
}

function normOf(g: FloatArray, offset: number, n: number, normType: number): number {
  let acc = 0;
  if (normType === Infinity) {
    for (let i = 0; i < n; i++) acc = Math.max(acc, Math.abs(g[offset + i]));
    return acc;
  }
  if (normType === 2) {
    for (let i = 0; i < n; i++) acc += g[offset + i] * g[offset + i];
    return Math.sqrt(acc);
  }
  if (normType === 1) {
    for (let i = 0; i < n; i++) acc += Math.abs(g[offset + i]);
    return acc;
  }
  for (let i = 0; i < n; i++) acc += Math.abs(g[offset + i]) ** normType;
  return acc ** (1 / normType);
}

/**
 * Scales the gradients of `params` in place so that their total `normType` norm (the norm of the per-parameter
 * norms) is at most `maxNorm`, and returns the total norm before clipping (PyTorch's clip_grad_norm_).
 * Parameters whose grad is null are ignored; with none left the norm is 0. The third argument may also be the
 * options object: `clipGradNorm(params, 1, { normType: 'inf', errorIfNonfinite: true })`.
 */
export function clipGradNorm(
  params: Variable | Iterable<Variable>,
  maxNorm: number,
  normTypeOrOptions: number | 'inf' | ClipGradNormOptions = 2,
  options: ClipGradNormOptions = {},
): number {
  refuseCapture('clipGradNorm computes in JavaScript');
  const op = 'clipGradNorm';
  const known = ['normType', 'errorIfNonfinite'] as const;
  const o = typeof normTypeOrOptions === 'object' && normTypeOrOptions !== null
    ? { ...checkOptions(op, options, known), ...checkOptions(op, normTypeOrOptions, known) }
    : { ...checkOptions(op, options, known), normType: normTypeOrOptions };
  const normType = o.normType === 'inf' ? Infinity : checkNumber(op, 'normType', o.normType ?? 2, { above: 0, infinite: true });
  const errorIfNonfinite = checkBool(op, 'errorIfNonfinite', o.errorIfNonfinite ?? false);
  checkNumber(op, 'maxNorm', maxNorm, { min: 0, infinite: true });
  const grads = gradsOf(op, params);
  if (grads.length === 0) return 0;
  // Norms are accumulated in double; each one is rounded to float32 when every gradient is float32, as PyTorch's are.
  const r = rounder(grads.every((g) => g.data.dtype === 'float32') ? 'float32' : 'float64');
  const norms = new Float64Array(grads.length);
  grads.forEach((g, i) => {
    norms[i] = r(normOf(g.data.data as FloatArray, g.data.offset, g.data.numel(), normType));
  });
  const total = r(normOf(norms, 0, norms.length, normType));
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new ArgumentError(op, `the total norm of order ${describeValue(normType)} of the gradients is ${total}; clipping would make them non-finite (set errorIfNonfinite: false to clip anyway)`);
  }
  const coef = Math.min(r(maxNorm / r(total + 1e-6)), 1);
  for (const g of grads) {
    const data = g.data.data as FloatArray;
    const offset = g.data.offset;
    const n = g.data.numel();
    const c = g.data.dtype === 'float32' ? Math.fround(coef) : coef;
    for (let i = 0; i < n; i++) data[offset + i] *= c;
    g.data.storage.version++;
  }
  return total;
}

/** Clamps every gradient element of `params` into [-clipValue, clipValue] in place. */
export function clipGradValue(params: Variable | Iterable<Variable>, clipValue: number): void {
  const op = 'clipGradValue';
  refuseCapture('clipGradValue computes in JavaScript');
  checkNumber(op, 'clipValue', clipValue, { min: 0, infinite: true });
  for (const g of gradsOf(op, params)) {
    const data = g.data.data as FloatArray;
    const offset = g.data.offset;
    const n = g.data.numel();
    for (let i = 0; i < n; i++) {
      const x = data[offset + i];
      data[offset + i] = x > clipValue ? clipValue : x < -clipValue ? -clipValue : x;
    }
    g.data.storage.version++;
  }
}
