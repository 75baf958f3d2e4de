import { describe, expect, it } from 'vitest';
import { parseCli, type Options } from '../src/cli.js';
import { UsageError } from '../src/usage-error.js';

const options = (argv: string[]): Options => {
  const p = parseCli(argv);
  if (p.help) throw new Error('unexpected --help');
  return p.options;
};
const usageError = (argv: string[]): string => {
  try {
    parseCli(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`parseCli(${argv.join(' ')}) did not throw`);
};

describe('parseCli', () => {
  it('--help asks for the help text', () => {
    expect(parseCli(['--help'])).toEqual({ help: true });
    expect(parseCli(['-h'])).toEqual({ help: true });
    expect(parseCli(['--', '--help'])).toEqual({ help: true });
  });

  it('presets grow from --quick to default to --full, and explicit options override them', () => {
    const quick = options(['--quick']);
    const normal = options([]);
    const full = options(['--full']);
    expect(quick.preset).toBe('quick');
    const work = (o: Options) => o.trainSize * o.epochs * o.seeds.length * o.norms.length * o.batchSizes.length;
    expect(work(quick)).toBeLessThan(work(normal));
    expect(work(normal)).toBeLessThan(work(full));
    expect(full.batchSizes).toEqual([32, 16, 8, 4, 2]);
    expect(full.norms).toEqual(['batch', 'group', 'layer', 'instance', 'none']);
    expect(full.seeds.length).toBeGreaterThan(normal.seeds.length);
    // the default run has both of the paper's findings, with 3 seeds: Table 1 at 32, BN and GN at 32, 8 and 2
    expect(normal).toMatchObject({ dataset: 'fashion', model: 'resnet', norms: ['batch', 'group', 'layer', 'instance'], sweep: ['batch', 'group'], batchSizes: [32, 8, 2], seeds: [0, 1, 2] });
    const o = options(['--quick', '--norms', 'layer,none', '--batch-sizes', '4,2', '--epochs', '3', '--seeds', '2', '--seed', '7', '--lr', '0.02', '--out', 'x']);
    expect(o).toMatchObject({ norms: ['layer', 'none'], batchSizes: [4, 2], epochs: 3, seeds: [7, 8], lr: 0.02, out: 'x', trainSize: quick.trainSize });
  });

  it.each([
    [['--norms', 'batch,weight'], /unknown norm 'weight'/],
    [['--sweep', 'foo'], /--sweep: unknown norm 'foo'/],
    [['--batch-sizes', '2,0'], /--batch-sizes: expected an integer >= 1, got '0'/],
    [['--batch-sizes', '2.5'], /--batch-sizes/],
    [['--train-size', '100', '--batch-sizes', '128'], /batch size 128 is larger than the training set \(100 images\)/],
    [['--dataset', 'mnist', '--train-size', '9000', '--test-size', '2000'], /exceeds the 10000 images of --dataset mnist/],
    [['--train-size', '69000', '--test-size', '2000'], /exceeds the 70000 images of --dataset fashion/],
    [['--dataset', 'cifar'], /--dataset: unknown value 'cifar' \(expected fashion, mnist\)/],
    [['--model', 'vgg'], /--model: unknown value 'vgg' \(expected resnet, cnn\)/],
    [['--groups', '3'], /--groups 3: 8 channels are not divisible by 3 groups/],
    [['--groups', '12'], /--groups 12: 16 channels are not divisible by 12 groups/],
    [['--workers', '0'], /--workers: expected an integer >= 1/],
    [['--blocks', '4'], /--blocks 4: at most 3/],
    [['--blocks', '3', '--groups', '24'], /--groups 24: 32 channels are not divisible by 24 groups/],
    [['--workers', '17'], /--workers 17: at most 16/],
    [['--epochs', 'two'], /--epochs/],
    [['--lr=-1'], /--lr: expected a number > 0/],
    [['--lr', '0'], /--lr: expected a number > 0/],
    [['--quick', '--full'], /cannot be combined/],
    [['--batch-sizes', '1,2'], /--batch-sizes 1: BatchNorm needs 2 or more images per batch/],
    [['--bogus'], /bogus/],
    [['stray'], /stray/],
  ])('rejects %j with one line', (argv, message) => {
    const m = usageError(argv);
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
  });

  it('accepts a group count larger than a layer, capping it at the channels as the paper does', () => {
    expect(options(['--groups', '16']).groups).toBe(16);
  });

  it('allows batch size 1 where no norm needs a batch', () => {
    expect(options(['--batch-sizes', '1', '--norms', 'group']).batchSizes).toEqual([1]);
  });

  it('does not check groups when GN is not run', () => {
    expect(options(['--norms', 'batch', '--groups', '3']).groups).toBe(3);
  });
});
