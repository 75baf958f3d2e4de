// Python's text for JavaScript values, so that reprs print what PyTorch prints: `repr(float)` for a float,
// `str()` of an optimizer option (`(0.9, 0.999)`, `True`, `None`).
import { ArgumentError, safeText } from './errors.js';
import { describeValue } from './validate.js';

/** A Python float literal as `repr(float)` writes it: `0.1`, `1.0`, `1e-05`, `1e+16`. */
export function pyFloat(x: number): string {
  if (typeof x !== 'number') throw new ArgumentError('pyFloat', `x must be a number, got ${describeValue(x)}`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // JS and Python agree on the shortest round-trip digits; they differ in when to switch to exponent form.
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const neg = x < 0 ? '-' : '';
  let text: string;
  if (exp >= 0) {
    const whole = digits.padEnd(exp + 1, '0');
    const intPart = whole.slice(0, exp + 1);
    const frac = whole.slice(exp + 1);
    text = `${intPart}.${frac === '' ? '0' : frac}`;
  } else {
    text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg + text;
}

/**
 * What Python's `str()` prints for the value a JavaScript value stands for: integers bare (`0`), other numbers as
 * floats (`0.001`, `1e-08`), `True`/`False`, `None` for null and undefined, arrays as tuples (`(0.9, 0.999)`), a
 * string as itself (quoted inside a tuple, as Python's `repr`).
 */
export function pyStr(value: unknown): string {
  return pyText(value, false);
}

function pyText(value: unknown, nested: boolean): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return nested ? `'${value}'` : value;
  if (Array.isArray(value)) {
    const items = value.map((v) => pyText(v, true));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return safeText(value);
}
