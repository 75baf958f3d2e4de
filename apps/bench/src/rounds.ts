// Issue 14's ratios from interleaved rounds (interleaved.ts measures them; this file holds no timing): the
// order of the timed steps in a round, the ratio of each round, and the median and spread over the rounds
// that targets.ts checks. Issue 14 asks for "ratios measured in one run, on one machine, interleaved": on a
// shared 2-core VM the speed of the same step moves by 1.4x from one minute to the next, so both sides of a
// ratio are timed back to back in every round, and the target is checked on the median of the rounds' ratios.
import { median } from './harness.js';
import { speedRatio } from './summary.js';
import { WORKLOADS, type WorkloadId } from './workloads.js';

/** The rows of issue 14's targets, in the order a round times them. */
export const INTERLEAVED_IDS = [
  'cnnBatch2', 'cnnBatch32', 'cnnBatch2TwoThreads', 'cnnBatch32TwoThreads', 'sgemm512', 'sgemm512TwoThreads',
] as const satisfies readonly WorkloadId[];
export type InterleavedId = (typeof INTERLEAVED_IDS)[number];

/**
 * minigrad's variants of a CNN row's step, each timed beside the plain step and against PyTorch: inside tidy()
 * (memory handed back to the pool every step), that with its 3x3 convs by Winograd (setConvAlgorithm), and the
 * step captured by compile() (its kernel calls replayed), with either conv algorithm. `suffix` names the ratio
 * (cnnBatch2Tidy, ...), `label` says what it times.
 */
export const VARIANTS = {
  'minigrad tidy': { suffix: 'Tidy', label: 'minigrad in tidy()', where: 'in tidy()' },
  'minigrad tidy winograd': { suffix: 'TidyWinograd', label: 'minigrad in tidy(), Winograd', where: 'in tidy(), Winograd' },
  'minigrad compiled': { suffix: 'Compiled', label: 'minigrad compiled', where: 'compiled' },
  'minigrad compiled winograd': { suffix: 'CompiledWinograd', label: 'minigrad compiled, Winograd', where: 'compiled, Winograd' },
} as const;
export type Variant = keyof typeof VARIANTS;
export const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

/** Who a sample times: minigrad's step, one of its variants (CNN rows), or PyTorch's. */
export type Side = 'minigrad' | Variant | 'PyTorch';

/** The rows whose minigrad step is also timed in its variants. */
export const VARIANT_IDS = ['cnnBatch2', 'cnnBatch32', 'cnnBatch2TwoThreads', 'cnnBatch32TwoThreads'] as const satisfies readonly WorkloadId[];

/** One timed sample of a round: a row on one side. */
export interface Step {
  id: InterleavedId;
  side: Side;
}

/** One round's figures: the median ms of each step it timed. */
export type Round = Partial<Record<InterleavedId, Partial<Record<Side, number>>>>;

/** The rounds of one interleaved phase; torchMissing says why the PyTorch steps did not run. */
export interface InterleavedRounds {
  rounds: Round[];
  torchMissing?: string;
  /** The machine's cores and its 1-minute load average before the phase and after each round. */
  machine?: { cores: number; loads: number[] };
}

export function isInterleavedId(id: WorkloadId): id is InterleavedId {
  return (INTERLEAVED_IDS as readonly WorkloadId[]).includes(id);
}

/**
 * The steps of one round over the given rows: each row's minigrad step, its variants in `variants` (in
 * VARIANTS' order), then its PyTorch step. The two sgemm rows are arranged PyTorch 1 thread, minigrad 1 thread,
 * minigrad 2 threads, PyTorch 2 threads, so that each of the three sgemm ratios (each side to PyTorch, and
 * minigrad's two threads to one) is timed back to back.
 */
export function roundSchedule(
  ids: readonly InterleavedId[], withTorch: boolean, variants: Partial<Record<InterleavedId, readonly Variant[]>> = {},
): Step[] {
  const sides = (id: InterleavedId): Step[] => [
    { id, side: 'minigrad' },
    ...VARIANT_NAMES.filter((v) => variants[id]?.includes(v)).map((side) => ({ id, side })),
    ...(withTorch ? [{ id, side: 'PyTorch' } as const] : []),
  ];
  const bothSgemm = ids.includes('sgemm512') && ids.includes('sgemm512TwoThreads');
  const steps: Step[] = [];
  for (const id of INTERLEAVED_IDS) {
    if (!ids.includes(id) || (bothSgemm && id === 'sgemm512TwoThreads')) continue;
    steps.push(...(bothSgemm && id === 'sgemm512' ? [...sides(id).reverse(), ...sides('sgemm512TwoThreads')] : sides(id)));
  }
  return steps;
}

