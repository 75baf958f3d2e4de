// Formatting helpers so that `Module.toString()` prints what PyTorch prints (Python literals, tuples).
import { pyFloat } from '@minigrad/tensor';

export { pyFloat };

/** A Python bool literal. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** An int or a tuple of ints as Python prints it: `3`, `(3, 3)`, `(2,)`. */
export function pyIntOrTuple(v: number | readonly number[]): string {
  if (typeof v === 'number') return String(v);
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;
}

/** Indents every line but the first by `spaces` (PyTorch's `_addindent`). */
export function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

/** A number as Python prints the value a user most likely passed: integers bare (`20`), others as floats. */
export function pyNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : pyFloat(x);
}
