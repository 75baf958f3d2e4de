// The op dispatch path: run an op's forward and, when an input requires grad and recording is on,
// record one node. This is the per-op overhead of the framework, so it stays flat: no rest/spread,
// no closures, a single object shape for nodes.
import { ArgumentError, Tensor, describeValue } from '@minigrad/tensor';
import { checkForwardAnomaly } from './anomaly.js';
import { state } from './mode.js';
import { newNode } from './tape-node.js';
import type { ForwardCtx, OpDef } from './registry.js';
import { Variable } from './variable.js';

// The ctx handed to forwards called through applyOp, which drops their aux once the node holds it: reusing it
// saves an allocation per op, and nothing outside one call of run() ever sees it.
const scratch: ForwardCtx = { aux: null };

/**
 * Applies a registered op to Variables; records a tape node when a gradient is needed. A plain Tensor among the
 * inputs is a constant (a Variable that does not require grad).
 */
export function applyOp<A>(op: OpDef<A>, inputs: (Variable | Tensor)[], args: A): Variable {
  const out = run(op, inputs, args, scratch);
  scratch.aux = null;
  return out;
}

/** What `applyOpWithAux` returns: the op's output and the auxiliary output its forward left. */
export interface OpResult<X> {
  /** The op's (differentiable) output. */
  out: Variable;
  /** What its forward left in ctx.aux (not differentiable). */
  aux: X;
}

/**
 * applyOp for an op whose forward also leaves a non-differentiable second output in ctx.aux (the indices of
 * max along a dim, the statistics of a normalization): returns it beside the output.
 */
export function applyOpWithAux<A, X>(op: OpDef<A, X>, inputs: (Variable | Tensor)[], args: A): OpResult<X> {
  const ctx: ForwardCtx<X> = { aux: null };
  const out = run(op, inputs, args, ctx);
  return { out, aux: ctx.aux as X };
}

function run<A, X>(op: OpDef<A, X>, inputs: (Variable | Tensor)[], args: A, ctx: ForwardCtx<X>): Variable {
  const n = inputs.length;
  let record = false;
  const xs = new Array<Tensor>(n);
  for (let i = 0; i < n; i++) {
    const x = inputs[i];
    if (!(x instanceof Variable)) return run(op, withConstants(op, inputs), args, ctx);
    xs[i] = x.data;
    if (x.requiresGrad) record = true;
  }
  const vars = inputs as Variable[]; // every one checked above
  record &&= state.gradEnabled;
  ctx.aux = null;
  const out = op.forward(xs, args, ctx);
  if (state.anomaly) checkForwardAnomaly(op.name, xs, out);
  if (!record) return new Variable(out);

  const node = newNode(op, args, n, out.shape, out.dtype);
  node.aux = ctx.aux;
  const next = node.next;
  const shapes = node.shapes;
  for (let i = 0; i < n; i++) {
    const x = vars[i];
    next[i] = x.requiresGrad ? (x.gradFn ?? x) : null;
    shapes[i] = xs[i].shape;
    if (xs[i].dtype !== out.dtype && node.dtypes === null) node.dtypes = xs.map((t) => t.dtype);
  }
  const v = new Variable(out);
  v.requiresGrad = true;
  v.gradFn = node;
  if (op.saveInputs) {
    node.inputs = vars;
    const versions = new Array<number>(n);
    for (let i = 0; i < n; i++) versions[i] = xs[i].storage.version;
    node.versions = versions;
  }
  if (op.saveOutput) {
    node.output = v;
    node.outVersion = out.storage.version;
  }
  if (state.anomaly) node.stack = new Error().stack ?? null;
  return v;
}

/** The slow path of run: a copy of the inputs with each plain Tensor wrapped as a constant Variable. */
function withConstants(op: OpDef<any, any>, inputs: (Variable | Tensor)[]): Variable[] {
  return inputs.map((x, i) => {
    if (x instanceof Variable) return x;
    if (x instanceof Tensor) return new Variable(x);
    throw new ArgumentError(op.name, `input ${i} must be a Variable or a Tensor, got ${describeValue(x)}`);
  });
}

/** Unary shortcut of applyOp (one array literal, no rest parameters). */
export function apply1<A>(op: OpDef<A>, a: Variable | Tensor, args: A): Variable {
  return applyOp(op, [a], args);
}

/** Binary shortcut of applyOp. */
export function apply2<A>(op: OpDef<A>, a: Variable | Tensor, b: Variable | Tensor, args: A): Variable {
  return applyOp(op, [a, b], args);
}
