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

describe('progress', () => {
  it('logs about one plain line per tenth of a run when the output is not a terminal', () => {
    const { stream, text } = sink(false);
    const bar = createProgress(stream).startRun('BN b=2 seed 0', 1000);
    for (let i = 1; i <= 1000; i++) bar.update(i, stats(i));
    bar.finish('test error 3.10%');
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('BN b=2 seed 0  10% | epoch 1 | loss 0.020 | train acc 100.0% | 500 img/s');
    expect(lines[9]).toContain('100%');
    expect(lines[10]).toBe('BN b=2 seed 0 test error 3.10%');
    expect(text()).not.toContain('\u001b');
  });

  it('draws a bar on a terminal and leaves the summary line', () => {
    const { stream, text } = sink(true);
    const bar = createProgress(stream).startRun('GN b=2 seed 0', 10);
    for (let i = 1; i <= 10; i++) bar.update(i, stats(i));
    bar.finish('test error 2.00%');
    expect(text()).toContain('train acc');
    expect(text()).toContain('img/s');
    expect(text().trimEnd().endsWith('GN b=2 seed 0 test error 2.00%')).toBe(true);
  });
});
