// Checks of optimizer and scheduler options. Each throws an ArgumentError naming the caller, the option and its value.
import { ArgumentError } from '@minigrad/tensor';

/** `value >= 0` (NaN fails). */
export function checkNonNegative(op: string, name: string, value: number): void {
  if (!(value >= 0)) throw new ArgumentError(op, `invalid ${name} ${value}: must be >= 0`);
}

/** `0 <= value < 1` (momentum, betas). */
export function checkUnitInterval(op: string, name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new ArgumentError(op, `invalid ${name} ${value}: must be in [0, 1)`);
}

/** `0 <= value <= 1` (dampening, RMSprop's alpha, scheduler factors). */
export function checkClosedUnitInterval(op: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new ArgumentError(op, `invalid ${name} ${value}: must be in [0, 1]`);
}

/** A positive integer (step counts, periods). */
export function checkPositiveInteger(op: string, name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new ArgumentError(op, `invalid ${name} ${value}: must be a positive integer`);
  }
}

/** A finite number. */
export function checkFinite(op: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(op, `invalid ${name} ${String(value)}: must be a finite number`);
  }
}

/** Rejects option names the caller does not know (a typo or PyTorch's snake_case would otherwise be ignored). */
export function checkKnownOptions(op: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new ArgumentError(op, `options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ArgumentError(op, `unknown option '${key}' (expected one of ${known.join(', ')})`);
  }
}

/**
 * `defaults` overridden by the options the caller gave (undefined values do not override). A number is the
 * learning rate, PyTorch's second positional argument: `new SGD(params, 0.1)`.
 */
export function withDefaults<O extends { lr: number }>(op: string, defaults: O, options: Partial<O> | number): O {
  const given = typeof options === 'number' ? ({ lr: options } as Partial<O>) : options;
  checkKnownOptions(op, given, Object.keys(defaults));
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
  checkKnownOptions(op, options, known);
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return { ...options, [key]: first };
  checkKnownOptions(op, first, known);
  return { ...options, ...(first as O) };
}
