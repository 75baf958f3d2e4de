// A tape node: one plain object per recorded op. Nodes of one run are ordered by `seq` (creation order);
// the backward pass walks the nodes reachable from the output in reverse creation order.
import type { OpDef } from './registry.js';
import type { Variable } from './variable.js';

/**
 * Where the gradient of one input goes: the node that produced it, the leaf Variable that accumulates
 * it, or null when the input does not require grad.
 */
export type Edge = Node | Variable | null;

/**
 * One recorded op on the tape (a Variable's `gradFn`): its op, arguments, input edges and what it saved for
 * the backward. PyTorch: `torch.autograd.graph.Node` (`grad_fn`).
 */
export interface Node<A = any, X = any> {
  /** The op definition whose backward runs for this node. */
  readonly op: OpDef<A, X>;
  /** Creation order (a global counter). */
  readonly seq: number;
  /** The op's non-tensor arguments (dims, options). */
  readonly args: A;
  /** One edge per input. */
  readonly next: Edge[];
  /** Shapes of the inputs (gradients are summed back to these). */
  readonly shapes: (readonly number[])[];
  /** Input dtypes, only when one differs from the output's (gradients are cast back to them). */
  dtypes: string[] | null;
  /** Shape of the output. */
  readonly outShape: readonly number[];
  /** Dtype of the output. */
  readonly outDtype: string;
  /** Saved input Variables (op.saveInputs), null before recording or once freed. */
  inputs: Variable[] | null;
  /** Saved output Variable (op.saveOutput). */
  output: Variable | null;
  /** Whatever the forward left in ctx.aux (indices, statistics), for the backward; null once freed. */
  aux: X | null;
  /** Storage versions of the saved inputs at save time, then of the output. */
  versions: number[] | null;
  /** Storage version of the saved output at save time. */
  outVersion: number;
  /** Saved values were freed by a backward without retainGraph. */
  released: boolean;
  /** Hooks of the output Variable (a non-leaf), run on its gradient. */
  hooks: GradHook[] | null;
  /** The output Variable when retainGrad() was called on it. */
  retained: Variable | null;
  /** Gradient accumulated for the output during one backward run. */
  buf: Variable | null;
  /** buf is a tensor this run allocated (safe to add into in place). */
  bufOwned: boolean;
  /** Scratch marks used by one backward run. */
  mark: number;
  /** Scratch: the running backward needs this node's gradient. */
  needed: boolean;
  /** Stack at creation (anomaly mode only). */
  stack: string | null;
}

/** Returned by `registerHook` (and nn's `register*Hook`): `remove()` detaches the hook (calling it twice is harmless). */
export interface RemovableHandle {
  /** Unregisters the hook. */
  remove(): void;
}

/** A tensor hook: reads the gradient, may return a replacement of the same shape. */
export type GradHook = (grad: Variable) => Variable | void | undefined;

let seqCounter = 0;

export function newNode<A, X>(op: OpDef<A, X>, args: A, n: number, outShape: readonly number[], outDtype: string): Node<A, X> {
  return {
    op,
    seq: ++seqCounter,
    args,
    next: new Array<Edge>(n),
    shapes: new Array<readonly number[]>(n),
    dtypes: null,
    outShape,
    outDtype,
    inputs: null,
    output: null,
    aux: null,
    versions: null,
    outVersion: 0,
    released: false,
    hooks: null,
    retained: null,
    buf: null,
    bufOwned: false,
    mark: 0,
    needed: false,
    stack: null,
  };
}

/** Whether input i of a node needs a gradient (a backward can skip the others). */
export function needsGrad(ctx: Node, i: number): boolean {
  return ctx.next[i] !== null;
}
