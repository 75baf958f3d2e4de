// The lab's data file (browser-safe): the images of a data set's fixed split (data.ts) that the lab can use,
// packed at build time from the npm packages (lab/build.ts) and read back in the page as an `Images` whose
// pixels are bit-identical to the Node loaders' (datasets.ts), so splitImages gives the page the CLI's data.
import { PIXELS, SPLIT_SEED } from '../data.js';
import type { DatasetName, Images } from '../datasets.js';
import { Rng } from '../random.js';

const FORMAT = 'minigrad-lab-images';
const VERSION = 1;
/** Pixels are stored as one byte: an index into a palette of at most 256 float32 values. */
const PALETTE = 256;

export interface LabImagesHeader {
  format: typeof FORMAT;
  version: number;
  dataset: DatasetName;
  title: string;
  /** Images in the whole data set (what SPLIT_SEED permutes). */
  size: number;
  /** Images stored: the first `count` of the split's permutation (train images first, then test images). */
  count: number;
}

/**
 * Packs the first `count` images of the split's order: a little-endian u32 header length, the JSON header
 * (padded with spaces to a multiple of 4 bytes), a palette of 256 float32 pixel values, `count` x 784
 * palette indices, then `count` labels. Fashion-MNIST's pixels are k/255 and MNIST's the package's
 * 3-decimal values: at most 256 distinct floats either way, so nothing is lost.
 */
export function packImages(all: Images, dataset: DatasetName, count: number): Uint8Array {
  if (!(Number.isInteger(count) && count >= 1 && count <= all.size)) throw new RangeError(`packImages: ${count} images of the ${all.size} of ${all.name}`);
  const order = new Rng(SPLIT_SEED).permutation(all.size);
  const palette = new Map<number, number>();
  const indices = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const image = new Float32Array(PIXELS);
  for (let i = 0; i < count; i++) {
    all.copyImage(order[i]!, image, 0);
    labels[i] = all.labels[order[i]!]!;
    for (let p = 0; p < PIXELS; p++) {
      let k = palette.get(image[p]!);
      if (k === undefined) {
        if (palette.size === PALETTE) throw new Error(`packImages: ${all.name} has more than ${PALETTE} distinct pixel values`);
        palette.set(image[p]!, (k = palette.size));
      }
      indices[i * PIXELS + p] = k;
    }
  }
  const header: LabImagesHeader = { format: FORMAT, version: VERSION, dataset, title: all.name, size: all.size, count };
  let json = JSON.stringify(header);
  json += ' '.repeat((4 - (json.length % 4)) % 4);
  const out = new Uint8Array(4 + json.length + 4 * PALETTE + count * (PIXELS + 1));
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(new TextEncoder().encode(json), 4);
  const values = new Float32Array(PALETTE);
  for (const [value, k] of palette) values[k] = value;
  out.set(new Uint8Array(values.buffer), 4 + json.length);
  out.set(indices, 4 + json.length + 4 * PALETTE);
  out.set(labels, 4 + json.length + 4 * PALETTE + count * PIXELS);
  return out;
}

export interface LabImages extends Images {
  header: LabImagesHeader;
  /** Images of the split's order stored: splitImages(images, train, test) needs train + test ≤ this. */
  available: number;
  /** The stored pixels of image `i` of the data set as 0..255 gray levels, for drawing. */
  grayLevels(i: number): Uint8ClampedArray;
}

/**
 * Reads a packed file back as the whole data set, of which only the stored images can be copied: image i
 * of the data set is the one at i's place in the split's permutation.
 */
export function unpackImages(bytes: Uint8Array): LabImages {
  const fail = (why: string): never => {
    throw new Error(`not a ${FORMAT} file: ${why}`);
  };
  if (bytes.length < 4) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  if (4 + length > bytes.length) fail('header longer than the file');
  let header: LabImagesHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as LabImagesHeader;
  } catch {
    return fail('unreadable header');
  }
  if (header.format !== FORMAT || header.version !== VERSION) fail(`format ${String(header.format)} version ${String(header.version)}`);
  const { size, count } = header;
  if (!(Number.isInteger(size) && Number.isInteger(count) && count >= 1 && count <= size)) fail(`${count} of ${size} images`);
  const start = 4 + length;
  if (bytes.length !== start + 4 * PALETTE + count * (PIXELS + 1)) fail(`${bytes.length} bytes for ${count} images`);
  const palette = new Float32Array(bytes.slice(start, start + 4 * PALETTE).buffer);
  const pixels = bytes.subarray(start + 4 * PALETTE, start + 4 * PALETTE + count * PIXELS);
  const stored = bytes.subarray(start + 4 * PALETTE + count * PIXELS);
  const order = new Rng(SPLIT_SEED).permutation(size);
  const place = new Int32Array(size).fill(-1);
  const labels = new Uint8Array(size);
  for (let k = 0; k < count; k++) {
    place[order[k]!] = k;
    labels[order[k]!] = stored[k]!;
  }
  const at = (i: number) => {
    const k = place[i] ?? -1;
    if (k < 0) throw new RangeError(`image ${i} of ${header.title} is not in the lab's file (it holds the split's first ${count})`);
    return k * PIXELS;
  };
  const gray = palette.map((v) => Math.round(v * 255));
  return {
    header,
    name: header.title,
    size,
    available: count,
    labels,
    copyImage(i, into, offset) {
      const from = at(i);
      for (let p = 0; p < PIXELS; p++) into[offset + p] = palette[pixels[from + p]!]!;
    },
    grayLevels(i) {
      const from = at(i);
      const out = new Uint8ClampedArray(PIXELS);
      for (let p = 0; p < PIXELS; p++) out[p] = gray[pixels[from + p]!]!;
      return out;
    },
  };
}
