// Renders bench results as a fixed-width text table: case, median and min ms, GFLOP/s at the median and at
// the min (the min shows what the code does when the machine is not shared), then one pair of columns per
// peer (its median ms and how many times faster minigrad is; 'n/a' when the peer could not run the case, with
// the reason below the table).
import type { CaseResult } from './harness.js';

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/** ms with 3 significant-ish digits: 0.0123, 1.23, 123. */
export function fmtMs(ms: number): string {
  return ms >= 100 ? fmt(ms, 0) : ms >= 10 ? fmt(ms, 1) : ms >= 1 ? fmt(ms, 2) : fmt(ms, 4);
}

export function formatTable(title: string, results: readonly CaseResult[]): string {
  const peerNames = [...new Set(results.flatMap((r) => [...Object.keys(r.peers), ...Object.keys(r.unavailable ?? {})]))];
  const header = ['case', 'median ms', 'min ms', 'GFLOP/s', 'best GFLOP/s', ...peerNames.flatMap((p) => [`${p} ms`, `x vs ${p}`])];
  const rows = results.map((r) => [
    r.name,
    fmtMs(r.timing.medianMs),
    fmtMs(r.timing.minMs),
    r.flops === undefined ? '' : fmt(r.flops / (r.timing.medianMs * 1e6), 2),
    r.flops === undefined ? '' : fmt(r.flops / (r.timing.minMs * 1e6), 2),
    ...peerNames.flatMap((p) => {
      const t = r.peers[p];
      if (t === undefined) return r.unavailable?.[p] === undefined ? ['', ''] : ['n/a', ''];
      return [fmtMs(t.medianMs), fmt(t.medianMs / r.timing.medianMs, 2)];
    }),
  ]);
  const notes = results.flatMap((r) =>
    Object.entries(r.unavailable ?? {}).map(([p, why]) => `n/a: ${p} cannot run '${r.name}': ${why}`),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...notes].join('\n');
}
