// The lab's Node-side pieces and the code its workers run, without a browser: the packed data gives the
// CLI's split bit for bit, a lab run gives the CLI's numbers (its live views do not disturb training), the
// server sends the isolation headers, results.json is the CLI's and renders as its report.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PIXELS, SPLIT_SEED, splitImages } from '../src/data.js';
import { parseCli } from '../src/cli.js';
import { Rng } from '../src/random.js';
import { loadData, loadImages, type DatasetName } from '../src/datasets.js';
import { packImages, unpackImages } from '../src/lab/images.js';
import { labMain, labReport } from '../src/lab/main.js';
import { serveLab } from '../src/lab/serve.js';
import { runLab } from '../src/lab/run.js';
import { checkRun, LAB_DEFAULTS, labData, labResults, partialResult, type LabMessage, type LabRun } from '../src/lab/session.js';
import { executeRun } from '../src/run.js';
import { capture, tempDir } from './helpers.js';

const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('the packed data file', () => {
  test.each<[DatasetName]>([['mnist'], ['fashion']])('%s: the split read back is the CLI\'s, bit for bit', (dataset) => {
    const all = loadImages(dataset); // Fashion-MNIST: parsed from the package once, then from the cache
    const packed = unpackImages(packImages(all, dataset, 500));
    expect(packed.available).toBe(500);
    expect(packed.header.dataset).toBe(dataset);
    for (const [train, test] of [[400, 100], [150, 50]] as const) {
      const lab = labData(packed, { trainSize: train, testSize: test });
      const cli = splitImages(all, train, test); // what the CLI's loadData returns
      expect([lab.mean, lab.std]).toEqual([cli.mean, cli.std]);
      expect(sameBits(lab.train.images, cli.train.images)).toBe(true);
      expect(sameBits(lab.test.images, cli.test.images)).toBe(true);
      expect([...lab.train.labels]).toEqual([...cli.train.labels]);
      expect([...lab.test.labels]).toEqual([...cli.test.labels]);
    }
    // images past the stored ones are an error, not zeros
    expect(() => labData(packed, { trainSize: 400, testSize: 101 })).toThrow(/is not in the lab's file \(it holds the split's first 500\)/);
  }, 120_000);

  test('gray levels for drawing, and broken files are refused with a reason', () => {
    const bytes = packImages(loadImages('mnist'), 'mnist', 20);
    const packed = unpackImages(bytes);
    const images = new Float32Array(PIXELS);
    const index = new Rng(SPLIT_SEED).permutation(packed.size)[7]!; // the 8th image stored
    packed.copyImage(index, images, 0);
    expect([...packed.grayLevels(index)]).toEqual([...images].map((v) => Math.round(v * 255)));
    expect(() => unpackImages(bytes.subarray(0, bytes.length - 1))).toThrow(/not a minigrad-lab-images file: \d+ bytes for 20 images/);
    expect(() => unpackImages(new Uint8Array([1, 0, 0, 0, 0x7b]))).toThrow(/not a minigrad-lab-images file: unreadable header/);
    expect(() => unpackImages(new Uint8Array(2))).toThrow(/too short/);
    const other = bytes.slice();
    other[4 + 11] ^= 1; // a letter of "format"
    expect(() => unpackImages(other)).toThrow(/not a minigrad-lab-images file/);
  });
});