/** A ratio of speeds checked by a target: the speed of `of` over the speed of `over`, round by round. */
export interface RatioDef {
  name: string;
  label: string;
  of: Step;
  over: Step;
}

export const INTERLEAVED_RATIOS: readonly RatioDef[] = [
  ...INTERLEAVED_IDS.map((id) => ({
    name: id, label: `${WORKLOADS[id].label}: minigrad/PyTorch`, of: { id, side: 'minigrad' }, over: { id, side: 'PyTorch' },
  }) satisfies RatioDef),
  ...VARIANT_NAMES.flatMap((side) =>
    VARIANT_IDS.map((id) => ({
      name: `${id}${VARIANTS[side].suffix}`, label: `${WORKLOADS[id].label}: ${VARIANTS[side].label}/PyTorch`,
      of: { id, side }, over: { id, side: 'PyTorch' },
    }) satisfies RatioDef),
  ),
  {
    name: 'sgemm512TwoOverOneThread', label: 'sgemm 512x512x512: minigrad 2 threads/1 thread',
    of: { id: 'sgemm512TwoThreads', side: 'minigrad' }, over: { id: 'sgemm512', side: 'minigrad' },
  },
];

export function ratioDef(name: string): RatioDef {
  const def = INTERLEAVED_RATIOS.find((r) => r.name === name);
  if (!def) throw new Error(`no interleaved ratio named ${name}`);
  return def;
}

/** The ratio of each round that timed both of its steps (above 1: `of` is faster). */
export function roundRatios(def: RatioDef, rounds: readonly Round[]): number[] {
  return rounds.flatMap((round) => {
    const ofMs = round[def.of.id]?.[def.of.side];
    const overMs = round[def.over.id]?.[def.over.side];
    return ofMs === undefined || overMs === undefined ? [] : [speedRatio(ofMs, overMs)];
  });
}

/** Per-round values with their median and range. */
export interface Spread {
  perRound: number[];
  median: number;
  min: number;
  max: number;
}

/** The median (of an even count: the mean of the middle two) and the min-max of the values; undefined for none. */
export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  return { perRound: [...values], median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export const fmtRatio = (r: number): string => r.toFixed(r < 10 ? 2 : 1);

/** '0.46x (interleaved median of 7 rounds, 0.40-0.52)'. */
export function formatSpread(s: Spread): string {
  const n = s.perRound.length;
  return `${fmtRatio(s.median)}x (interleaved median of ${n} round${n === 1 ? '' : 's'}, ${fmtRatio(s.min)}-${fmtRatio(s.max)})`;
}

/**
 * The phase's table: one line per ratio the rounds measured, with each round's ratio, the median, the min-max
 * and the medians over the rounds of both sides' figures in the row's unit.
 */
export function formatRounds(r: InterleavedRounds): string {
  const header = ['ratio (speed of / speed over)', ...r.rounds.map((_, i) => `r${i + 1}`), 'median', 'min-max', 'of (median)', 'over (median)'];
  const body: string[][] = [];
  for (const def of INTERLEAVED_RATIOS) {
    const s = spread(roundRatios(def, r.rounds));
    if (!s) continue;
    const figure = (step: Step): string => {
      const ms = r.rounds.flatMap((round) => round[step.id]?.[step.side] ?? []);
      const w = WORKLOADS[step.id];
      return `${w.fromMs(spread(ms)!.median).toFixed(1)} ${w.unit}`;
    };
    const perRound = r.rounds.map((round) => {
      const [x] = roundRatios(def, [round]);
      return x === undefined ? '-' : fmtRatio(x);
    });
    body.push([def.label, ...perRound, `${fmtRatio(s.median)}x`, `${fmtRatio(s.min)}-${fmtRatio(s.max)}`, figure(def.of), figure(def.over)]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

/**
 * A warning when the load average went above the core count during the phase: something else ran beside the
 * bench (which alone keeps it near 2 on this 2-core VM). PyTorch on 2 threads (OpenMP and OpenBLAS threads
 * that spin at their barriers) then slows down by several times, so its 2-thread ratios say little.
 */
export function loadWarning(r: InterleavedRounds): string | undefined {
  if (!r.machine || r.machine.loads.length === 0) return undefined;
  const { cores, loads } = r.machine;
  const max = Math.max(...loads);
  if (max <= cores) return undefined;
  return `warning: load average up to ${max.toFixed(1)} on ${cores} cores during the interleaved phase: other processes ran; ` +
    "PyTorch's 2-thread figures (and the ratios to them) are not a quiet machine's";
}
