import { NORM_LABELS, NORMS, type NormName } from '../architecture.js';
import { findRow, sampleStd, type Metric, type NoiseRow, type Results, type SummaryRow } from './results.js';

/** A grid of text cells: a header row, then rows whose first cell is the label. */
export interface Grid {
  title: string;
  header: string[];
  rows: string[][];
}

/** Batch sizes in the summary, largest first as in the paper's Table 2. */
const batchSizesOf = (summary: readonly SummaryRow[]) => [...new Set(summary.map((s) => s.batchSize))].sort((a, b) => b - a);

/** How many seeds the cells of these rows averaged, in words. */
export function seedNote(rows: readonly { seeds: number[] | number }[]): string {
  const counts = [...new Set(rows.map((r) => (typeof r.seeds === 'number' ? r.seeds : r.seeds.length)))].sort((a, b) => a - b);
  return counts.length === 1 && counts[0] === 1 ? '1 seed (no spread)' : `mean ± std over ${counts.join('/')} seeds (sample std, n − 1)`;
}

/** The paper's Tables 1 and 2: test error (eval mode) per norm and batch size, and BN's minus GN's. */
export function errorGrid(summary: readonly SummaryRow[]): Grid {
  const rows = summary.filter((s) => s.metric === 'test-error');
  const sizes = batchSizesOf(rows);
  const norms = NORMS.filter((n) => rows.some((s) => s.norm === n));
  const body = norms.map((norm) => [NORM_LABELS[norm], ...sizes.map((n) => cell(findRow(rows, norm, n)))]);
  const gaps = sizes.map((n) => {
    const bn = findRow(rows, 'batch', n);
    const gn = findRow(rows, 'group', n);
    return bn && gn ? signed(bn.mean - gn.mean) : '-';
  });
  if (gaps.some((g) => g !== '-')) body.push(['BN − GN', ...gaps]);
  return { title: `Test error (%) in eval mode, ${seedNote(rows)}`, header: ['norm', ...sizes.map((n) => `batch ${n}`)], rows: body };
}

/** The series of the mechanism table and chart: BN's errors by source of statistics, GN's beside them. */
export const MECHANISM_ROWS: [NormName, Metric, string][] = [
  ['batch', 'test-error', 'BN test, running stats (eval mode)'],
  ['batch', 'test-error-train-mode', 'BN test, batch stats (train mode)'],
  ['batch', 'test-error-precise-bn', 'BN test, precise BN'],
  ['batch', 'train-error', 'BN train (last epoch, train mode)'],
  ['group', 'test-error', 'GN test (eval mode)'],
  ['group', 'train-error', 'GN train (last epoch, train mode)'],
];

/** BN's errors with each source of statistics, beside GN's, per batch size (the mechanism). */
export function mechanismGrid(summary: readonly SummaryRow[]): Grid | null {
  const sizes = batchSizesOf(summary.filter((s) => s.norm === 'batch' || s.norm === 'group'));
  const rows = MECHANISM_ROWS.filter(([norm, metric]) => summary.some((s) => s.norm === norm && s.metric === metric));
  if (!rows.some(([, metric]) => metric === 'test-error-precise-bn')) return null;
  const used = summary.filter((s) => rows.some(([norm, metric]) => s.norm === norm && s.metric === metric));
  return {
    title: `Error (%) by where BN's statistics come from, ${seedNote(used)}`,
    header: ['', ...sizes.map((n) => `batch ${n}`)],
    rows: rows.map(([norm, metric, label]) => [label, ...sizes.map((n) => cell(findRow(summary, norm, n, metric)))]),
  };
}

/** The noise of BN's batch statistics per layer and batch size (mechanism.ts), in units of the population std. */
export function noiseGrid(noise: readonly NoiseRow[]): Grid | null {
  if (noise.length === 0) return null;
  const sizes = [...new Set(noise.map((r) => r.batchSize))].sort((a, b) => b - a);
  const layers = [...new Set(noise.map((r) => r.layer))];
  const find = (layer: string, n: number) => noise.find((r) => r.layer === layer && r.batchSize === n);
  const pair = (r: NoiseRow | undefined) => (r ? `${r.meanNoise.toFixed(3)} / ${r.varNoise.toFixed(3)}` : '-');
  const avg = (n: number, key: 'meanNoise' | 'varNoise' | 'runningMeanGap' | 'runningVarGap') => {
    const rs = noise.filter((r) => r.batchSize === n);
    return rs.reduce((s, r) => s + r[key], 0) / rs.length;
  };
  return {
    title: `Noise of BN's batch statistics: RMS of (batch mean − population mean)/σ / of (batch var/σ² − 1), averaged over ${plural([...new Set(noise.map((r) => r.seeds))].join('/'), 'seed')}`,
    header: ['BN layer', ...sizes.map((n) => `batch ${n}`)],
    rows: [
      ...layers.map((layer) => [layer, ...sizes.map((n) => pair(find(layer, n)))]),
      ['all layers', ...sizes.map((n) => `${avg(n, 'meanNoise').toFixed(3)} / ${avg(n, 'varNoise').toFixed(3)}`)],
      ['running − population', ...sizes.map((n) => `${avg(n, 'runningMeanGap').toFixed(3)} / ${avg(n, 'runningVarGap').toFixed(3)}`)],
    ],
  };
}

