// The summary table: one row per workload of the speed issue that this run measured, the figure of minigrad
// and of each peer in the workload's unit (from the medians), and the speed ratios minigrad/peer (above 1:
// minigrad is faster). tfjs and jax-js columns come from the cases' peers, the PyTorch column from
// torch_bench.py (run on the row's thread count with OpenBLAS, see peers/torch.ts).
import type { CaseResult } from './harness.js';
import type { JaxThreadsResult } from './peers/jaxjs-threads.js';
import type { TorchResult } from './peers/torch.js';
import { WORKLOAD_IDS, WORKLOADS, type WorkloadId } from './workloads.js';

export const PEER_COLUMNS = ['tfjs-cpu', 'tfjs-wasm', 'jax-js', 'PyTorch'] as const;
export type PeerColumn = (typeof PEER_COLUMNS)[number];

/** One measured row: medians in ms (undefined: not measured), and why a peer could not run it. */
export interface SummaryRow {
  id: WorkloadId;
  minigradMs: number;
  peerMs: Partial<Record<PeerColumn, number>>;
  unavailable: Partial<Record<PeerColumn, string>>;
}

/**
 * The rows this run measured. jax-js's figures come from the cases' peers on one thread and from
 * jaxThreads (a child process, peers/jaxjs-threads.ts) on rows with more threads.
 */
export function summaryRows(results: readonly CaseResult[], torch: TorchResult, jaxThreads?: JaxThreadsResult): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const id of WORKLOAD_IDS) {
    const r = results.find((c) => c.workload === id);
    if (!r) continue;
    const peerMs: SummaryRow['peerMs'] = {};
    const unavailable: SummaryRow['unavailable'] = {};
    for (const p of ['tfjs-cpu', 'tfjs-wasm', 'jax-js'] as const) {
      if (r.peers[p]) peerMs[p] = r.peers[p].medianMs;
      else if (r.unavailable?.[p] !== undefined) unavailable[p] = r.unavailable[p];
    }
    if ((WORKLOADS[id].threads ?? 1) > 1 && jaxThreads) {
      if (!jaxThreads.ok) unavailable['jax-js'] = jaxThreads.reason;
      else if (jaxThreads.medianMs[id] !== undefined) peerMs['jax-js'] = jaxThreads.medianMs[id];
    }
    if (torch.ok && torch.medianMs[id] !== undefined) peerMs.PyTorch = torch.medianMs[id];
    rows.push({ id, minigradMs: r.timing.medianMs, peerMs, unavailable });
  }
  return rows;
}

/** How many times faster minigrad is than a peer, from median times (the same for rates and for times). */
export function speedRatio(minigradMs: number, peerMs: number): number {
  return peerMs / minigradMs;
}

function fmtFigure(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toPrecision(2);
}

export function formatSummary(rows: readonly SummaryRow[]): string {
  const header = ['workload', 'unit', 'minigrad', ...PEER_COLUMNS, ...PEER_COLUMNS.map((p) => `minigrad/${p}`)];
  const body = rows.map((row) => {
    const w = WORKLOADS[row.id];
    const figure = (ms: number | undefined, p: PeerColumn): string => {
      if (ms !== undefined) return fmtFigure(w.fromMs(ms));
      if (row.unavailable[p] !== undefined) return w.training ? 'cannot train' : 'cannot run';
      return '-';
    };
    return [
      w.label,
      w.unit,
      fmtFigure(w.fromMs(row.minigradMs)),
      ...PEER_COLUMNS.map((p) => figure(row.peerMs[p], p)),
      ...PEER_COLUMNS.map((p) => {
        const ms = row.peerMs[p];
        return ms === undefined ? '-' : `${fmtFigure(speedRatio(row.minigradMs, ms))}x`;
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

/** Below the summary: why each peer could not run a row ('cannot train', 'cannot run'). */
export function formatUnavailable(rows: readonly SummaryRow[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    for (const [peer, why] of Object.entries(row.unavailable)) {
      lines.push(`${peer} on '${WORKLOADS[row.id].label}': ${why.split('\n')[0]}`);
    }
  }
  return lines.join('\n');
}
