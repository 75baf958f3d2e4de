import { describe, expect, it } from 'vitest';
import { gatherBatch, loadMnist, MNIST_SIZE, PIXELS } from '../src/data.js';
import { Rng } from '../src/random.js';

describe('loadMnist', () => {
  const a = loadMnist(600, 400);

  it('returns the requested sizes with labels 0..9', () => {
    expect(a.train.images.length).toBe(600 * PIXELS);
    expect(a.test.images.length).toBe(400 * PIXELS);
    expect(a.train.labels.length).toBe(600);
    for (const y of [...a.train.labels, ...a.test.labels]) expect(y >= 0 && y <= 9).toBe(true);
    expect(new Set(a.train.labels).size).toBe(10);
  });

  it('normalizes with the training mean and std', () => {
    const x = a.train.images;
    let s = 0;
    let q = 0;
    for (const v of x) s += v;
    const m = s / x.length;
    for (const v of x) q += (v - m) ** 2;
    expect(Math.abs(m)).toBeLessThan(1e-4);
    expect(Math.sqrt(q / x.length)).toBeCloseTo(1, 4);
    expect(a.std).toBeGreaterThan(0);
  });

  it('uses a fixed split: the same images every time, train and test disjoint', () => {
    const b = loadMnist(600, 400);
    const bytes = (x: Float32Array | Int32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    expect(bytes(b.train.images).equals(bytes(a.train.images))).toBe(true);
    expect(bytes(b.test.labels).equals(bytes(a.test.labels))).toBe(true);
    const key = (imgs: Float32Array, i: number) => bytes(imgs.subarray(i * PIXELS, (i + 1) * PIXELS)).toString('base64');
    const train = new Set(Array.from({ length: 600 }, (_, i) => key(a.train.images, i)));
    let shared = 0;
    for (let i = 0; i < 400; i++) if (train.has(key(a.test.images, i))) shared++;
    // MNIST has a few exact duplicates at most; an overlapping split would share hundreds here.
    expect(shared).toBeLessThan(3);
  });

  it('rejects sizes beyond the package', () => {
    expect(() => loadMnist(MNIST_SIZE, 1)).toThrow(/do not fit/);
  });

  it('gathers a batch in the given order', () => {
    const order = new Rng(3).permutation(600);
    const batch = gatherBatch(a.train, order, 10, 2);
    expect(batch.labels).toEqual(Int32Array.from([a.train.labels[order[10]!]!, a.train.labels[order[11]!]!]));
    expect([...batch.images.subarray(PIXELS)]).toEqual([...a.train.images.subarray(order[11]! * PIXELS, (order[11]! + 1) * PIXELS)]);
  });
});

describe('Rng', () => {
  it('is a permutation, reproducible from its state', () => {
    const r = new Rng(42);
    const p = r.permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const saved = r.state;
    const next = r.permutation(50);
    expect(new Rng(saved).permutation(50)).toEqual(next);
    expect(new Rng(42).permutation(50)).toEqual(p);
  });
});
