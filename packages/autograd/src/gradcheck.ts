// Finite-difference checks of gradients (float64): gradcheck compares the Jacobian computed by backward
// with central differences; gradgradcheck does the same for the gradient itself (double backward).
import {
  ArgumentError, MinigradError, Tensor, checkBool, checkFunction, checkNumber, checkOptions, describeValue, fmtShape, randn, zeros,
} from '@minigrad/tensor';
import { grad } from './grad.js';
import { Variable, checkVariable } from './variable.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a GradcheckError on mismatch (default true); otherwise return false. */
  raiseException?: boolean;
  /** Label used in the error message (default: the function's name). */
  name?: string;
}

/** A Jacobian mismatch found by gradcheck; the message names the worst element. */
export class GradcheckError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'GradcheckError';
}

/** The function `gradcheck` differentiates: Variables in, one Variable or several out. */
export type GradcheckFn = (...inputs: Variable[]) => Variable | Variable[];

/** Storage positions of the elements of t in row-major order. */
function positions(t: Tensor): number[] {
  const n = t.numel();
  const out = new Array<number>(n);
  const shape = t.shape;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let pos = t.offset;
  for (let k = 0; k < n; k++) {
    out[k] = pos;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      pos += t.strides[d];
      if (idx[d] < shape[d]) break;
      pos -= t.strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

function overlaps(t: Tensor): boolean {
  for (let d = 0; d < t.ndim; d++) if (t.strides[d] === 0 && t.shape[d] > 1) return true;
  return false;
}

const GRADCHECK_OPTIONS = ['eps', 'atol', 'rtol', 'raiseException', 'name'] as const;

/** Checks fn, inputs and the options shared by gradcheck and gradgradcheck. */
function checkArgs(op: string, fn: unknown, inputs: unknown, opts: GradgradcheckOptions, known: readonly (keyof GradgradcheckOptions)[]): void {
  checkFunction(op, 'fn', fn);
  if (!Array.isArray(inputs)) throw new ArgumentError(op, `inputs must be an array of Variables or Tensors, got ${describeValue(inputs)}`);
  inputs.forEach((x, i) => {
    if (!(x instanceof Variable) && !(x instanceof Tensor)) throw new ArgumentError(op, `input ${i} must be a Variable or a Tensor, got ${describeValue(x)}`);
  });
  checkOptions(op, opts, known);
  if (opts.eps !== undefined) checkNumber(op, 'eps', opts.eps, { above: 0 });
  if (opts.atol !== undefined) checkNumber(op, 'atol', opts.atol, { min: 0 });
  if (opts.rtol !== undefined) checkNumber(op, 'rtol', opts.rtol, { min: 0 });
  if (opts.raiseException !== undefined) checkBool(op, 'raiseException', opts.raiseException);
  if (opts.name !== undefined && typeof opts.name !== 'string') throw new ArgumentError(op, `name must be a string, got ${describeValue(opts.name)}`);
}

/**
 * Differentiable inputs become float64 leaves; expanded (overlapping) ones are copied first. Like PyTorch,
 * it is an error when no input requires grad: there would be nothing to check.
 */
function prepare(op: string, inputs: (Variable | Tensor)[]): { args: Variable[]; diff: number[] } {
  const args: Variable[] = [];
  const diff: number[] = [];
  inputs.forEach((x, i) => {
    if (x instanceof Variable && x.requiresGrad) {
      let t = x.data;
      if (t.dtype !== 'float64') t = t.to('float64');
      else if (overlaps(t)) t = t.clone();
      args.push(new Variable(t, true));
      diff.push(i);
    } else {
      args.push(x instanceof Variable ? x : new Variable(x));
    }
  });
  if (diff.length === 0) {
    throw new ArgumentError(op, `expects at least one input to require grad, but none of the ${inputs.length} inputs does`);
  }
  return { args, diff };
}

/** fn's output(s) as a list; anything but Variables is an error (the check needs their gradients). */
function asList(out: Variable | Variable[]): Variable[] {
  const list = Array.isArray(out) ? out : [out];
  list.forEach((v, i) => checkVariable('gradcheck', `fn's output ${i}`, v));
  return list;
}

function flatValues(outs: Variable[]): number[][] {
  return outs.map((o) => Array.from(o.data.toTypedArray(), Number));
}

/**
 * Checks the gradients of fn at `inputs` against central finite differences in float64. Inputs that
 * require grad are differentiated (float32 ones are converted to float64). Returns true, or throws a
 * GradcheckError naming the worst element (output, input, indices, analytic vs numeric).
 */
export function gradcheck(fn: GradcheckFn, inputs: (Variable | Tensor)[], opts: GradcheckOptions = {}): boolean {
  checkArgs('gradcheck', fn, inputs, opts, GRADCHECK_OPTIONS);
  const { args, diff } = prepare('gradcheck', inputs);
  return check(fn, args, diff, opts);
}

function check(fn: GradcheckFn, args: Variable[], diff: number[], opts: GradcheckOptions): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const label = opts.name ?? (fn.name || 'fn');
  const leaves = diff.map((i) => args[i]);
  const outs = asList(fn(...args));
  const opNames = outs.map((o) => (o.gradFn !== null ? o.gradFn.op.name : 'no gradFn'));

  // analytic[o][i][k * n_i + j]: d out_o[k] / d in_i[j]
  const analytic = outs.map((o) => leaves.map((x) => new Float64Array(o.numel() * x.numel())));
  outs.forEach((o, oi) => {
    if (!o.requiresGrad || (o.dtype !== 'float64' && o.dtype !== 'float32')) return;
    const m = o.numel();
    for (let k = 0; k < m; k++) {
      const seed = zeros(o.shape, { dtype: o.dtype });
      seed.data[k] = 1;
      const grads = grad(o, leaves, { gradOutputs: seed, retainGraph: true, allowUnused: true });
      grads.forEach((g, i) => {
        if (g === null) return;
        const row = g.data.toTypedArray();
        const n = leaves[i].numel();
        for (let j = 0; j < n; j++) analytic[oi][i][k * n + j] = row[j];
      });
    }
  });

  let worst: { excess: number; text: string } | null = null;
  leaves.forEach((x, i) => {
    const data = x.data.data;
    const pos = positions(x.data);
    const n = pos.length;
    for (let j = 0; j < n; j++) {
      const orig = data[pos[j]];
      data[pos[j]] = orig + eps;
      const plus = flatValues(asList(fn(...args)));
      data[pos[j]] = orig - eps;
      const minus = flatValues(asList(fn(...args)));
      data[pos[j]] = orig;
      outs.forEach((o, oi) => {
        const m = o.numel();
        for (let k = 0; k < m; k++) {
          const numeric = (plus[oi][k] - minus[oi][k]) / (2 * eps);
          const a = analytic[oi][i][k * n + j];
          const excess = Math.abs(a - numeric) - (atol + rtol * Math.abs(numeric));
          if ((excess > 0 || Number.isNaN(excess)) && (worst === null || !(excess <= worst.excess))) {
            worst = {
              excess: Number.isNaN(excess) ? Infinity : excess,
              text:
                `output ${oi} (from '${opNames[oi]}', shape ${fmtShape(o.shape)}) element ${k} with respect to input ${diff[i]} ` +
                `(shape ${fmtShape(x.shape)}) element ${j}: analytic ${a} vs numeric ${numeric}`,
            };
          }
        }
      });
    }
  });
  if (worst === null) return true;
  if (opts.raiseException === false) return false;
  throw new GradcheckError(
    'gradcheck',
    `${label}: Jacobian mismatch (atol ${atol}, rtol ${rtol}, eps ${eps}); worst at ${(worst as { text: string }).text}`,
  );
}

/** Options of `gradgradcheck`. */
export interface GradgradcheckOptions extends GradcheckOptions {
  /** Gradients of the outputs to backpropagate (default: random normal, float64). */
  gradOutputs?: (Variable | Tensor)[];
}

/**
 * Checks second derivatives: gradcheck of (inputs, gradOutputs) -> grad(fn(inputs), inputs, gradOutputs,
 * { createGraph: true }). Returns true or throws like gradcheck.
 */
export function gradgradcheck(fn: GradcheckFn, inputs: (Variable | Tensor)[], opts: GradgradcheckOptions = {}): boolean {
  checkArgs('gradgradcheck', fn, inputs, opts, [...GRADCHECK_OPTIONS, 'gradOutputs']);
  const { args, diff } = prepare('gradgradcheck', inputs);
  const outs = asList(fn(...args));
  const gos = (opts.gradOutputs ?? outs.map((o) => randn(o.shape, { dtype: 'float64' }))).map(
    (g) => new Variable((g instanceof Variable ? g.data : g).to('float64'), true),
  );
  const n = args.length;
  const first: GradcheckFn = (...xs) => {
    const leaves = diff.map((i) => xs[i]);
    const ys = asList(fn(...xs.slice(0, n)));
    const gs = grad(ys, leaves, { gradOutputs: xs.slice(n), createGraph: true, allowUnused: true });
    return gs.filter((g): g is Variable => g !== null);
  };
  const allDiff = diff.concat(gos.map((_, k) => n + k));
  return check(first, args.concat(gos), allDiff, { ...opts, name: opts.name ?? `gradgrad of ${fn.name || 'fn'}` });
}
