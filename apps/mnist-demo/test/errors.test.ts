import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../src/main.js';
import { capture, tempDir } from './helpers.js';

/** Runs the CLI as the entry point does and returns its exit code, stdout and stderr. */
async function run(argv: string[]) {
  const out = capture();
  const err = capture();
  const code = await cli(argv, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

describe('the command line', () => {
  it('prints --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: mnist-demo/);
    expect(r.out).toContain('--batch-sizes');
    expect(r.err).toBe('');
  });

  it.each([
    [['--norms', 'batch,weight'], /^mnist-demo: --norms: unknown norm 'weight'/],
    [['--train-size', '100', '--batch-sizes', '2,128'], /^mnist-demo: --batch-sizes: batch size 128 is larger than the training set/],
    [['--groups', '5'], /^mnist-demo: --groups 5: 8 channels are not divisible by 5 groups/],
    [['--dataset', 'cifar'], /^mnist-demo: --dataset: unknown value 'cifar'/],
    [['--out', '/dev/null/report'], /^mnist-demo: --out \/dev\/null\/report: cannot write to this folder \(ENOTDIR\)/],
    [['--epoch', '2'], /^mnist-demo: Unknown option '--epoch'/],
    [['--threads', '99'], /^mnist-demo: --threads 99: at most 16/],
    [['--conv', 'fft'], /^mnist-demo: --conv: unknown value 'fft' \(expected gemm, winograd\)/],
  ])('%j: one line on stderr, exit code 1, no training', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });

  it('rejects an output folder that is a file', async () => {
    const file = join(tempDir('file'), 'taken');
    writeFileSync(file, 'x');
    const r = await run(['--quick', '--out', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot write to this folder/);
  });
});
