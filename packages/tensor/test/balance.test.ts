// How work is cut between threads (kernels/wasm/balance.ts): in proportion to the threads' measured speeds,
// within limits, on multiples of a granule, always covering all of it.
import { afterEach, describe, expect, it } from 'vitest';
import { recordSpeeds, resetSpeeds, setSpeeds, splitBounds } from '../src/kernels/wasm/balance.js';

const saved = setSpeeds([1]);
afterEach(() => setSpeeds(saved));

/** The size of each thread's share. */
const shares = (bounds: number[]) => bounds.slice(1).map((b, t) => b - bounds[t]);

describe('splitBounds', () => {
  it('cuts evenly among threads measured equally fast, and covers everything in order', () => {
    resetSpeeds(4);
    expect(splitBounds(32, 2)).toEqual([0, 16, 32]);
    expect(splitBounds(12, 3)).toEqual([0, 4, 8, 12]);
    expect(splitBounds(512, 2, 16)).toEqual([0, 256, 512]);
    for (const [n, T, granule] of [[7, 3, 1], [1, 2, 1], [0, 2, 1], [100, 4, 16], [37, 2, 4]]) {
      const bounds = splitBounds(n, T, granule);
      expect(bounds).toHaveLength(T + 1);
      expect(bounds[0]).toBe(0);
      expect(bounds[T]).toBe(n);
      expect(shares(bounds).every((s) => s >= 0)).toBe(true);
      expect(bounds.slice(1, -1).every((b) => b % granule === 0)).toBe(true);
    }
  });

  it('gives a faster thread more, within 0.5x to 1.5x of an even share', () => {
    setSpeeds([3, 1]);
    expect(splitBounds(100, 2)).toEqual([0, 75, 100]);
    setSpeeds([100, 1]);
    expect(splitBounds(100, 2)).toEqual([0, 75, 100]);
    setSpeeds([1, 100]);
    expect(splitBounds(100, 2)).toEqual([0, 25, 100]);
    setSpeeds([1.5, 1]);
    expect(splitBounds(100, 2)).toEqual([0, 60, 100]);
    // Threads beyond those measured count as average.
    setSpeeds([2]);
    expect(shares(splitBounds(300, 3))).toEqual([150, 75, 75]);
  });
});

describe('recordSpeeds', () => {
  it('moves each estimate part of the way to the measured rate', () => {
    resetSpeeds(2);
    // Thread 0 did 60 units in 1 ms, thread 1 did 40 in 2 ms: rates 60 and 20, 1.5 and 0.5 of their mean.
    recordSpeeds([0, 60, 100], [1, 2]);
    const bounds = splitBounds(1000, 2);
    expect(bounds[1]).toBeGreaterThan(500);
    expect(bounds[1]).toBeLessThan(750);
    for (let i = 0; i < 20; i++) recordSpeeds([0, 60, 100], [1, 2]);
    expect(splitBounds(1000, 2)).toEqual([0, 750, 1000]);
  });

  it('ignores a job in which a thread had nothing to do, or that took no measurable time', () => {
    resetSpeeds(2);
    recordSpeeds([0, 10, 10], [1, 0]);
    recordSpeeds([0, 10, 20], [Number.NaN, 1]);
    expect(splitBounds(100, 2)).toEqual([0, 50, 100]);
  });
});
