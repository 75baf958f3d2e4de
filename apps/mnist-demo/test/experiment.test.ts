import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Results, RunResult } from '../src/report/results.js';
import { UsageError } from '../src/usage-error.js';
import { capture, tempDir } from './helpers.js';

const SMALL = ['--train-size', '400', '--test-size', '200', '--norms', 'batch,group', '--batch-sizes', '4', '--seeds', '1', '--evals-per-epoch', '4'];

function experiment(argv: string[], out = tempDir('run')): { results: Results; log: string; out: string } {
  const log = capture();
  main([...argv, '--out', out], log.stream);
  return { results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results, log: log.text(), out };
}

/** A run's numbers without its timings, which differ between two identical runs. */
const numbers = (r: RunResult) => ({ ...r, seconds: 0, imagesPerSecond: 0 });

describe('the experiment, end to end on a few hundred images', () => {
  let first: ReturnType<typeof experiment>;
  beforeAll(() => {
    first = experiment([...SMALL, '--epochs', '1']);
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
    }
  });

  it('prints the table and writes results.json and report.html', () => {
    expect(first.log).toMatch(/Test error \(%\) in eval mode/);
    expect(first.log).toMatch(/^BN\s+\d+\.\d\d$/m);
    expect(first.log).toMatch(/^GN\s+\d+\.\d\d$/m);
    const html = readFileSync(join(first.out, 'report.html'), 'utf8');
    expect(html).toContain('<div id="fig-curves">');
    expect(html).toContain('<div id="fig-gradients">');
    expect(first.results.summary).toHaveLength(2);
    expect(first.results.options.trainSize).toBe(400);
  });

  it('gives the same numbers for the same seed', () => {
    const again = experiment([...SMALL, '--epochs', '1']);
    expect(again.results.runs.map(numbers)).toEqual(first.results.runs.map(numbers));
  });

  it('continues a saved run exactly: 1 epoch + resume to 2 equals 2 epochs straight', () => {
    // BN: its running statistics are buffers in the state dict, the momentum buffers are in the optimizer's.
    const bn = [...SMALL, '--norms', 'batch'];
    const straight = experiment([...bn, '--epochs', '2']);
    const dir = tempDir('resume');
    experiment([...bn, '--epochs', '1', '--save'], dir);
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['batch-b4-s0.epoch1.safetensors', 'batch-b4-s0.json']);
    const resumed = experiment([...bn, '--epochs', '2', '--resume'], dir);
    expect(resumed.results.runs.map(numbers)).toEqual(straight.results.runs.map(numbers));
    expect(existsSync(join(dir, 'checkpoints', 'batch-b4-s0.epoch1.safetensors'))).toBe(false);
    expect(existsSync(join(dir, 'checkpoints', 'batch-b4-s0.epoch2.safetensors'))).toBe(true);
    expect(() => experiment([...bn, '--epochs', '1', '--resume'], dir)).toThrow(/has 2 epochs, more than --epochs 1/);
  });

  it('refuses to resume a checkpoint saved with other options, or a damaged one, with a usage error', () => {
    const dir = tempDir('mismatch');
    const gn = [...SMALL, '--epochs', '1', '--norms', 'group'];
    experiment([...gn, '--save'], dir);
    expect(() => experiment([...gn, '--lr', '0.2', '--resume'], dir)).toThrow(UsageError);
    expect(() => experiment([...gn, '--lr', '0.2', '--resume'], dir)).toThrow(/--resume: .*saved with other options/);
    rmSync(join(dir, 'checkpoints', 'group-b4-s0.epoch1.safetensors'));
    expect(() => experiment([...gn, '--resume'], dir)).toThrow(/--resume: cannot load the checkpoint .*group-b4-s0\.json/);
    writeFileSync(join(dir, 'checkpoints', 'group-b4-s0.json'), '{"half": ');
    expect(() => experiment([...gn, '--resume'], dir)).toThrow(/--resume: .*group-b4-s0\.json is not a checkpoint/);
  });
}, 120_000);
