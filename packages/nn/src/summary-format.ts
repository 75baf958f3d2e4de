// The text of a model summary, laid out as torchinfo prints it: a row per call with its tree prefix
// (`├─Conv2d: 1-1`, `│    └─ReLU: 2-1`), output shape and parameter count, then the totals and sizes.
import type { ModelSummary, SummaryRow } from './summary.js';

const NAME_WIDTH = 40;
const COLUMN_WIDTH = 25;

/** 54170 -> '54,170'. */
function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function row(name: string, columns: string[], nameWidth: number): string {
  return `${name.padEnd(nameWidth)} ${columns.map((c) => `${c.padEnd(COLUMN_WIDTH)} `).join('')}`.trimEnd();
}

function title(r: SummaryRow): string {
  return r.depth === 0 ? r.type : `${r.type}: ${r.depth}-${r.index}`;
}

function prefix(depth: number): string {
  if (depth === 0) return '';
  return depth === 1 ? '├─' : `${'│    '.repeat(depth - 1)}└─`;
}

function shapeText(shape: SummaryRow['outputShape']): string {
  if (shape === null) return '--';
  const one = (s: number[]) => `[${s.join(', ')}]`;
  return Array.isArray(shape[0]) ? `[${(shape as number[][]).map(one).join(', ')}]` : one(shape as number[]);
}

/**
 * torchinfo's count: a row with hidden descendants (at the depth limit) or none shows its subtree's
 * parameters, in parentheses when none is trainable; a row whose children are shown only its own.
 */
function paramsText(r: SummaryRow, depth: number): string {
  if (r.params === 0) return '--';
  if (r.recursive) return '(recursive)';
  if (r.depth === depth || !r.hasChildren) return r.trainableParams > 0 ? withCommas(r.params) : `(${withCommas(r.params)})`;
  return r.ownParams > 0 ? withCommas(r.ownParams) : '--';
}

/** Bytes as torchinfo prints sizes: megabytes with 2 decimals, or a whole number. */
function megabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return Number.isInteger(mb) ? withCommas(mb) : mb.toFixed(2);
}

export function formatSummary(s: ModelSummary): string {
  // Long names widen the first column to a multiple of 5, as torchinfo does.
  const longest = Math.max(0, ...s.rows.map((r) => title(r).length + r.depth * 5 + 1));
  const nameWidth = longest >= NAME_WIDTH ? Math.ceil(longest / 5) * 5 : NAME_WIDTH;
  const divider = '='.repeat(nameWidth + 2 * COLUMN_WIDTH);
  return [
    divider,
    row('Layer (type:depth-idx)', ['Output Shape', 'Param #'], nameWidth),
    divider,
    ...s.rows.map((r) => row(`${prefix(r.depth)}${title(r)}`, [shapeText(r.outputShape), paramsText(r, s.depth)], nameWidth)),
    divider,
    `Total params: ${withCommas(s.totalParams)}`,
    `Trainable params: ${withCommas(s.trainableParams)}`,
    `Non-trainable params: ${withCommas(s.nonTrainableParams)}`,
    divider,
    `Input size (MB): ${megabytes(s.inputBytes)}`,
    `Params size (MB): ${megabytes(s.paramBytes)}`,
    divider,
  ].join('\n');
}
