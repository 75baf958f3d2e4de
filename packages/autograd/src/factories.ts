// Creating Variables: the tensor package's factories plus a `requiresGrad` option.
import * as T from '@minigrad/tensor';
import type { DType, Tensor } from '@minigrad/tensor';
import { Variable } from './variable.js';

export interface VariableOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** Splits `(shape, opts?)` or `(...sizes, opts?)`. */
function parse(args: unknown[]): { shape: number[]; opts: VariableOptions } {
  let opts: VariableOptions = {};
  let end = args.length;
  const last = args[end - 1];
  if (end > 0 && typeof last === 'object' && last !== null && !Array.isArray(last)) {
    opts = last as VariableOptions;
    end--;
  }
  const shape = end === 1 && Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args.slice(0, end) as number[]);
  return { shape, opts };
}

/** A leaf Variable over an existing tensor (not copied). */
export function variable(t: Tensor, opts: { requiresGrad?: boolean } = {}): Variable {
  return new Variable(t, opts.requiresGrad ?? false);
}

/** A leaf from data (a number, nested array or typed array), like the tensor package's tensor(). */
export function tensor(data: T.NestedData | T.TypedArray, opts: VariableOptions & { shape?: readonly number[] } = {}): Variable {
  return variable(T.tensor(data, { dtype: opts.dtype, shape: opts.shape }), opts);
}

export function zeros(shape: readonly number[], opts?: VariableOptions): Variable;
export function zeros(...sizes: number[]): Variable;
export function zeros(...args: unknown[]): Variable {
  const { shape, opts } = parse(args);
  return variable(T.zeros(shape, { dtype: opts.dtype }), opts);
}

export function ones(shape: readonly number[], opts?: VariableOptions): Variable;
export function ones(...sizes: number[]): Variable;
export function ones(...args: unknown[]): Variable {
  const { shape, opts } = parse(args);
  return variable(T.ones(shape, { dtype: opts.dtype }), opts);
}

export function full(shape: readonly number[], value: number, opts: VariableOptions = {}): Variable {
  return variable(T.full(shape, value, { dtype: opts.dtype }), opts);
}

/** Standard normal values (seeded by the tensor package's manualSeed). */
export function randn(shape: readonly number[], opts?: VariableOptions): Variable;
export function randn(...sizes: number[]): Variable;
export function randn(...args: unknown[]): Variable {
  const { shape, opts } = parse(args);
  return variable(T.randn(shape, { dtype: opts.dtype }), opts);
}

/** Uniform values in [0, 1). */
export function rand(shape: readonly number[], opts?: VariableOptions): Variable;
export function rand(...sizes: number[]): Variable;
export function rand(...args: unknown[]): Variable {
  const { shape, opts } = parse(args);
  return variable(T.rand(shape, { dtype: opts.dtype }), opts);
}

/** arange(end) or arange(start, end, step = 1) as a Variable. */
export function arange(end: number, opts?: VariableOptions): Variable;
export function arange(start: number, end: number, opts?: VariableOptions): Variable;
export function arange(start: number, end: number, step: number, opts?: VariableOptions): Variable;
export function arange(...args: unknown[]): Variable {
  const last = args[args.length - 1];
  const opts = typeof last === 'object' && last !== null ? (args.pop() as VariableOptions) : {};
  if (last === undefined) args.pop();
  const nums = args as number[];
  const t =
    nums.length === 1
      ? T.arange(nums[0], { dtype: opts.dtype })
      : nums.length === 2
        ? T.arange(nums[0], nums[1], { dtype: opts.dtype })
        : T.arange(nums[0], nums[1], nums[2], { dtype: opts.dtype });
  return variable(t, opts);
}

export function zerosLike(x: Variable, opts: VariableOptions = {}): Variable {
  return variable(T.zerosLike(x.data, { dtype: opts.dtype }), opts);
}

export function onesLike(x: Variable, opts: VariableOptions = {}): Variable {
  return variable(T.onesLike(x.data, { dtype: opts.dtype }), opts);
}

export function randnLike(x: Variable, opts: VariableOptions = {}): Variable {
  return variable(T.randn(x.shape, { dtype: opts.dtype ?? x.dtype }), opts);
}
