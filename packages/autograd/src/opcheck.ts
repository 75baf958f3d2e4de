// Checking registered ops on each of their samples and the non-contiguous variants derived from it
// automatically (transposed, step-sliced, expanded): gradients against finite differences, and the
// gradOwnership promise the engine relies on to accumulate in place. Used by this package's tests and
// available to packages that register their own ops.
import { MinigradError, Tensor, randn, stack, zerosLike } from '@minigrad/tensor';
import { applyOp } from './dispatch.js';
import { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck.js';
import { noGrad } from './mode.js';
import type { OpDef, OpSample, VariantKind } from './registry.js';
import { Variable } from './variable.js';

/**
 * One way to feed a sample to its op: `leaves` are the contiguous tensors gradcheck perturbs, and
 * `view` turns each leaf Variable into the (possibly non-contiguous) input the op receives, with the
 * same shape and values as the sample input (an expanded variant repeats values along one dim).
 */
export interface SampleVariant {
  /** The layout. */
  kind: 'contiguous' | VariantKind;
  /** The leaf tensors (for a non-contiguous variant, the larger tensors the views are taken of). */
  leaves: Tensor[];
  /** Per input: the view of its leaf that gives the sample's values in this layout. */
  view: ((v: Variable) => Variable)[];
}

const identity = (v: Variable) => v;

function variantOf(kind: VariantKind, x: Tensor): { leaf: Tensor; view: (v: Variable) => Variable } | null {
  const nd = x.ndim;
  if (kind === 'transposed') {
    if (nd < 2 || (x.shape[nd - 1] === 1 && x.shape[nd - 2] === 1)) return null;
    return { leaf: x.transpose(-1, -2).contiguous(), view: (v) => v.transpose(-1, -2) };
  }
  if (kind === 'sliced') {
    if (nd < 1 || x.numel() === 0) return null;
    const n = x.shape[nd - 1];
    // Every other element of a twice-as-long last dim: a stride-2 view with the same values.
    const wide = stack([x, zerosLike(x).add(7)], -1).reshape([...x.shape.slice(0, -1), 2 * n]);
    return { leaf: wide, view: (v) => v.slice(-1, 0, 2 * n, 2) };
  }
  const d = x.shape.findIndex((s) => s > 1);
  if (d < 0) return null;
  const shape = x.shape.slice();
  return { leaf: x.narrow(d, 0, 1).contiguous(), view: (v) => v.expand(shape) };
}

/** The contiguous form of a sample and the variants that apply to it (inputs that cannot vary stay). */
export function sampleVariants(sample: OpSample): SampleVariant[] {
  const out: SampleVariant[] = [{ kind: 'contiguous', leaves: sample.inputs, view: sample.inputs.map(() => identity) }];
  const kinds = sample.variants ?? (['transposed', 'sliced', 'expanded'] as const);
  for (const kind of kinds) {
    const leaves: Tensor[] = [];
    const view: ((v: Variable) => Variable)[] = [];
    let changed = false;
    for (const x of sample.inputs) {
      const v = variantOf(kind, x);
      if (v === null) {
        leaves.push(x);
        view.push(identity);
      } else {
        leaves.push(v.leaf);
        view.push(v.view);
        changed = true;
      }
    }
    if (changed) out.push({ kind, leaves, view });
  }
  return out;
}

/** The function gradcheck differentiates for one variant of one sample. */
export function variantFn<A>(op: OpDef<A>, sample: OpSample<A>, variant: SampleVariant): (...xs: Variable[]) => Variable {
  const fn = (...xs: Variable[]) => applyOp(op, xs.map((x, i) => variant.view[i](x)), sample.args);
  Object.defineProperty(fn, 'name', { value: `${op.name}[${variant.kind}]${sample.label ? ` (${sample.label})` : ''}` });
  return fn;
}

/** gradcheck of op on every sample and every variant; throws on the first mismatch. */
export function checkOpGradients(op: OpDef, opts: GradcheckOptions = {}): number {
  let checked = 0;
  for (const sample of op.samples?.() ?? []) {
    for (const variant of sampleVariants(sample)) {
      const leaves = variant.leaves.map((t) => new Variable(t.to('float64'), true));
      gradcheck(variantFn(op, sample, variant), leaves, opts);
      checked++;
    }
  }
  return checked;
}

/** gradgradcheck of op on its contiguous samples. */
export function checkOpSecondGradients(op: OpDef, opts: GradcheckOptions = {}): number {
  let checked = 0;
  for (const sample of op.samples?.() ?? []) {
    const contiguous = sampleVariants(sample)[0];
    const leaves = contiguous.leaves.map((t) => new Variable(t.to('float64'), true));
    gradgradcheck(variantFn(op, sample, contiguous), leaves, opts);
    checked++;
  }
  return checked;
}

/** An op's gradients break the promise of its gradOwnership declaration (see OpDef.gradOwnership). */
export class GradOwnershipError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'GradOwnershipError';
}

