// toString in the style of PyTorch's print: aligned columns, 4 decimals or scientific notation, summarized
// with '...' beyond 1000 elements, and a dtype suffix when it is not the default float32.
import { ArgumentError } from './errors.js';
import { Tensor } from './tensor.js';
import { describeValue } from './validate.js';

const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 80;

interface Formatter {
  width: number;
  fmt(v: number): string;
}

// PyTorch's rules: look at the nonzero finite values; integers print as "3.", otherwise 4 decimals; scientific
// notation when max/min > 1000 or max > 1e8 (or, for non-integers, min < 1e-4). The width ignores nan/inf.
function floatFormatter(values: number[]): Formatter {
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const sciStr = (v: number) => v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
  let fmt: (v: number) => string = (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  if (nonzero.length > 0) {
    const abs = nonzero.map(Math.abs);
    const maxAbs = Math.max(...abs);
    const minAbs = Math.min(...abs);
    const intMode = nonzero.every((v) => Number.isInteger(v));
    const sci = maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!intMode && minAbs < 1e-4);
    if (sci) fmt = (v) => (Number.isFinite(v) ? sciStr(v) : special(v));
    else if (!intMode) fmt = (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
  }
  let width = 1;
  for (const v of nonzero) width = Math.max(width, fmt(v).length);
  return { width, fmt };
}

/** The elements shown: all of them, or the first and last EDGE of every dim when summarizing. */
function shownValues(x: Tensor, summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (dim: number, off: number) => {
    if (dim === x.ndim) {
      out.push(x.data[off]);
      return;
    }
    const n = x.shape[dim];
    for (let i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGE && i === EDGE) i = n - EDGE;
      walk(dim + 1, off + i * x.strides[dim]);
    }
  };
  walk(0, x.offset);
  return out;
}

/**
 * PyTorch's `_add_suffixes`: `, dtype=float64`, `, requires_grad=True`, ... after the values, each on a line of
 * its own (indented under the first value) when it would pass the line width.
 */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  const parts = [text];
  // PyTorch's count, off by two on a one-line text (rfind gives -1); copied so that lines break where its do.
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > LINE_WIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLine = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLine += suffix.length + 2;
    }
  }
  return `${parts.join('')})`;
}

/**
 * The tensor as PyTorch prints it; `suffixes` (autograd's `requires_grad=True`, `grad_fn=<MulBackward0>`) follow
 * the dtype, as in PyTorch.
 */
export function formatTensor(x: Tensor, suffixes: readonly string[] = []): string {
  if (!(x instanceof Tensor)) throw new ArgumentError('formatTensor', `x must be a Tensor, got ${describeValue(x)}`);
  if (!Array.isArray(suffixes) || !suffixes.every((e) => typeof e === 'string')) {
    throw new ArgumentError('formatTensor', `suffixes must be an array of strings, got ${describeValue(suffixes)}`);
  }
  const prefix = 'tensor(';
  const summarize = x.numel() > THRESHOLD;
  const values = shownValues(x, summarize);
  let f: Formatter;
  if (x.dtype === 'bool') f = { width: 5, fmt: (v) => (v ? 'True' : 'False') };
  else if (x.dtype === 'int32') {
    const fmt = (v: number) => String(v);
    f = { width: Math.max(0, ...values.map((v) => fmt(v).length)), fmt };
  } else f = floatFormatter(values);
  if (x.dtype === 'bool') f.width = values.some((v) => !v) ? 5 : 4;

  let body: string;
  if (x.ndim === 0) body = f.fmt(values[0]);
  else if (x.numel() === 0) body = '[]';
  else {
    let pos = 0;
    const block = (dim: number, indent: number): string => {
      const n = x.shape[dim];
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        if (summarize && n > 2 * EDGE && i === EDGE) {
          parts.push(dim === x.ndim - 1 ? ' ...' : '...');
          i = n - EDGE;
        }
        parts.push(dim === x.ndim - 1 ? f.fmt(values[pos++]).padStart(f.width) : block(dim + 1, indent + 1));
      }
      if (dim === x.ndim - 1) {
        // Wrap long rows like PyTorch's linewidth of 80.
        const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (f.width + 2)));
        const lines: string[] = [];
        for (let i = 0; i < parts.length; i += perLine) lines.push(parts.slice(i, i + perLine).join(', '));
        return `[${lines.join(',\n' + ' '.repeat(indent + 1))}]`;
      }
      const sep = ',' + '\n'.repeat(x.ndim - dim - 1) + ' '.repeat(indent + 1);
      return `[${parts.join(sep)}]`;
    };
    body = block(0, prefix.length);
  }
  const extras: string[] = [];
  if (x.numel() === 0 && x.ndim !== 1) extras.push(`size=(${x.shape.join(', ')})`);
  // PyTorch shows the dtype unless values imply it (float32, bool); an empty tensor shows any but float32.
  if (x.dtype === 'float64' || x.dtype === 'int32' || (x.numel() === 0 && x.dtype === 'bool')) extras.push(`dtype=${x.dtype}`);
  return addSuffixes(`${prefix}${body}`, [...extras, ...suffixes], prefix.length);
}
