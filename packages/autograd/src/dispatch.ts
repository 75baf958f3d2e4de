// The op dispatch path: run an op's forward and, when an input requires grad and recording is on,
// record one node. This is the per-op overhead of the framework, so it stays flat: no rest/spread,
// no closures, a single object shape for nodes.
import type { Tensor } from '@minigrad/tensor';
import { checkForwardAnomaly } from './anomaly.js';
import { state } from './mode.js';
import { newNode } from './node.js';
import type { ForwardCtx, OpDef } from './registry.js';
import { Variable } from './variable.js';

const scratch: ForwardCtx = { aux: null };
let lastAux: unknown = null;

/** Applies a registered op to Variables; records a tape node when a gradient is needed. */
export function applyOp<A>(op: OpDef<A>, inputs: Variable[], args: A): Variable {
  const n = inputs.length;
  let record = false;
  if (state.gradEnabled) {
    for (let i = 0; i < n; i++) {
      if (inputs[i].requiresGrad) {
        record = true;
        break;
      }
    }
  }
  const xs = new Array<Tensor>(n);
  for (let i = 0; i < n; i++) xs[i] = inputs[i].data;
  scratch.aux = null;
  const out = op.forward(xs, args, scratch);
  lastAux = scratch.aux;
  scratch.aux = null;
  if (state.anomaly) checkForwardAnomaly(op.name, xs, out);
  if (!record) return new Variable(out);

  const node = newNode(op, args, n, out.shape, out.dtype);
  node.aux = lastAux;
  const next = node.next;
  const shapes = node.shapes;
  for (let i = 0; i < n; i++) {
    const x = inputs[i];
    next[i] = x.requiresGrad ? (x.gradFn ?? x) : null;
    shapes[i] = xs[i].shape;
    if (xs[i].dtype !== out.dtype && node.dtypes === null) node.dtypes = xs.map((t) => t.dtype);
  }
  const v = new Variable(out);
  v.requiresGrad = true;
  v.gradFn = node;
  if (op.saveInputs) {
    node.inputs = inputs;
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

/** Unary shortcut of applyOp (one array literal, no rest parameters). */
export function apply1<A>(op: OpDef<A>, a: Variable, args: A): Variable {
  return applyOp(op, [a], args);
}

/** Binary shortcut of applyOp. */
export function apply2<A>(op: OpDef<A>, a: Variable, b: Variable, args: A): Variable {
  return applyOp(op, [a, b], args);
}

/**
 * The non-differentiable second output that the last op's forward left in ctx.aux (e.g. the indices of
 * max along a dim). Read it right after the call.
 */
export function takeAux<T>(): T {
  const aux = lastAux as T;
  lastAux = null;
  return aux;
}