/** Tensors among an op's args (one level deep: index tensors, saved indices). */
function argTensors(args: unknown): Tensor[] {
  if (args instanceof Tensor) return [args];
  if (args === null || typeof args !== 'object') return [];
  return Object.values(args).filter((v): v is Tensor => v instanceof Tensor);
}

/** Whether some element of t is reached by two index tuples (a stride-0 dim of size > 1). */
function overlaps(t: Tensor): boolean {
  return t.shape.some((s, d) => s > 1 && t.strides[d] === 0);
}

/** Incoming gradients to try for an output of shape `shape`: contiguous, and laid out as the engine may pass them. */
function incomingGradients(shape: readonly number[], dtype: Tensor['dtype'], kind: 'fresh' | 'view'): Tensor[] {
  const out = [randn(shape as number[], { dtype })];
  const nd = shape.length;
  // A transposed buffer (e.g. passed on by a transpose's backward) keeps ownership through 'view' ops.
  if (nd >= 2) out.push(randn([...shape.slice(0, -2), shape[nd - 1], shape[nd - 2]], { dtype }).transpose(-1, -2));
  // An expanded one (a sum's backward) is never owned, but a 'fresh' op must not hand it back either.
  const d = shape.findIndex((s) => s > 1);
  if (kind === 'fresh' && d >= 0) {
    const one = shape.slice();
    one[d] = 1;
    out.push(randn(one, { dtype }).expand(shape as number[]));
  }
  return out;
}

/**
 * Checks op's gradOwnership declaration on every sample and variant, calling its backward as the engine
 * does without createGraph and with each input requiring grad: 'fresh' gradients must own their storage (not
 * that of the incoming gradient, an input, the output, the saved aux or args, or another gradient) and not
 * overlap themselves; 'view' (one input) must return the incoming gradient or a view of it that covers each
 * element once, or such a fresh tensor. Returns how many (variant, incoming gradient) pairs were checked
 * (0 for an op that declares nothing); throws GradOwnershipError on the first violation.
 */
export function checkOpGradOwnership(op: OpDef): number {
  const kind = op.gradOwnership;
  if (kind === undefined) return 0;
  let checked = 0;
  for (const sample of op.samples?.() ?? []) {
    if (kind === 'view' && sample.inputs.length !== 1) {
      throw new GradOwnershipError(op.name, `declares gradOwnership 'view' but a sample has ${sample.inputs.length} inputs`);
    }
    for (const variant of sampleVariants(sample)) {
      const leaves = variant.leaves.map((t) => new Variable(t, true));
      const inputs = leaves.map((v, i) => variant.view[i](v));
      const y = applyOp(op, inputs, sample.args);
      const node = y.gradFn!;
      for (const g of incomingGradients(y.shape, y.dtype, kind)) {
        const grads = noGrad(() => op.backward(node, new Variable(g)));
        const where = `${op.name}[${variant.kind}]${sample.label ? ` (${sample.label})` : ''}, incoming gradient strides [${g.strides}]`;
        const others = [g, y.data, ...leaves.map((v) => v.data), ...inputs.map((v) => v.data), ...argTensors(sample.args), ...argTensors(node.aux)];
        const seen: Tensor[] = [];
        grads.forEach((gi, i) => {
          if (gi === null || gi === undefined) return;
          const t = gi.data;
          if (overlaps(t)) throw new GradOwnershipError(op.name, `${where}: gradient ${i} is an expanded view (strides [${t.strides}])`);
          if (kind === 'view' && t.storage === g.storage && t.numel() === g.numel()) return;
          const shared = [...others, ...seen].find((o) => o.storage === t.storage || o.storage.data === t.storage.data);
          if (shared !== undefined) {
            throw new GradOwnershipError(op.name, `${where}: gradient ${i} shares storage with ${describe(shared, g, y.data, seen)}`);
          }
          seen.push(t);
        });
        checked++;
      }
    }
  }
  return checked;
}

function describe(t: Tensor, g: Tensor, out: Tensor, grads: Tensor[]): string {
  if (t === g) return 'the incoming gradient';
  if (t === out) return 'the output';
  if (grads.includes(t)) return 'another gradient';
  return `a tensor of shape [${t.shape}] the op was given or saved`;
}
