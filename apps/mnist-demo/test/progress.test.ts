import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';
import { capture } from './helpers.js';

/** capture()'s stream, optionally posing as a terminal (the calls cli-progress makes on one do nothing). */
function sink(isTTY: boolean) {
  const { stream: writable, text } = capture();
  const stream = writable as Writable & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
  if (isTTY) {
    stream.isTTY = true;
    stream.columns = 160;
    stream.cursorTo = (_x: number, _y?: number, cb?: () => void) => cb?.();
    stream.clearLine = (_d: number, cb?: () => void) => cb?.();
    stream.moveCursor = (_dx: number, _dy: number, cb?: () => void) => cb?.();
  }
  return { stream, text };
}

const stats = (i: number) => ({ epoch: 1, loss: 2 / i, accuracy: i / 100, imagesPerSecond: 500 });

const plan = [
  { label: 'BN   batch  2 seed 0', steps: 1000, epochs: 2, batchSize: 2 },
  { label: 'GN   batch 32 seed 0', steps: 10, epochs: 2, batchSize: 32 },
];

describe('progress', () => {
  it('logs about one plain line per tenth of a run and one per finished run when the output is not a terminal', () => {
    const { stream, text } = sink(false);
    const progress = createProgress(plan, stream);
    progress.started(0);
    for (let i = 1; i <= 1000; i++) progress.steps(0, i, stats(i));
    progress.finished(0, 'test error 3.10%');
    progress.stop();
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('[1/2] BN   batch  2 seed 0  10% | epoch 1/2 | loss  0.020 | train acc 100.0% |   500 img/s');
    expect(lines[9]).toContain('100%');
    expect(lines[10]).toMatch(/^\[1\/2\] BN   batch  2 seed 0 test error 3\.10% \| 1\/2 runs done, \d+s elapsed, eta \d+s$/);
    expect(text()).not.toContain('\u001b');
  });

  it('keeps the columns in place as the numbers change', () => {
    const { stream, text } = sink(false);
    const progress = createProgress(plan, stream);
    progress.steps(0, 100, { epoch: 1, loss: 12.5, accuracy: 0.05, imagesPerSecond: 12 });
    progress.steps(0, 200, { epoch: 2, loss: 0.012, accuracy: 1, imagesPerSecond: 12345 });
    progress.steps(0, 300, { epoch: 2, loss: NaN, accuracy: NaN, imagesPerSecond: NaN });
    const lines = text().trim().split('\n');
    const bars = lines.map((l) => [...l.matchAll(/\|/g)].map((m) => m.index));
    expect(bars[1]).toEqual(bars[0]);
    expect(bars[2]).toEqual(bars[0]);
  });

  it("on a terminal, draws a bar for all runs and one per run in progress, and leaves each run's summary line", () => {
    const { stream, text } = sink(true);
    const progress = createProgress(plan, stream);
    progress.started(0);
    progress.started(1);
    for (let i = 1; i <= 10; i++) progress.steps(1, i, stats(i));
    progress.finished(1, 'test error 2.00%');
    progress.stop();
    expect(text()).toContain('all runs');
    expect(text()).toContain('train acc');
    expect(text()).toContain('1/2 runs');
    expect(text()).toContain('[2/2] GN   batch 32 seed 0 test error 2.00%');
  });
});
