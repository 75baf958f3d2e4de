// The targets of the speed issues, checked against the figures this run measured: issue 7's against the
// summary rows, issue 14's (ratios to PyTorch on OpenBLAS, and sgemm on two threads over one) against the
// medians of the interleaved phase's per-round ratios (rounds.ts). Only the thresholds are written here.
import { type InterleavedRounds, VARIANTS, VARIANT_NAMES, formatSpread, ratioDef, roundRatios, spread } from './rounds.js';
import { type PeerColumn, type SummaryRow, speedRatio } from './summary.js';
import { WORKLOADS, type WorkloadId } from './workloads.js';

export interface TargetCheck {
  target: string;
  /** The measured figure, or why there is none. */
  measured: string;
  /** undefined: not measured in this run. */
  pass?: boolean;
}

type Rows = ReadonlyMap<WorkloadId, SummaryRow>;

/** minigrad's figure of a workload in its unit, or undefined when the workload was not run. */
function figure(rows: Rows, id: WorkloadId): number | undefined {
  const row = rows.get(id);
  return row && WORKLOADS[id].fromMs(row.minigradMs);
}

function atLeast(target: string, id: WorkloadId, min: number | ((rows: Rows) => number | undefined), rows: Rows): TargetCheck {
  const value = figure(rows, id);
  const threshold = typeof min === 'number' ? min : min(rows);
  if (value === undefined || threshold === undefined) return { target, measured: 'not run' };
  const bound = typeof min === 'number' ? '' : ` (bound ${threshold.toFixed(1)})`;
  return { target, measured: `${value.toFixed(1)} ${WORKLOADS[id].unit}${bound}`, pass: value >= threshold };
}

function ratioAtLeast(target: string, id: WorkloadId, peer: PeerColumn, min: number, rows: Rows): TargetCheck {
  const row = rows.get(id);
  const peerMs = row?.peerMs[peer];
  if (!row || peerMs === undefined) return { target, measured: `${peer} not run` };
  const ratio = speedRatio(row.minigradMs, peerMs);
  return { target, measured: `${ratio.toFixed(ratio < 10 ? 2 : 1)}x`, pass: ratio >= min };
}

function atMostMs(target: string, id: WorkloadId, max: number, rows: Rows): TargetCheck {
  const row = rows.get(id);
  if (!row) return { target, measured: 'not run' };
  return { target, measured: `${row.minigradMs.toFixed(1)} ms`, pass: row.minigradMs <= max };
}

/** Conv kernels must reach the sgemm 512 rate divided by 1.5 (their FLOPs are close: 231 vs 268 MFLOP). */
const convBound = (rows: Rows): number | undefined => {
  const sgemm = figure(rows, 'sgemm512');
  return sgemm === undefined ? undefined : sgemm / 1.5;
};

/** The median over the interleaved rounds of a ratio (rounds.ts's INTERLEAVED_RATIOS), at least min. */
function interleavedAtLeast(target: string, ratio: string, min: number, interleaved: InterleavedRounds | undefined): TargetCheck {
  if (!interleaved) return { target, measured: 'not run' };
  const def = ratioDef(ratio);
  const s = spread(roundRatios(def, interleaved.rounds));
  if (s) return { target, measured: formatSpread(s), pass: s.median >= min };
  const torch = def.over.side === 'PyTorch' && interleaved.torchMissing !== undefined;
  return { target, measured: torch ? 'PyTorch not run' : 'not run' };
}

/** Issue 7's targets, from the summary rows. */
export function issue7Targets(summary: readonly SummaryRow[]): TargetCheck[] {
  const rows: Rows = new Map(summary.map((r) => [r.id, r]));
  return [
    ratioAtLeast('CNN+GN step, batch 2: >= 200x TensorFlow.js-cpu', 'cnnBatch2', 'tfjs-cpu', 200, rows),
    atLeast('CNN+GN step, batch 2: >= 540 steps/s', 'cnnBatch2', 540, rows),
    atLeast('CNN+GN step, batch 32: >= 800 images/s', 'cnnBatch32', 800, rows),
    atLeast('sgemm 512, one thread: >= 47 GFLOP/s', 'sgemm512', 47, rows),
    atLeast('sgemm 512, two threads: >= 90 GFLOP/s', 'sgemm512TwoThreads', 90, rows),
    atLeast('conv2d forward: >= sgemm 512 rate / 1.5', 'conv2dForward', convBound, rows),
    atLeast('conv2d grad input: >= sgemm 512 rate / 1.5', 'conv2dBackwardInput', convBound, rows),
    atLeast('conv2d grad weight: >= sgemm 512 rate / 1.5', 'conv2dBackwardWeight', convBound, rows),
    atMostMs('10k chained adds + backward: <= 43 ms', 'chainedAdds', 43, rows),
  ];
}

/** Issue 14's targets, from the interleaved phase ('not run' without it). */
export function issue14Targets(interleaved: InterleavedRounds | undefined): TargetCheck[] {
  return [
    interleavedAtLeast('issue 14: CNN+GN step, batch 2: >= 1.0x PyTorch', 'cnnBatch2', 1.0, interleaved),
    interleavedAtLeast('issue 14: CNN+GN step, batch 32: >= 1.3x PyTorch', 'cnnBatch32', 1.3, interleaved),
    interleavedAtLeast('issue 14: CNN+GN step, batch 2, 2 threads: >= 1.0x PyTorch', 'cnnBatch2TwoThreads', 1.0, interleaved),
    interleavedAtLeast('issue 14: CNN+GN step, batch 32, 2 threads: >= 1.3x PyTorch', 'cnnBatch32TwoThreads', 1.3, interleaved),
    // Its variants (rounds.ts VARIANTS): in tidy() (the memory-ownership lever; PyTorch's step unchanged), with
    // Winograd (the opt-in arithmetic lever: other rounding than PyTorch's conv), compiled (the captured step).
    ...VARIANT_NAMES.flatMap((v) => {
      const where = VARIANTS[v].where;
      const suffix = VARIANTS[v].suffix;
      return [
        interleavedAtLeast(`issue 14: CNN+GN step ${where}, batch 2: >= 1.0x PyTorch`, `cnnBatch2${suffix}`, 1.0, interleaved),
        interleavedAtLeast(`issue 14: CNN+GN step ${where}, batch 32: >= 1.3x PyTorch`, `cnnBatch32${suffix}`, 1.3, interleaved),
        interleavedAtLeast(`issue 14: CNN+GN step ${where}, batch 2, 2 threads: >= 1.0x PyTorch`, `cnnBatch2TwoThreads${suffix}`, 1.0, interleaved),
        interleavedAtLeast(`issue 14: CNN+GN step ${where}, batch 32, 2 threads: >= 1.3x PyTorch`, `cnnBatch32TwoThreads${suffix}`, 1.3, interleaved),
      ];
    }),
    interleavedAtLeast('issue 14: sgemm 512, two threads: >= 1.8x one thread', 'sgemm512TwoOverOneThread', 1.8, interleaved),
  ];
}

export function checkTargets(summary: readonly SummaryRow[], interleaved?: InterleavedRounds): TargetCheck[] {
  return [...issue7Targets(summary), ...issue14Targets(interleaved)];
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  const width = Math.max(...checks.map((c) => c.target.length));
  const mark = (c: TargetCheck): string => (c.pass === undefined ? '-' : c.pass ? 'pass' : 'falls short');
  return checks.map((c) => `${mark(c).padEnd(11)}  ${c.target.padEnd(width)}  measured ${c.measured}`).join('\n');
}
