// PyTorch's loss reductions and the checks every loss shares.
import { Variable } from '@minigrad/autograd';
import { ArgumentError, DTypeError, Tensor, fmtShape } from '@minigrad/tensor';

export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ArgumentError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
  return reduction;
}

/** 'none' keeps the elementwise losses, 'sum' adds them up, 'mean' averages them. */
export function reduce(losses: Variable, reduction: Reduction): Variable {
  return reduction === 'none' ? losses : reduction === 'sum' ? losses.sum() : losses.mean();
}

/** Throws unless `v` holds floats; `what` names the argument ('input', 'target'). */
export function checkFloat(op: string, what: string, v: Variable | Tensor): void {
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
