// The backward pass: walk the nodes reachable from the outputs in reverse creation order, call each op's
// backward on the gradient accumulated for its output, route the input gradients along the edges, and
// accumulate into leaves. Used by Variable.backward() and grad().
import { ArgumentError, MinigradError, ShapeError, type DType, fmtShape, getBackend, sameShape } from '@minigrad/tensor';
import { activeRecording, captureGuard, isReleased, refuseCapture } from '@minigrad/tensor/internal';
import { checkBackwardAnomaly } from './anomaly.js';
import { state } from './mode.js';
import type { GradHook, Node } from './tape-node.js';
import { reduceTo } from './reduce-to.js';
import { coversStorage } from './grad-ownership.js';
import { Variable } from './variable.js';

export interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** grad(): capture the gradients of these Variables instead of accumulating into leaves. */
  inputs: Variable[] | null;
}

let runStamp = 0;

/** All nodes reachable from the roots, sorted in reverse creation order. */
function reachable(roots: Node[], stamp: number): Node[] {
  const order: Node[] = [];
  const stack: Node[] = [];
  for (let i = 0; i < roots.length; i++) {
    const r = roots[i];
    if (r.mark !== stamp) {
      r.mark = stamp;
      stack.push(r);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    const next = node.next;
    for (let i = 0; i < next.length; i++) {
      const e = next[i];
      if (e === null || e instanceof Variable) continue;
      if (e.mark !== stamp) {
        e.mark = stamp;
        stack.push(e);
      }
    }
  }
  // A chain is usually collected in order already; sorting is only needed for branching graphs.
  for (let i = 1; i < order.length; i++) {
    if (order[i].seq > order[i - 1].seq) {
      order.sort(byReverseSeq);
      break;
    }
  }
  return order;
}

function byReverseSeq(a: Node, b: Node): number {
  return b.seq - a.seq;
}

/** Marks the nodes whose backward leads to one of the targets (grad() skips the rest). */
function markNeeded(order: Node[], targets: Set<Node | Variable>): void {
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    let needed = false;
    const next = node.next;
    for (let i = 0; i < next.length && !needed; i++) {
      const e = next[i];
      if (e === null) continue;
      if (targets.has(e) || (!(e instanceof Variable) && e.needed)) needed = true;
    }
    node.needed = needed;
  }
}

const gradModeNow = (): boolean => state.gradEnabled;

function runHooks(hooks: GradHook[], g: Variable, what: string): Variable {
  refuseCapture('a gradient hook runs JavaScript');
  for (let i = 0; i < hooks.length; i++) {
    const r = hooks[i](g);
    if (r !== undefined && r !== null) {
      if (!(r instanceof Variable)) throw new ArgumentError('registerHook', `a hook on ${what} must return a Variable or nothing`);
      if (!sameShape(r.shape, g.shape)) {
        throw new ShapeError(
          'registerHook',
          `a hook on ${what} returned a gradient of shape ${fmtShape(r.shape)}, expected ${fmtShape(g.shape)}`,
        );
      }
      g = r;
    }
  }
  return g;
}

function sum(a: Variable, b: Variable, createGraph: boolean): Variable {
  return createGraph ? a.add(b) : new Variable(a.data.add(b.data));
}

/**
 * Adds a gradient into a node's buffer. Without createGraph, a gradient the engine owns (see
 * OpDef.gradOwnership) becomes the buffer and later contributions are added into it in place; a shared one
 * is kept until a second contribution allocates a fresh sum.
 */
function addToNode(node: Node, g: Variable, createGraph: boolean, owned: boolean): void {
  const cur = node.buf;
  if (cur === null) {
    node.buf = g;
    node.bufOwned = owned;
  } else {
    node.buf = accumulate(cur, g, createGraph, node.bufOwned);
    if (!createGraph) node.bufOwned = true;
  }
}

/**
 * A gradient buffer that already holds a value, plus g: a recorded add under createGraph; otherwise a sum
 * written into the buffer when it owns its storage, or into a new buffer (which the caller then marks owned).
 */
function accumulate(cur: Variable, g: Variable, createGraph: boolean, curOwned: boolean): Variable {
  if (createGraph || !curOwned) return sum(cur, g, createGraph);
  cur.data.addInPlace(g.data);
  return cur;
}

