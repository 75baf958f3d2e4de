// optim's vocabulary over the shared validation layer of @minigrad/tensor: each check is by type (a string
// or Infinity is not a learning rate) and throws an ArgumentError naming the caller, the option and its value.
import { checkNumber, checkOptions, checkPositiveInt } from '@minigrad/tensor';

/** A finite number >= 0. */
export function checkNonNegative(op: string, name: string, value: unknown): void {
  checkNumber(op, name, value, { min: 0 });
}

/** `0 <= value < 1` (momentum, betas). */
export function checkUnitInterval(op: string, name: string, value: unknown): void {
  checkNumber(op, name, value, { min: 0, below: 1 });
}

/** `0 <= value <= 1` (dampening, RMSprop's alpha, scheduler factors). */
export function checkClosedUnitInterval(op: string, name: string, value: unknown): void {
  checkNumber(op, name, value, { min: 0, max: 1 });
}

/** A positive integer (step counts, periods). */
export function checkPositiveInteger(op: string, name: string, value: unknown): void {
  checkPositiveInt(op, name, value);
}

/** A finite number. */
export function checkFinite(op: string, name: string, value: unknown): void {
  checkNumber(op, name, value);
}

/**
 * `defaults` overridden by the options the caller gave (undefined values do not override). A number is the
 * learning rate, PyTorch's second positional argument: `new SGD(params, 0.1)`.
 */
export function withDefaults<O extends { lr: number }>(op: string, defaults: O, options: Partial<O> | number): O {
  const given = typeof options === 'number' ? ({ lr: options } as Partial<O>) : options;
  checkOptions(op, given as O, Object.keys(defaults) as (keyof O & string)[]);
  const out = { ...defaults };
  for (const [key, value] of Object.entries(given) as [keyof O, O[keyof O] | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A scheduler's required PyTorch positional argument, given either positionally (`new StepLR(opt, 3, { gamma })`)
 * or inside the options object (`new StepLR(opt, { stepSize: 3, gamma })`): the options with it filled in.
 */
export function withPositional<O extends object>(op: string, key: keyof O & string, first: unknown, options: O, known: readonly (keyof O & string)[]): O {
  checkOptions(op, options, known);
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return { ...options, [key]: first };
  checkOptions(op, first as O, known);
  return { ...options, ...(first as O) };
}
