import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';

/** What a training loop reports while it runs. */
export interface StepStats {
  epoch: number;
  /** Mean training loss and accuracy over the recent steps. */
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

/** A planned run as the progress display names and weighs it. */
export interface PlannedRun {
  label: string;
  steps: number;
  epochs: number;
  batchSize: number;
}

/** The whole experiment's progress: runs start, make steps and finish, possibly several at once. */
export interface Progress {
  started(index: number): void;
  steps(index: number, done: number, stats: StepStats): void;
  finished(index: number, summary: string): void;
  /** Ends the display (bars are removed; their runs' summary lines stay). */
  stop(): void;
}

export type Output = Writable & { isTTY?: boolean };

/**
 * Work of a run for the overall ETA: its images plus a fixed cost per step, as measured (a batch-2 step of
 * the ResNet costs about as much as 5 images' worth of a batch-32 step).
 */
const work = (r: PlannedRun, steps = r.steps) => steps * (r.batchSize + 3);

/**
 * On a terminal, a bar for the whole experiment (runs done of all, ETA) and one per run in progress
 * (cli-progress); plain log lines when the output is a file or a pipe (CI): one when a run finishes and
 * one per tenth of each run.
 */
export function createProgress(plan: readonly PlannedRun[], out: Output = process.stdout): Progress {
  const started = performance.now();
  const total = plan.reduce((s, r) => s + work(r), 0);
  const doneSteps = new Array<number>(plan.length).fill(0);
  const width = String(plan.length).length;
  const tag = (i: number) => `[${String(i + 1).padStart(width)}/${plan.length}] ${plan[i]!.label}`;
  const overall = () => {
    const done = plan.reduce((s, r, i) => s + work(r, doneSteps[i]), 0);
    const elapsed = (performance.now() - started) / 1000;
    const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
    return { percent: Math.floor((100 * done) / total), eta: duration(eta), elapsed: duration(elapsed) };
  };
  return (out.isTTY ? terminal : logLines)(plan, out, tag, overall, doneSteps);
}

type Overall = () => { percent: number; eta: string; elapsed: string };

function terminal(plan: readonly PlannedRun[], out: Output, tag: (i: number) => string, overall: Overall, doneSteps: number[]): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream: out as NodeJS.WritableStream,
      format: '{label} {bar} {percentage}% | {detail}',
      hideCursor: false, // training blocks the event loop, so nothing could restore a hidden cursor after Ctrl-C
      barsize: 20,
      clearOnComplete: true,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const labelWidth = Math.max(...plan.map((_, i) => tag(i).length));
  const all = multi.create(plan.length, 0, { label: 'all runs'.padEnd(labelWidth), detail: 'eta -' });
  const bars = new Map<number, cliProgress.SingleBar>();
  let finished = 0;
  const refreshAll = () => {
    const o = overall();
    all.update(finished, { detail: `${finished}/${plan.length} runs | ${o.elapsed} elapsed | eta ${o.eta}` });
  };
  return {
    started(i) {
      bars.set(i, multi.create(plan[i]!.steps, 0, { label: tag(i).padEnd(labelWidth), detail: stepDetail(plan[i]!, null) }));
    },
    steps(i, done, stats) {
      doneSteps[i] = done;
      bars.get(i)?.update(done, { detail: stepDetail(plan[i]!, stats) });
      refreshAll();
    },
    finished(i, summary) {
      doneSteps[i] = plan[i]!.steps;
      finished++;
      const bar = bars.get(i);
      if (bar) multi.remove(bar);
      bars.delete(i);
      multi.log(`${tag(i)} ${summary}\n`);
      refreshAll();
      multi.update(); // draw now: the summary line and the overall count should not wait for the next frame
    },
    stop: () => multi.stop(),
  };
}

function logLines(plan: readonly PlannedRun[], out: Output, tag: (i: number) => string, overall: Overall, doneSteps: number[]): Progress {
  const log = (line: string) => void out.write(line + '\n');
  const nextTenth = new Array<number>(plan.length).fill(1);
  let finished = 0;
  return {
    started: () => {},
    steps(i, done, stats) {
      doneSteps[i] = done;
      const total = plan[i]!.steps;
      if (done * 10 < nextTenth[i]! * total) return;
      while (done * 10 >= nextTenth[i]! * total) nextTenth[i]!++;
      log(`${tag(i)} ${String(Math.floor((100 * done) / total)).padStart(3)}% | ${stepDetail(plan[i]!, stats)}`);
    },
    finished(i, summary) {
      doneSteps[i] = plan[i]!.steps;
      finished++;
      const o = overall();
      log(`${tag(i)} ${summary} | ${finished}/${plan.length} runs done, ${o.elapsed} elapsed, eta ${o.eta}`);
    },
    stop: () => {},
  };
}

/** Fixed-width columns, so the line does not shift as numbers change. */
function stepDetail(run: PlannedRun, s: StepStats | null): string {
  const show = (x: number | undefined, text: () => string, width: number) => (x !== undefined && Number.isFinite(x) ? text() : '-').padStart(width);
  const epochWidth = String(run.epochs).length;
  return `epoch ${String(s?.epoch ?? 1).padStart(epochWidth)}/${run.epochs} | loss ${show(s?.loss, () => s!.loss.toFixed(3), 6)} | ` +
    `train acc ${show(s?.accuracy, () => `${(100 * s!.accuracy).toFixed(1)}%`, 6)} | ${show(s?.imagesPerSecond, () => Math.round(s!.imagesPerSecond).toString(), 5)} img/s`;
}

/** 75 -> "1m15s", 4 -> "4s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
