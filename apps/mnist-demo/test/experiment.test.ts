import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCheckpoints } from '../src/checkpoint.js';
import { parseCli } from '../src/cli.js';
import { loadData } from '../src/datasets.js';
import { main } from '../src/main.js';
import { buildModel } from '../src/models/index.js';
import { trainSettings } from '../src/run.js';
import type { Results, RunResult } from '../src/report/results.js';
import { train, type Checkpoints } from '../src/train.js';
import { UsageError } from '../src/usage-error.js';
import { capture, tempDir } from './helpers.js';

const SMALL = ['--dataset', 'mnist', '--workers', '1', '--threads', '1', '--train-size', '400', '--test-size', '200', '--norms', 'batch,group', '--batch-sizes', '4', '--seeds', '1', '--evals-per-epoch', '4'];

async function experiment(argv: string[], out = tempDir('run')): Promise<{ results: Results; log: string; out: string }> {
  const log = capture();
  await main([...argv, '--out', out], log.stream);
  return { results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results, log: log.text(), out };
}

/** A run's numbers without its timings, which differ between two identical runs. */
const numbers = (r: RunResult) => ({ ...r, seconds: 0, measureSeconds: 0, imagesPerSecond: 0 });

describe('the experiment, end to end on a few hundred images', () => {
  let first: Awaited<ReturnType<typeof experiment>>;
  beforeAll(async () => {
    first = await experiment([...SMALL, '--epochs', '1']);
  }, 60_000);

  it('trains every planned run and the training loss falls', () => {
    expect(first.results.runs.map((r) => r.norm)).toEqual(['batch', 'group']);
    for (const run of first.results.runs) {
      expect(run.steps).toBe(100);
      expect(run.curve).toHaveLength(4);
      const [start, end] = [run.curve[0]!, run.curve.at(-1)!];
      expect(end.trainLoss).toBeLessThan(start.trainLoss);
      expect(run.testError).toBeLessThan(90); // better than chance on the held-out digits
      expect(run.gradients.length).toBeGreaterThan(0);
      expect(run.trainError).toBeGreaterThan(0);
    }
    const [bn, gn] = first.results.runs;
    expect(bn!.testErrorPreciseBn).toBeGreaterThan(0);
    expect(bn!.testErrorTrainMode).toBeGreaterThan(0);
    expect(bn!.bnNoise!.map((l) => l.layer)).toEqual(['stemNorm', 'block1.norm1', 'block1.norm2', 'block1.shortcutNorm', 'block2.norm1', 'block2.norm2', 'block2.shortcutNorm']);
    expect(gn!.bnNoise).toBeUndefined();
  });

  it('prints the table and writes results.json and report.html', () => {
    expect(first.log).toMatch(/Test error \(%\) in eval mode/);
    expect(first.log).toMatch(/^BN\s+\d+\.\d\d$/m);
    expect(first.log).toMatch(/^GN\s+\d+\.\d\d$/m);
    expect(first.log).toMatch(/^BN test, precise BN\s+\d+\.\d\d$/m);
    expect(first.log).toMatch(/^block2\.shortcutNorm\s+\d\.\d{3} \/ \d\.\d{3}$/m);
    const html = readFileSync(join(first.out, 'report.html'), 'utf8');
    expect(html).toContain('<div id="fig-4">');
    expect(html).toContain('<div id="fig-mechanism">');
    // BN: 4 metrics, GN: test and train error
    expect(first.results.summary.map((s) => `${s.norm} ${s.metric}`)).toEqual([
      'batch test-error', 'batch test-error-train-mode', 'batch test-error-precise-bn', 'batch train-error', 'group test-error', 'group train-error',
    ]);
    expect(first.results.config).toMatchObject({ trainSize: 400, dataset: 'mnist', normLayers: 'conv', model: 'resnet' });
  });

  it('gives the same numbers for the same seed, with any number of threads', async () => {
    const again = await experiment([...SMALL, '--epochs', '1', '--threads', '2']);
    expect(first.results.config.threads).toBe(1);
    expect(again.results.runs.map(numbers)).toEqual(first.results.runs.map(numbers));
  });

  it("trains under --conv winograd: other numbers from the same seed, the same to a few percent, recorded in results.json", async () => {
    const winograd = await experiment([...SMALL, '--epochs', '1', '--conv', 'winograd']);
    expect(winograd.results.config.conv).toBe('winograd');
    expect(first.results.config.conv).toBe('gemm');
    const [a, b] = [first.results.runs.map(numbers), winograd.results.runs.map(numbers)];
    // Another rounding: the runs drift apart, but train as well (test errors within 3 points of each other here).
    expect(b).not.toEqual(a);
    first.results.runs.forEach((run, i) => expect(Math.abs(run.testError - winograd.results.runs[i].testError), `run ${i}`).toBeLessThan(3));
  });

  it('gives the same numbers with runs in worker threads (the built program)', () => {
    const app = join(dirname(fileURLToPath(import.meta.url)), '..');
    execFileSync('npx', ['tsc', '-b'], { cwd: app, stdio: 'pipe' });
    const out = tempDir('workers');
    execFileSync(process.execPath, ['dist/main.js', ...SMALL, '--epochs', '1', '--workers', '2', '--out', out], { cwd: app, stdio: 'pipe' });
    const workers = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(workers.config.workers).toBe(2);
    expect(workers.runs.map(numbers)).toEqual(first.results.runs.map(numbers));
  });

  it('continues an interrupted run exactly', async () => {
    // BN: its running statistics are buffers in the state dict, the momentum buffers are in the optimizer's.
    const bn = [...SMALL, '--norms', 'batch', '--epochs', '2'];
    const straight = await experiment(bn);

    // The same run, stopped by a crash right after its first checkpoint.
    const dir = tempDir('resume');
    const parsed = parseCli([...bn, '--save', '--out', dir]);
    if (parsed.help) throw new Error('unreachable');
    const o = parsed.options;
    const run = { norm: 'batch', batchSize: 4, seed: 0 } as const;
    const settings = trainSettings(o, run);
    const checkpoints = runCheckpoints(o, run, settings);
    const crashAfterSaving: Checkpoints = {
      load: (t) => checkpoints.load(t),
      save: (t, state) => {
        checkpoints.save(t, state);
        throw new Error('interrupted');
      },
    };
    const model = buildModel({ model: o.model, norm: 'batch', blocks: o.blocks, groups: o.groups, seed: 0 });
    expect(() => train(model, loadData(o.dataset, o.trainSize, o.testSize), settings, undefined, crashAfterSaving)).toThrow('interrupted');
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['batch-b4-s0.epoch1.safetensors', 'batch-b4-s0.json']);

    const resumed = await experiment([...bn, '--resume'], dir);
    expect(resumed.results.runs.map(numbers)).toEqual(straight.results.runs.map(numbers));
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['batch-b4-s0.epoch2.safetensors', 'batch-b4-s0.json']);
  });

  it('refuses to resume a checkpoint saved with other options, or a damaged one, with a usage error', async () => {
    const dir = tempDir('mismatch');
    const gn = [...SMALL, '--epochs', '1', '--norms', 'group'];
    await experiment([...gn, '--save'], dir);
    await expect(experiment([...gn, '--lr', '0.2', '--resume'], dir)).rejects.toThrow(UsageError);
    await expect(experiment([...gn, '--lr', '0.2', '--resume'], dir)).rejects.toThrow(/--resume: .*saved with other options/);
    rmSync(join(dir, 'checkpoints', 'group-b4-s0.epoch1.safetensors'));
    await expect(experiment([...gn, '--resume'], dir)).rejects.toThrow(/--resume: cannot load the checkpoint .*group-b4-s0\.json/);
    writeFileSync(join(dir, 'checkpoints', 'group-b4-s0.json'), '{"half": ');
    await expect(experiment([...gn, '--resume'], dir)).rejects.toThrow(/--resume: .*group-b4-s0\.json is not a checkpoint/);
  });
}, 120_000);
