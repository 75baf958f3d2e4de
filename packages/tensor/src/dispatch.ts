// The dispatch protocol: how a tensor op hands itself over to an operand from a package above this one.
// The tensor package knows no tape; autograd's Variable does. A tensor op handed an operand that is not a Tensor
// (only then: the test is one `instanceof` on the hot path) asks its operands for a method under DISPATCH, and the
// first one that has it runs the op: `t.add(v)` returns what `v[DISPATCH]('add', [t, v, 1])` returns, a Variable
// on the tape. NumPy's `__array_ufunc__` and PyTorch's `__torch_function__` are the same idea.
import { Tensor } from './tensor.js';

/** The key of the protocol's method (`Symbol.for`, so that two copies of this package agree on it). */
export const DISPATCH: unique symbol = Symbol.for('minigrad.dispatch');

/**
 * An operand that tensor ops defer to. `op` is the name of the Tensor method or free function, `args` its
 * arguments with a method's receiver first: `t.add(v, 2)` calls `v[DISPATCH]('add', [t, v, 2])`, `cat([t, v], 1)`
 * calls `v[DISPATCH]('cat', [[t, v], 1])`. A method and a free function of the same name (`matmul`, `split`,
 * `chunk`) mean the same thing. The answer is the op's result with each tensor in it of the implementer's kind
 * (`R`, which types the result of a Tensor op handed such an operand), except the in-place methods
 * (`addInPlace`, `copyFrom`, ...), which write into their Tensor receiver and return it. Returning undefined
 * declines: the op then throws its usual error.
 */
export interface TensorDispatch<R = unknown> {
  /** Runs tensor op `op` on `args` (its receiver first), or returns undefined to decline. */
  [DISPATCH](op: string, args: unknown[]): R;
}

/** The kind of tensor an operand's ops return: `Variable` for a Variable (or a Parameter). */
export type Dispatched<V> = V extends TensorDispatch<infer R> ? R : never;

/** Whether x implements the protocol. */
export function implementsDispatch(x: unknown): x is TensorDispatch {
  return typeof x === 'object' && x !== null && !(x instanceof Tensor) && typeof (x as Partial<TensorDispatch>)[DISPATCH] === 'function';
}

/** Whether an operand takes the slow path: anything but a Tensor, a number, null or undefined. */
export function isDeferred(x: unknown): boolean {
  return x != null && typeof x !== 'number' && !(x instanceof Tensor);
}

/**
 * The slow path of an op handed something that is not a Tensor: the first of `args` (or of the elements of an
 * array among them, as cat's list) implementing the protocol runs the op, and its answer is returned. undefined
 * when none does (or it declines), and the op's own checks then throw its usual error.
 */
export function deferOp(op: string, args: unknown[]): unknown {
  for (const a of args) {
    if (implementsDispatch(a)) return a[DISPATCH](op, args);
    if (Array.isArray(a)) {
      for (const e of a) if (implementsDispatch(e)) return e[DISPATCH](op, args);
    }
  }
  return undefined;
}
