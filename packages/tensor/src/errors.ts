// The error family every minigrad package throws: the message always starts with the op that rejected its input.
import { typeNameOf } from './type-name.js';

/** Base class: `op` names the function that rejected its input; the message starts with `op: `. */
export class MinigradError extends Error {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'MinigradError';
  /** The function or method that rejected its input (the message starts with it). */
  readonly op: string;
  constructor(op: string, message: string, options?: { cause?: unknown }) {
    super(`${op}: ${message}`, options);
    // The class's typeName, which a minifier keeps (a subclass without one gets its constructor.name).
    this.name = typeNameOf(new.target);
    this.op = op;
  }
}

/** Shapes that do not fit together (broadcasting, matmul, reshape, concatenation, ...). */
export class ShapeError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ShapeError';
}

/** A dtype the op does not support, or a combination with no promotion rule. */
export class DTypeError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'DTypeError';
}

/** A dim or an index outside its range. */
export class IndexError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'IndexError';
}

/** Any other invalid argument (negative or non-integer sizes, bad options, writing into an expanded view). */
export class ArgumentError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ArgumentError';
}

/** A function given to `compile` cannot be captured and `fullgraph: true` asked for an error. */
export class CaptureError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'CaptureError';
}

/**
 * The platform lacks something the call needs (e.g. worker threads in a browser page that is not cross-origin
 * isolated, so it has no SharedArrayBuffer).
 */
export class PlatformError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'PlatformError';
}

/** Formats a shape the way every error message does: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return Array.isArray(shape) ? `[${shape.map(safeText).join(',')}]` : safeText(shape);
}

/** String(value) that never throws (a Symbol, a BigInt, an object whose toString throws or is missing). */
export function safeText(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
