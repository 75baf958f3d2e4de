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

export interface RunBar {
  update(stepsDone: number, stats: StepStats): void;
  /** Ends the bar and prints one summary line under it. */
  finish(summary: string): void;
}

export interface Progress {
  startRun(label: string, totalSteps: number): RunBar;
  log(line: string): void;
}

export type Output = Writable & { isTTY?: boolean };

/**
 * A progress bar per run on a terminal (cli-progress); plain log lines, about one per tenth of a run,
 * when the output is a file or a pipe (CI), where redrawn bars would only produce noise.
 */
export function createProgress(out: Output = process.stdout): Progress {
  const log = (line: string) => void out.write(line + '\n');
  return { startRun: out.isTTY ? (label, total) => terminalBar(out, label, total) : (label, total) => logLines(log, label, total), log };
}

function terminalBar(out: Output, label: string, total: number): RunBar {
  const bar = new cliProgress.SingleBar(
    {
      stream: out as NodeJS.WritableStream,
      format: '{label} {bar} {percentage}% | epoch {epoch} | loss {loss} | train acc {acc} | {speed} img/s | eta {eta_formatted}',
      hideCursor: false, // training blocks the event loop, so nothing could restore a hidden cursor after Ctrl-C
      barsize: 24,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label, ...payload({ epoch: 1, loss: NaN, accuracy: NaN, imagesPerSecond: NaN }) });
  return {
    update: (done, stats) => bar.update(done, payload(stats)),
    finish: (summary) => {
      bar.stop();
      out.write(`${label} ${summary}\n`);
    },
  };
}

function logLines(log: (line: string) => void, label: string, total: number): RunBar {
  let nextTenth = 1;
  return {
    update: (done, stats) => {
      if (done * 10 < nextTenth * total) return;
      while (done * 10 >= nextTenth * total) nextTenth++;
      const p = payload(stats);
      const pct = String(Math.floor((100 * done) / total)).padStart(3);
      log(`${label} ${pct}% | epoch ${p.epoch} | loss ${p.loss} | train acc ${p.acc} | ${p.speed} img/s`);
    },
    finish: (summary) => log(`${label} ${summary}`),
  };
}

function payload(s: StepStats) {
  const show = (x: number, text: string) => (Number.isFinite(x) ? text : '-');
  return {
    epoch: s.epoch,
    loss: show(s.loss, s.loss.toFixed(3)),
    acc: show(s.accuracy, `${(100 * s.accuracy).toFixed(1)}%`),
    speed: show(s.imagesPerSecond, Math.round(s.imagesPerSecond).toString()),
  };
}
