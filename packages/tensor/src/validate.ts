// The one validation layer of minigrad: every public function and constructor of every package checks its
// arguments and options with these helpers, by type and not by comparison (`!(x >= 0)` lets '0.1' through by
// coercion and accepts Infinity). Each failure is an ArgumentError naming the function (or layer), the
// argument and the value it got; unknown option names are rejected with the valid ones listed.
import { ArgumentError, DTypeError, fmtShape, safeText } from './errors.js';
import { optionHint } from './option-hints.js';
import { typeNameOf } from './type-name.js';

/** A short, safe rendering of any value for an error message (never throws, never prints a whole array). */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return value.length <= 8 && value.every((v) => typeof v === 'number') ? fmtShape(value) : `an array of length ${value.length}`;
  }
  try {
    const shape = (value as { shape?: unknown }).shape;
    const name = typeNameOf(value);
    if (name === '' || name === 'Object') return 'an object';
    return Array.isArray(shape) ? `a ${name} of shape ${fmtShape(shape)}` : `a ${name}`;
  } catch {
    // A proxy or a getter that throws: say what it is without touching it again.
    return safeText(Object.prototype.toString.call(value));
  }
}

/** A name-like value (a dtype, a mode, an enum member) for a message: a string in single quotes, else describeValue. */
export function describeName(value: unknown): string {
  return typeof value === 'string' ? `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'` : describeValue(value);
}

function fail(op: string, name: string, value: unknown, expected: string): never {
  throw new ArgumentError(op, `${name} must be ${expected}, got ${describeValue(value)}`);
}

/** A boolean (the string 'false' is not one: it would turn the option on). */
export function checkBool(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(op, name, value, 'a boolean');
  return value;
}

/** The range `checkNumber` accepts: any of the bounds, and whether infinities pass. */
export interface NumberRange {
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Exclusive upper bound. */
  below?: number;
  /** Accept +-Infinity (NaN is never accepted). */
  infinite?: boolean;
}

function rangeText(r: NumberRange): string {
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`>= ${r.min}`);
  if (r.above !== undefined) parts.push(`> ${r.above}`);
  if (r.max !== undefined) parts.push(`<= ${r.max}`);
  if (r.below !== undefined) parts.push(`< ${r.below}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/** A number (finite unless `range.infinite`), within `range`. */
export function checkNumber(op: string, name: string, value: unknown, range: NumberRange = {}): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (range.infinite === true || Number.isFinite(value)) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max) &&
    (range.above === undefined || value > range.above) &&
    (range.below === undefined || value < range.below);
  if (!ok) fail(op, name, value, `a ${range.infinite ? '' : 'finite '}number${rangeText(range)}`);
  return value as number;
}

/** A safe integer within `range`. */
export function checkInt(op: string, name: string, value: unknown, range: Omit<NumberRange, 'infinite'> = {}): number {
  const ok =
    Number.isSafeInteger(value) &&
    (range.min === undefined || (value as number) >= range.min) &&
    (range.max === undefined || (value as number) <= range.max) &&
    (range.above === undefined || (value as number) > range.above) &&
    (range.below === undefined || (value as number) < range.below);
  if (!ok) fail(op, name, value, `an integer${rangeText(range)}`);
  return value as number;
}

/** A size: a positive safe integer. */
export function checkPositiveInt(op: string, name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) fail(op, name, value, 'a positive integer');
  return value as number;
}

/** A count that may be zero: a non-negative safe integer. */
export function checkNonNegativeInt(op: string, name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(op, name, value, 'a non-negative integer');
  return value as number;
}

/** One of a fixed set of values (an enum). */
export function checkOneOf<T>(op: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(op, name, value, `one of ${allowed.map((a) => describeValue(a)).join(', ')}`);
  return value as T;
}

/**
 * A function (a callback, a hook, a closure).
 * @typeParam F - the function type the caller expects (not checked: only that `value` is a function).
 */
export function checkFunction<F extends (...args: never[]) => unknown>(op: string, name: string, value: unknown): F {
  if (typeof value !== 'function') fail(op, name, value, 'a function');
  return value as F;
}

/**
 * An options object (undefined means none given): a plain object whose every key is one of `known`. A
 * typo or PyTorch's snake_case spelling (`label_smoothing`) would otherwise silently fall back to the
 * default; the error lists the valid names and says which one was likely meant (`did you mean
 * 'labelSmoothing'?`, `unbiased` -> `correction: 0`). Returns the object, so the caller destructures it and
 * checks each value by type.
 */
export function checkOptions<T extends object>(op: string, options: T | undefined, known: readonly (keyof T & string)[]): T {
  if (options === undefined) return {} as T;
  const proto = options === null || typeof options !== 'object' || Array.isArray(options) ? undefined : Object.getPrototypeOf(options);
  if (proto !== Object.prototype && proto !== null) fail(op, 'options', options, 'an object');
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      const list = known.length ? known.join(', ') : 'none';
      throw new ArgumentError(op, `unknown option '${key}' (valid options: ${list})${optionHint(key, known)}`);
    }
  }
  return options;
}

/** [h, w] from a number or a pair (conv and pool sizes, strides, padding), each a safe integer >= min. */
export function checkPair(op: string, name: string, value: unknown, min: number): [number, number] {
  const p = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : null;
  if (p === null || !p.every((e) => Number.isSafeInteger(e) && e >= min)) {
    fail(op, name, value, `an integer >= ${min} or a pair of them`);
  }
  return [p[0], p[1]];
}

/** Integers for a shape-like argument whose entries may be negative (-1 in view/reshape, dims from the end). */
export function checkIntArray(op: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((e) => Number.isSafeInteger(e))) fail(op, name, value, 'an array of integers');
  return value as number[];
}

/** A shape: an array of non-negative safe integers. */
export function checkShape(op: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value)) fail(op, name, value, 'an array of sizes');
  for (let i = 0; i < value.length; i++) {
    const s = value[i];
    if (!Number.isSafeInteger(s) || s < 0) {
      throw new ArgumentError(op, `${name} ${describeValue(value)} has an invalid size ${describeValue(s)} at dim ${i} (sizes must be non-negative integers)`);
    }
  }
  return value as number[];
}

/**
 * Throws unless `dtype` is int32, the dtype of indices and class labels (minigrad's one integer dtype stands
 * for PyTorch's int64). A float or bool tensor of labels is the common slip (`tensor([0, 2, 1])` is
 * float32), so the error says how to convert; `alternative` adds what else the argument may be.
 */
export function checkIndexDType(op: string, name: string, t: unknown, what: string, alternative = ''): void {
  const dtype = typeof t === 'object' && t !== null ? (t as { dtype?: unknown }).dtype : undefined;
  const shape = typeof t === 'object' && t !== null ? (t as { shape?: unknown }).shape : undefined;
  if (typeof dtype !== 'string' || !Array.isArray(shape)) fail(op, name, t, `a tensor of ${what}`);
  if (dtype === 'int32') return;
  throw new DTypeError(
    op,
    `${name} has dtype ${safeText(dtype)} (shape ${fmtShape(shape)}); ${what} must be int32 (use ${name}.int() or tensor(values, { dtype: 'int32' }))${alternative}`,
  );
}

/**
 * Whether v is a Promise or any thenable: the synchronous scopes (tidy, noGrad, enableGrad, detectAnomaly)
 * refuse a function that returns one, since no scope can follow an `await`.
 */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
