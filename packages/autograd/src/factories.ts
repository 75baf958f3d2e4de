// Creating Variables: the tensor package's factories plus a `requiresGrad` option.
import * as T from '@minigrad/tensor';
import type { DType, Tensor } from '@minigrad/tensor';
import { Variable, asVariable } from './variable.js';

const OPTIONS = ['dtype', 'requiresGrad'] as const;

/** The options of a factory: known names only; dtype is checked by the tensor factory, requiresGrad here. */
function optionsOf(op: string, opts: unknown, known: readonly string[] = OPTIONS): VariableOptions & { shape?: readonly number[] } {
  const o = T.checkOptions(op, opts as Record<string, unknown> | undefined, known);
  if (o.requiresGrad !== undefined) T.checkBool(op, 'requiresGrad', o.requiresGrad);
  return o;
}

/** Options of the Variable factories. */
export interface VariableOptions {
  /** Element type (default 'float32'). PyTorch: the `dtype` argument. */
  dtype?: DType;
  /** Make the result a leaf that requires grad (float dtypes only; default false). PyTorch: `requires_grad`. */
  requiresGrad?: boolean;
}

/** Splits `(shape, opts?)` or `(...sizes, opts?)`. */
function parse(op: string, args: unknown[]): { shape: number[]; opts: VariableOptions } {
  let opts: VariableOptions = {};
  let end = args.length;
  const last = args[end - 1];
  if (end > 0 && typeof last === 'object' && last !== null && !Array.isArray(last)) {
    opts = last as VariableOptions;
    end--;
  }
  const shape = end === 1 && Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args.slice(0, end) as number[]);
  return { shape, opts: optionsOf(op, opts) };
}

/** A leaf Variable over an existing tensor (not copied). */
export function variable(t: Tensor, opts: { requiresGrad?: boolean } = {}): Variable {
  return new Variable(t, optionsOf('variable', opts, ['requiresGrad']).requiresGrad ?? false);
}

/** A leaf from data (a number, nested array or typed array), like the tensor package's tensor(). */
export function tensor(data: T.NestedData | T.TypedArray, opts: VariableOptions & { shape?: readonly number[] } = {}): Variable {
  const o = optionsOf('tensor', opts, [...OPTIONS, 'shape']);
  return variable(T.tensor(data, { dtype: o.dtype, shape: o.shape }), { requiresGrad: o.requiresGrad });
}

/** A leaf of zeros; the shape as an array or varargs. PyTorch: `torch.zeros`. */
export function zeros(shape: readonly number[], opts?: VariableOptions): Variable;
export function zeros(...sizes: number[]): Variable;
export function zeros(...args: unknown[]): Variable {
  const { shape, opts } = parse('zeros', args);
  return variable(T.zeros(shape, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/** A leaf of ones; the shape as an array or varargs. PyTorch: `torch.ones`. */
export function ones(shape: readonly number[], opts?: VariableOptions): Variable;
export function ones(...sizes: number[]): Variable;
export function ones(...args: unknown[]): Variable {
  const { shape, opts } = parse('ones', args);
  return variable(T.ones(shape, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/** A leaf filled with `value`. PyTorch: `torch.full`. */
export function full(shape: readonly number[], value: number, opts: VariableOptions = {}): Variable {
  optionsOf('full', opts);
  return variable(T.full(shape, value, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/** Standard normal values (seeded by the tensor package's manualSeed). */
export function randn(shape: readonly number[], opts?: VariableOptions): Variable;
export function randn(...sizes: number[]): Variable;
export function randn(...args: unknown[]): Variable {
  const { shape, opts } = parse('randn', args);
  return variable(T.randn(shape, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/** Uniform values in [0, 1). */
export function rand(shape: readonly number[], opts?: VariableOptions): Variable;
export function rand(...sizes: number[]): Variable;
export function rand(...args: unknown[]): Variable {
  const { shape, opts } = parse('rand', args);
  return variable(T.rand(shape, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/** arange(end) or arange(start, end, step = 1) as a Variable. */
export function arange(end: number, opts?: VariableOptions): Variable;
export function arange(start: number, end: number, opts?: VariableOptions): Variable;
export function arange(start: number, end: number, step: number, opts?: VariableOptions): Variable;
export function arange(...args: unknown[]): Variable {
  const last = args[args.length - 1];
  const opts = optionsOf('arange', typeof last === 'object' && last !== null ? args.pop() : {});
  if (last === undefined) args.pop();
  const nums = args as number[];
  const t =
    nums.length === 1
      ? T.arange(nums[0], { dtype: opts.dtype })
      : nums.length === 2
        ? T.arange(nums[0], nums[1], { dtype: opts.dtype })
        : T.arange(nums[0], nums[1], nums[2], { dtype: opts.dtype });
  return variable(t, { requiresGrad: opts.requiresGrad });
}

/**
 * A leaf of zeros with the shape (and, unless `opts.dtype` is given, the dtype) of `input`. PyTorch: `torch.zeros_like`.
 */
export function zerosLike(input: Variable | Tensor, opts: VariableOptions = {}): Variable {
  const x = asVariable(input, 'zerosLike', 'input');
  optionsOf('zerosLike', opts);
  return variable(T.zerosLike(x.data, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/** A leaf of ones with the shape (and, unless `opts.dtype` is given, the dtype) of `input`. PyTorch: `torch.ones_like`. */
export function onesLike(input: Variable | Tensor, opts: VariableOptions = {}): Variable {
  const x = asVariable(input, 'onesLike', 'input');
  optionsOf('onesLike', opts);
  return variable(T.onesLike(x.data, { dtype: opts.dtype }), { requiresGrad: opts.requiresGrad });
}

/**
 * A leaf of standard normal values with the shape (and, unless `opts.dtype` is given, the dtype) of `input`.
 * PyTorch: `torch.randn_like`.
 */
export function randnLike(input: Variable | Tensor, opts: VariableOptions = {}): Variable {
  const x = asVariable(input, 'randnLike', 'input');
  optionsOf('randnLike', opts);
  return variable(T.randn(x.shape, { dtype: opts.dtype ?? x.dtype }), { requiresGrad: opts.requiresGrad });
}