function checkSaved(node: Node): void {
  if (node.released) {
    throw new MinigradError(
      'backward',
      `trying to backward through '${node.op.name}' a second time, but its saved tensors were freed ` +
        'by the first backward; pass { retainGraph: true } to the first backward (or grad) call',
    );
  }
  const versions = node.versions;
  if (versions !== null) {
    const inputs = node.inputs!;
    for (let i = 0; i < versions.length; i++) {
      const now = inputs[i].data.storage.version;
      if (now !== versions[i]) throw modifiedError(node, `input ${i}`, inputs[i], versions[i], now);
    }
  }
  const out = node.output;
  if (out !== null && out.data.storage.version !== node.outVersion) {
    throw modifiedError(node, 'output', out, node.outVersion, out.data.storage.version);
  }
}

function modifiedError(node: Node, what: string, v: Variable, saved: number, now: number): MinigradError {
  if (isReleased(v.data)) {
    return new MinigradError(
      'backward',
      `the ${what} of '${node.op.name}' (shape ${fmtShape(v.shape)}), saved for the backward, was released when the tidy() scope ` +
        'that made it ended: call backward inside the scope (or keep() what the backward needs)',
    );
  }
  return new MinigradError(
    'backward',
    `one of the variables needed for gradient computation has been modified by an in-place operation: ` +
      `the ${what} of '${node.op.name}' (shape ${fmtShape(v.shape)}) was saved at version ${saved} and is now at version ${now}`,
  );
}

/** Whether two tensors share memory (views share a Storage). */
function sharesStorage(a: Variable, b: Variable): boolean {
  const sa = a.data.storage;
  const sb = b.data.storage;
  return sa === sb || sa.data === sb.data;
}

/**
 * Hands the storage of a gradient buffer the engine owns and has finished with back to the backend's pool,
 * so that the next allocation of its size (often the next step's activation) skips the page faults of a
 * fresh array. The caller guarantees that nothing else holds it: no hook, grad() output, retainGrad, leaf
 * .grad or createGraph saw it, and no gradient passed on shares its storage.
 */
function recycle(g: Variable): void {
  getBackend().recycle?.(g.data.storage);
}

function release(node: Node): void {
  if (node.inputs !== null || node.output !== null || node.aux !== null) {
    node.inputs = null;
    node.output = null;
    node.aux = null;
    node.versions = null;
    node.released = true;
  }
}

/**
 * Runs a backward pass from `roots` seeded with `seeds` (same shapes). Without opts.inputs, gradients are
 * accumulated into the `.grad` of leaves (and of non-leaves that called retainGrad); with opts.inputs, the
 * gradients of those Variables are returned instead and no `.grad` is touched.
 */