/**
 * A change in error between two configurations with its standard error. Runs with the same seed start from
 * the same weights and visit the training images in the same order at every batch size, so when both ran
 * the same seeds the change is measured per seed (paired) and its standard error is that of the mean of the
 * per-seed differences; otherwise (or beside it) Welch's: sqrt(s1²/n1 + s2²/n2).
 */
export interface Change {
  norm: NormName;
  from: number;
  to: number;
  /** Mean error at `to` minus at `from`, in points. */
  delta: number;
  /** Whether `se` is the paired standard error (same seeds at both batch sizes). */
  paired: boolean;
  se: number;
  /** Welch's standard error of the difference of the two means. */
  welchSe: number;
  /** delta / se (NaN without spread, e.g. one seed). */
  t: number;
}

/** For BN and GN: the change in eval-mode test error from the largest to the smallest batch size. */
export function batchSizeChanges(summary: readonly SummaryRow[]): Change[] {
  const sizes = batchSizesOf(summary);
  const [from, to] = [sizes[0]!, sizes.at(-1)!];
  if (from === to) return [];
  return (['batch', 'group'] as const).flatMap((norm) => {
    const a = findRow(summary, norm, from);
    const b = findRow(summary, norm, to);
    if (!a || !b) return [];
    const delta = b.mean - a.mean;
    const welchSe = Math.sqrt(a.std ** 2 / a.seeds.length + b.std ** 2 / b.seeds.length);
    const paired = a.seeds.length > 1 && [...a.seeds].sort().join() === [...b.seeds].sort().join();
    const diffs = paired ? a.seeds.map((seed, i) => b.values[b.seeds.indexOf(seed)]! - a.values[i]!) : [];
    const se = paired ? sampleStd(diffs) / Math.sqrt(diffs.length) : welchSe;
    return [{ norm, from, to, delta, paired, se, welchSe, t: se > 0 ? delta / se : NaN }];
  });
}

/** The changes as sentences for the terminal. */
export function formatFindings(results: Pick<Results, 'summary'>): string {
  const changes = batchSizeChanges(results.summary);
  if (changes.length === 0) return 'Only one batch size ran: no change with batch size to report.';
  return changes
    .map((c) => `${NORM_LABELS[c.norm]} from batch ${c.from} to ${c.to}: ${signed(c.delta)} points (${seOf(c)})`)
    .join('\n');
}

/** "paired over 3 seeds: standard error 0.36, 4.0 SE; unpaired: 0.70", or why there is none. */
export function seOf(c: Change): string {
  if (!(c.se > 0)) return 'no spread over seeds: no standard error';
  const kind = c.paired ? 'paired by seed' : 'unpaired (Welch)';
  return `${kind}: standard error ${c.se.toFixed(2)}, ${minus(c.t.toFixed(1))} SE` + (c.paired ? `; unpaired ${c.welchSe.toFixed(2)}, ${minus((c.delta / c.welchSe).toFixed(1))} SE` : '');
}

function cell(s: SummaryRow | undefined): string {
  if (!s) return '-';
  return s.seeds.length > 1 ? `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)}` : s.mean.toFixed(2);
}

/** "1 seed", "3 seeds", "3/5 seeds". */
const plural = (count: string, noun: string) => `${count} ${noun}${count === '1' ? '' : 's'}`;

/** A number's text with a typographic minus, as the tables print it. */
const minus = (text: string) => text.replace('-', '−');

export function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
}

/** A grid as aligned text for the terminal and the README. */
export function formatGrid(g: Grid): string {
  const widths = g.header.map((h, j) => Math.max(h.length, ...g.rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('   ').trimEnd();
  return [g.title, line(g.header), ...g.rows.map(line)].join('\n');
}

export const formatTable = (summary: readonly SummaryRow[]) => formatGrid(errorGrid(summary));

export function formatMechanism(summary: readonly SummaryRow[]): string {
  const g = mechanismGrid(summary);
  return g ? formatGrid(g) : '';
}

export function formatNoise(noise: readonly NoiseRow[]): string {
  const g = noiseGrid(noise);
  return g ? formatGrid(g) : '';
}
