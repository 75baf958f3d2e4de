// PyTorch's loss reductions and the checks every loss shares.
import { Variable } from '@minigrad/autograd';
import { ArgumentError, checkInt, checkNumber, checkOptions, describeName, describeValue, DTypeError, Tensor, fmtShape } from '@minigrad/tensor';

/** How per-element losses are combined: their 'mean', their 'sum', or 'none' (the per-element losses). */
export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ArgumentError(op, `reduction must be 'mean', 'sum' or 'none', got ${describeName(reduction)}`);
  }
  return reduction;
}

/** 'none' keeps the elementwise losses, 'sum' adds them up, 'mean' averages them. */
export function reduce(losses: Variable, reduction: Reduction): Variable {
  return reduction === 'none' ? losses : reduction === 'sum' ? losses.sum() : losses.mean();
}

/** Throws unless `v` is a Variable or a Tensor; `what` names the argument. */
export function checkTensorLike(op: string, what: string, v: unknown): Variable | Tensor {
  if (!(v instanceof Variable) && !(v instanceof Tensor)) throw new ArgumentError(op, `${what} must be a Variable or a Tensor, got ${describeValue(v)}`);
  return v;
}

interface LossFields {
  reduction?: unknown;
  weight?: unknown;
  posWeight?: unknown;
  ignoreIndex?: unknown;
  labelSmoothing?: unknown;
}

/**
 * A loss's options (the functional form's and the module's): known names only, reduction from its set, class
 * weights Variables or Tensors, ignoreIndex an integer, labelSmoothing in [0, 1].
 */
export function lossOptions<O extends object>(op: string, opts: O | undefined, known: readonly (keyof O & string)[]): O {
  const o = checkOptions(op, opts, known) as LossFields;
  if (o.reduction !== undefined) checkReduction(op, o.reduction);
  if (o.weight !== undefined && o.weight !== null) checkTensorLike(op, 'weight', o.weight);
  if (o.posWeight !== undefined && o.posWeight !== null) checkTensorLike(op, 'posWeight', o.posWeight);
  if (o.ignoreIndex !== undefined) checkInt(op, 'ignoreIndex', o.ignoreIndex);
  if (o.labelSmoothing !== undefined) checkNumber(op, 'labelSmoothing', o.labelSmoothing, { min: 0, max: 1 });
  return o as O;
}

/** Throws unless `v` (a Variable or a Tensor) holds floats; `what` names the argument ('input', 'target'). */
export function checkFloat(op: string, what: string, v: Variable | Tensor): void {
  checkTensorLike(op, what, v);
  if (v.dtype !== 'float32' && v.dtype !== 'float64') {
    throw new DTypeError(op, `${what} must be float32 or float64, got ${v.dtype} (shape ${fmtShape(v.shape)})`);
  }
}

export function asVariable(v: Variable | Tensor): Variable {
  return v instanceof Variable ? v : new Variable(v);
}

/** The tensor behind a Variable or a Tensor (class weights are constants, as in PyTorch). */
export function tensorOf(v: Variable | Tensor): Tensor {
  return v instanceof Variable ? v.data : v;
}
