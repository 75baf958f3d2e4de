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

/** A shape as error messages write it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** `defaults` overridden by the options the caller gave (undefined values do not override). */
export function withDefaults<O extends object>(defaults: O, options: Partial<O>): O {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(options) as [keyof O, O[keyof O] | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A scheduler's required PyTorch positional argument, given either positionally (`new StepLR(opt, 3, { gamma })`)
 * or inside the options object (`new StepLR(opt, { stepSize: 3, gamma })`): the options with it filled in.
 */
export function withPositional<O extends object>(key: keyof O, first: unknown, options: O): O {
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) return { ...options, ...(first as O) };
  return { ...options, [key]: first };
}
