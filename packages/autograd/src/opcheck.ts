// Checking registered ops against finite differences: each sample of an op, and non-contiguous variants
// derived from it automatically (transposed, step-sliced, expanded). Used by this package's tests and
// available to packages that register their own ops.
import { stack, zerosLike, type Tensor } from '@minigrad/tensor';
import { applyOp } from './dispatch.js';
import { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck.js';
import type { OpDef, OpSample, VariantKind } from './registry.js';
import { Variable } from './variable.js';

/**
 * One way to feed a sample to its op: `leaves` are the contiguous tensors gradcheck perturbs, and
 * `view` turns each leaf Variable into the (possibly non-contiguous) input the op receives, with the
 * same shape and values as the sample input (an expanded variant repeats values along one dim).
 */
export interface SampleVariant {
  kind: 'contiguous' | VariantKind;
  leaves: Tensor[];
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