export function runBackward(roots: Variable[], seeds: Variable[], opts: RunOptions): (Variable | null)[] | null {
  const { retainGraph, createGraph, inputs } = opts;
  // A captured step (compile) replays a backward only in the grad mode it was traced in.
  captureGuard('grad mode (noGrad)', gradModeNow);
  const stamp = ++runStamp;
  const rootNodes: Node[] = [];
  const touchedLeaves: Variable[] = [];
  const captured: (Variable | null)[] | null = inputs === null ? null : new Array(inputs.length).fill(null);
  const targets = inputs === null ? null : new Set<Node | Variable>();
  if (inputs !== null) for (const x of inputs) targets!.add(x.gradFn ?? x);

  const addToLeaf = (leaf: Variable, g: Variable, owned: boolean): void => {
    const cur = leaf.gradBuf;
    if (cur === null) {
      leaf.gradBuf = g;
      leaf.gradBufOwned = owned;
      touchedLeaves.push(leaf);
    } else {
      leaf.gradBuf = accumulate(cur, g, createGraph, leaf.gradBufOwned);
      if (!createGraph) leaf.gradBufOwned = true;
    }
  };

  for (let i = 0; i < roots.length; i++) {
    const r = roots[i];
    const node = r.gradFn;
    if (node === null) {
      addToLeaf(r, seeds[i], false);
    } else {
      addToNode(node, seeds[i], createGraph, false);
      rootNodes.push(node);
    }
  }

  const order = reachable(rootNodes, stamp);
  if (targets !== null) markNeeded(order, targets);

  const prevMode = state.gradEnabled;
  const prevAnomaly = state.anomaly;
  try {
    for (let k = 0; k < order.length; k++) {
      const node = order[k];
      let g = node.buf;
      node.buf = null;
      if (g === null) continue;
      // Whether this node's gradients are the engine's own (never under createGraph: they are graph nodes).
      const kind = createGraph ? undefined : node.op.gradOwnership;
      // A view of g is owned only if g is: not seen by a hook or by the caller of grad().
      let passOn = kind === 'view' && node.bufOwned;
      // g's storage goes back to the pool after the backward unless someone else may hold it.
      let recyclable = !createGraph && node.bufOwned && node.retained === null;
      if (node.hooks !== null) {
        state.gradEnabled = createGraph;
        g = runHooks(node.hooks, g, `the output of '${node.op.name}'`);
        passOn = false;
        recyclable = false;
      }
      if (captured !== null) {
        const at = inputs!.findIndex((x) => x.gradFn === node);
        if (at >= 0) {
          captured[at] = g;
          passOn = false;
          recyclable = false;
        }
        if (!node.needed) continue;
      } else if (node.retained !== null) {
        const r = node.retained;
        r.grad = r.grad === null ? (createGraph ? g : new Variable(g.data.clone())) : sum(r.grad, g, createGraph);
      }
      checkSaved(node);
      state.gradEnabled = createGraph;
      // Anomaly mode checks what each backward returns, not the ops inside it.
      state.anomaly = false;
      const grads = node.op.backward(node, g);
      state.anomaly = prevAnomaly;
      if (prevAnomaly) checkBackwardAnomaly(node, grads);
      const next = node.next;
      for (let i = 0; i < next.length; i++) {
        const e = next[i];
        let gi = grads[i];
        if (e === null || gi === null || gi === undefined) continue;
        // reduceTo either sums (a fresh tensor) or reshapes; a cast is a fresh tensor.
        let owned = kind === 'fresh' || passOn;
        if (!sameShape(gi.shape, node.shapes[i])) gi = reduceTo(gi, node.shapes[i], node.op.name);
        if (node.dtypes !== null && gi.dtype !== node.dtypes[i]) {
          gi = gi.to(node.dtypes[i] as DType);
          owned = !createGraph;
        }
        if (e instanceof Variable) addToLeaf(e, gi, owned);
        else addToNode(e, gi, createGraph, owned);
        if (recyclable && sharesStorage(gi, g)) recyclable = false;
      }
      if (recyclable) recycle(g);
      if (!retainGraph) release(node);
    }

    for (let i = 0; i < touchedLeaves.length; i++) {
      const leaf = touchedLeaves[i];
      const buf = leaf.gradBuf!;
      let g = buf;
      leaf.gradBuf = null;
      if (leaf.hooks !== null) {
        state.gradEnabled = createGraph;
        g = runHooks(leaf.hooks, g, `a leaf of shape ${fmtShape(leaf.shape)}`);
      }
      if (captured !== null) {
        const at = inputs!.indexOf(leaf);
        if (at >= 0) captured[at] = g;
      } else if (createGraph) {
        leaf.grad = leaf.grad === null ? g : leaf.grad.add(g);
      } else {
        // The stored gradient must be a contiguous tensor of its own: the incoming one may alias another
        // gradient or be an expanded or transposed view, and a hook may have kept the buffer it was shown
        // (.grad is later written in place by zeroGrad or gradient clipping).
        const mine = leaf.gradBufOwned && g === buf && leaf.hooks === null;
        const cur = leaf.peekGrad();
        // A captured step (compile) that adds into an existing .grad replays only while it is still that one.
        if (cur !== null && activeRecording() !== null) captureGuard('the .grad of a leaf', () => leaf.peekGrad());
        if (cur === null && mine && g.data.isContiguous()) leaf.installGrad(g);
        else {
          if (cur === null) leaf.installGrad(new Variable(g.data.clone()));
          // A gradient nobody has read cannot be held by anyone: add into it (PyTorch accumulates in place too).
          else if (leaf.gradUnseen && coversStorage(cur)) cur.data.addInPlace(g.data);
          else leaf.installGrad(new Variable(cur.data.add(g.data)));
          if (mine) recycle(g);
        }
      }
    }
  } finally {
    state.gradEnabled = prevMode;
    state.anomaly = prevAnomaly;
    // An error midway leaves buffers behind; clear them so the next run starts clean.
    for (let k = 0; k < order.length; k++) order[k].buf = null;
    for (let i = 0; i < touchedLeaves.length; i++) touchedLeaves[i].gradBuf = null;
  }
  return captured;
}
