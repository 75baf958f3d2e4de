// Names in a minified browser bundle: esbuild bundles tests/bundle/app (built packages, as a user's bundler
// sees them) with minify and without keepNames, which renames every class; String(model), error names and
// messages must still say Linear, Conv2d, ShapeError.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '@minigrad/testing';
import { bundleMinified } from './minify.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let work = '';
let out: Record<string, any> = {};

/** Bundles `entry` minified for a browser and runs the bundle in Node; returns what it printed. */
async function runMinified(entry: string): Promise<string> {
  const file = join(work, 'bundle.mjs');
  writeFileSync(file, await bundleMinified(fileURLToPath(new URL(entry, import.meta.url))));
  return execFileSync(process.execPath, [file], { encoding: 'utf8' });
}

beforeAll(async () => {
  ensureBuilt(ROOT, ['tensor', 'autograd', 'nn', 'optim']);
  work = mkdtempSync(join(tmpdir(), 'minigrad-bundle-'));
  out = JSON.parse(await runMinified('./app/names.mjs'));
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('a minified bundle keeps the real names', () => {
  it('the bundle renamed the classes (else this test would prove nothing)', () => {
    expect(out.mangled).not.toBe('Sequential');
  });

  it('String(model)', () => {
    expect(out.model).toBe(
      [
        'Sequential(',
        '  (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1))',
        '  (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
        '  (2): ReLU()',
        '  (3): Flatten(start_dim=1, end_dim=-1)',
        '  (4): Linear(in_features=128, out_features=10, bias=True)',
        ')',
      ].join('\n'),
    );
  });

  it("a user's model keeps its name when it declares a typeName", () => {
    expect(out.userModels[0]).toBe('MyNet()');
    expect(out.userModels[1]).not.toBe('Unnamed()');
  });

  it('error names and messages', () => {
    expect(out.linearError).toEqual({
      name: 'ShapeError',
      isShapeError: true,
      message: 'Linear(4, 2): linear: input [3,5] does not end in 4 features (weight [2,4])',
    });
    expect(out.nestedError.name).toBe('ShapeError');
    expect(out.nestedError.message).toBe("Conv2d(1, 8) at '0': conv2d: input has 3 channels but weight expects 1 (input [2,3,6,6], weight [8,1,3,3])");
    expect(out.batchNormError.message).toBe("BatchNorm2d(8) at '1': expected more than 1 value per channel when training, got input of shape [1,8,1,1]");
    expect(out.submoduleError).toMatchObject({ name: 'ArgumentError', message: "getSubmodule: Conv2d has no submodule 'conv' (path '0.conv')" });
    expect(out.stateDictError.name).toBe('ShapeError');
    expect(out.stateDictError.message).toMatch(/^loadStateDict: size mismatch in Sequential: '0.weight'/);
  });

  it('printing: an optimizer, a Variable, a Parameter', () => {
    expect(out.optimizer).toMatch(/^SGD \(\nParameter Group 0\n {4}dampening: 0\n/);
    expect(out.variable).toMatch(/, grad_fn=<MulBackward0>\)$/);
    expect(out.parameter).toBe('Parameter containing:');
  });

  it('summary', () => {
    const rows = out.summary.split('\n').slice(3, 9).map((line: string) => line.split(/ {2,}/));
    expect(rows).toEqual([
      ['Sequential', '[2, 10]', '--'],
      ['├─Conv2d: 1-1', '[2, 8, 4, 4]', '80'],
      ['├─BatchNorm2d: 1-2', '[2, 8, 4, 4]', '16'],
      ['├─ReLU: 1-3', '[2, 8, 4, 4]', '--'],
      ['├─Flatten: 1-4', '[2, 128]', '--'],
      ['├─Linear: 1-5', '[2, 10]', '1,290'],
    ]);
  });

  it('optimizer and scheduler state dicts', () => {
    expect(out.optimizerState).toBe('SGD');
    expect(out.schedulerState).toBe('StepLR');
  });
});
