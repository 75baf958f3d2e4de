// The gradients that start a backward pass (backward's gradOutput, grad's gradOutputs) and the options both
// take, checked in one place.
import { ArgumentError, DTypeError, ShapeError, Tensor, checkBool, checkOptions, describeValue, fmtShape, sameShape } from '@minigrad/tensor';
import { Variable } from './variable.js';

/**
 * A given gradient for `out`: a Variable or Tensor of out's shape. As PyTorch's engine does, a gradient of
 * another numeric dtype is converted to out's (an int32 gradient gives a float32 leaf a float32 .grad).
 */
export function givenSeed(op: string, name: string, outName: string, out: Variable, g: unknown): Variable {
  if (!(g instanceof Variable) && !(g instanceof Tensor)) {
    throw new ArgumentError(op, `${name} must be a Variable or a Tensor, got ${describeValue(g)}`);
  }
  const v = g instanceof Variable ? g : new Variable(g);
  if (!sameShape(v.shape, out.shape)) {
    throw new ShapeError(op, `${name} has shape ${fmtShape(v.shape)} but ${outName} has shape ${fmtShape(out.shape)}`);
  }
  if (v.dtype === out.dtype) return v;
  if (v.dtype === 'bool') throw new DTypeError(op, `${name} is a bool tensor; a gradient must be numeric (output dtype ${out.dtype})`);
  return v.to(out.dtype);
}

/** retainGraph and createGraph (both real booleans; retainGraph defaults to createGraph), plus `extra` names. */
export function graphOptions<O extends { retainGraph?: boolean; createGraph?: boolean }>(
  op: string, opts: O | undefined, extra: readonly (keyof O & string)[] = [],
): O & { retainGraph: boolean; createGraph: boolean } {
  const o = checkOptions(op, opts, ['retainGraph', 'createGraph', ...extra] as (keyof O & string)[]);
  const createGraph = checkBool(op, 'createGraph', o.createGraph ?? false);
  const retainGraph = checkBool(op, 'retainGraph', o.retainGraph ?? createGraph);
  return { ...o, retainGraph, createGraph };
}
