// Variables print as PyTorch prints tensors that take part in autograd: `tensor([1., 2.], requires_grad=True)`
// for a leaf that requires grad, `tensor([2., 4.], grad_fn=<MulBackward0>)` for an op's output.
import { formatTensor } from '@minigrad/tensor';
import type { Variable } from './variable.js';

/**
 * The backward node's name in PyTorch's pattern: `mul` -> `MulBackward0`, `addScalar` -> `AddBackward0`,
 * `max.dim` -> `MaxBackward0`. It is built from minigrad's op name, so an op that PyTorch implements with
 * another kernel prints its own name (`linear` gives `LinearBackward0` where PyTorch says `AddmmBackward0`).
 */
export function backwardName(opName: string): string {
  const base = opName.replace(/\.\w+$/, '').replace(/Scalar$/, '');
  return `${base.charAt(0).toUpperCase()}${base.slice(1)}Backward0`;
}

/** `v` as PyTorch's `str(tensor)`. */
export function formatVariable(v: Variable): string {
  const suffix = v.gradFn !== null ? [`grad_fn=<${backwardName(v.gradFn.op.name)}>`] : v.requiresGrad ? ['requires_grad=True'] : [];
  return formatTensor(v.data, suffix);
}
