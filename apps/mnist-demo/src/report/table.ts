import { NORM_LABELS, NORMS } from '../architecture.js';
import type { SummaryRow } from './results.js';

/** Rows (norms) x columns (batch sizes, largest first as in the paper's Table 2) of "mean ± std" cells. */
export interface ErrorTable {
  batchSizes: number[];
  rows: { label: string; cells: (string | null)[] }[];
  /** BN's error minus GN's at each batch size where both ran (the paper's "GN vs BN" row). */
  gap: (string | null)[] | null;
}

export function errorTable(summary: readonly SummaryRow[]): ErrorTable {
  const batchSizes = [...new Set(summary.map((s) => s.batchSize))].sort((a, b) => b - a);
  const norms = NORMS.filter((n) => summary.some((s) => s.norm === n));
  const find = (norm: string, n: number) => summary.find((s) => s.norm === norm && s.batchSize === n);
  const rows = norms.map((norm) => ({
    label: NORM_LABELS[norm],
    cells: batchSizes.map((n) => {
      const s = find(norm, n);
      return s ? cell(s) : null;
    }),
  }));
  const gaps = batchSizes.map((n) => {
    const bn = find('batch', n);
    const gn = find('group', n);
    return bn && gn ? signed(bn.testErrorMean - gn.testErrorMean) : null;
  });
  return { batchSizes, rows, gap: gaps.some((g) => g !== null) ? gaps : null };
}

function cell(s: SummaryRow): string {
  return s.seeds > 1 ? `${s.testErrorMean.toFixed(2)} ± ${s.testErrorStd.toFixed(2)}` : s.testErrorMean.toFixed(2);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(2)}`;
}

/** The table as aligned text for the terminal and the README. */
export function formatTable(summary: readonly SummaryRow[]): string {
  const t = errorTable(summary);
  const seeds = [...new Set(summary.map((s) => s.seeds))];
  const header = ['norm', ...t.batchSizes.map((n) => `batch ${n}`)];
  const body = t.rows.map((r) => [r.label, ...r.cells.map((c) => c ?? '-')]);
  if (t.gap) body.push(['BN - GN', ...t.gap.map((g) => g ?? '-')]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('   ');
  const note = seeds.length === 1 && seeds[0] === 1 ? '1 seed' : `mean ± std over ${seeds.join('/')} seeds`;
  return [`Test error (%) in eval mode, ${note}`, line(header), ...body.map(line)].join('\n');
}