describe('a lab run (what each Web Worker runs)', () => {
  const run: LabRun = { ...LAB_DEFAULTS, dataset: 'mnist', trainSize: 60, testSize: 30, epochs: 1, evalsPerEpoch: 3, norm: 'batch', batchSize: 2 };
  const data = labData(unpackImages(packImages(loadImages('mnist'), 'mnist', 90)), run);

  test('gives the numbers of the CLI\'s executeRun, and posts its views in order', () => {
    const messages: LabMessage[] = [];
    const result = runLab(run, data, (m) => messages.push(structuredClone(m)));
    const argv = ['--dataset', 'mnist', '--train-size', '60', '--test-size', '30', '--epochs', '1', '--evals-per-epoch', '3', '--norms', 'batch', '--batch-sizes', '2', '--seeds', '1'];
    const parsed = parseCli(argv);
    if (parsed.help) throw new Error('unexpected --help');
    const cli = executeRun(parsed.options, loadData('mnist', 60, 30), { norm: 'batch', batchSize: 2, seed: 0 });
    const numbers = (r: typeof result) => ({ ...r, seconds: 0, measureSeconds: 0, imagesPerSecond: 0 });
    expect(numbers(result)).toEqual(numbers(cli));
    expect(result.bnNoise).toHaveLength(7);

    const types = messages.map((m) => m.type);
    expect(types[0]).toBe('ready');
    expect(types.at(-1)).toBe('done');
    expect(types.filter((t) => t === 'point')).toHaveLength(3);
    expect(types.indexOf('measuring')).toBe(types.length - 2);
    const ready = messages[0] as Extract<LabMessage, { type: 'ready' }>;
    expect(ready.steps).toBe(30);
    expect(ready.bnLayers).toEqual(result.bnNoise!.map((n) => n.layer));
    expect(ready.dot).toMatch(/^digraph autograd \{/);
    expect(ready.dot).toContain('label="stem.weight\\n[8,1,3,3]\\nrequiresGrad"');
    expect(ready.tape.split('\n')[0]).toMatch(/^%0 = conv2d\(/);
    expect(ready.samples.map((s) => s.label)).toEqual([...data.test.labels.subarray(0, 8)]);
    const points = messages.filter((m): m is Extract<LabMessage, { type: 'point' }> => m.type === 'point');
    expect(points.map((p) => p.point)).toEqual(result.curve);
    expect(points.flatMap((p) => p.gradients)).toEqual(result.gradients);
    for (const p of points) {
      expect(p.noise.map((n) => n.layer)).toEqual(ready.bnLayers);
      expect(p.noise.every((n) => n.meanNoise > 0 && n.varNoise > 0 && n.epoch === p.point.epoch)).toBe(true);
      expect(p.predictions).toHaveLength(8);
      expect(p.predictions.every((c) => Number.isInteger(c) && c >= 0 && c < 10)).toBe(true);
    }
    expect((messages.at(-1) as Extract<LabMessage, { type: 'done' }>).result).toEqual(result);

    // results.json: the CLI's format, with the lab's run states; the CLI's report renders it
    const gn = { ...run, norm: 'group' as const };
    const partial = partialResult(gn, result.curve.slice(0, 1), [], 10, 0.5);
    const results = labResults(run, data, [{ run, result, finished: true, steps: 30 }, { run: gn, result: partial, finished: false, steps: 30 }], 3, { node: 'none', platform: 'test', cpu: 'unknown', cpus: 1 });
    expect(results.config).toMatchObject({ dataset: 'mnist', normLayers: 'conv', norms: ['batch', 'group'], batchSizes: [2], seeds: [0], trainSize: 60 });
    expect(results.summary.find((s) => s.norm === 'batch' && s.metric === 'test-error-precise-bn')?.values).toEqual([result.testErrorPreciseBn]);
    expect(results.summary.find((s) => s.norm === 'group' && s.metric === 'test-error')?.values).toEqual([result.curve[0]!.testError]);
    expect(results.lab.runs).toEqual([
      { norm: 'batch', batchSize: 2, finished: true, stepsDone: 30, steps: 30 },
      { norm: 'group', batchSize: 2, finished: false, stepsDone: 10, steps: 30 },
    ]);
    const dir = tempDir('lab-report');
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    const log = capture();
    return labMain(['--report', join(dir, 'results.json')], log.stream).then((closed) => {
      expect(closed).toBeNull();
      expect(log.text()).toMatch(/^Wrote .*report\.html\n$/);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      expect(html).toContain('(the lab)</h1>');
      expect(html).toContain('"fig-gradients"');
      expect(() => labReport({} as never)).toThrow(/not a results.json/);
    });
  }, 60_000);

  test('settings the page cannot run are refused with the reason', () => {
    expect(checkRun(run, 90)).toBeNull();
    expect(checkRun({ ...run, trainSize: 80 }, 90)).toBe('80 training + 30 test images: the page holds 90 of this data set');
    expect(checkRun({ ...run, batchSize: 1 }, 90)).toBe('BatchNorm needs 2 or more images per batch');
    expect(checkRun({ ...run, norm: 'group', batchSize: 1 }, 90)).toBeNull();
    expect(checkRun({ ...run, norm: 'group', groups: 3 }, 90)).toBe('G = 3: 8 channels are not divisible by 3 groups');
    expect(checkRun({ ...run, lr: 0 }, 90)).toMatch(/^learning rate 0/);
    expect(checkRun({ ...run, epochs: 1.5 }, 90)).toMatch(/whole numbers/);
    expect(() => runLab({ ...run, batchSize: 61 }, data, () => {})).toThrow(/batch size 61/);
  });
});

describe('pnpm lab', () => {
  test('--help, and bad options', async () => {
    const help = capture();
    expect(await labMain(['--', '--help'], help.stream)).toBeNull();
    expect(help.text()).toMatch(/^Usage: lab \[--build-only\]/);
    await expect(labMain(['--port', 'x'])).rejects.toThrow(/--port: expected a port number, got 'x'/);
    await expect(labMain(['--nope'])).rejects.toThrow(/Unknown option '--nope'/);
  });

  test('the server sends the COOP/COEP headers, the right types, and nothing outside its folder', async () => {
    const dir = tempDir('lab-serve');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>');
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'mnist.bin'), new Uint8Array([1, 2, 3]));
    const server = await serveLab(dir);
    try {
      const page = await fetch(server.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>lab</title>');
      const data = await fetch(`${server.url}data/mnist.bin`);
      expect(data.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await data.arrayBuffer())]).toEqual([1, 2, 3]);
      expect((await fetch(`${server.url}%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
      expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('lab');
  });
});
