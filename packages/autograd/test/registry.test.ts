// gradcheck over every registered op, driven by the registry's samples and their non-contiguous variants.
import { manualSeed, onesLike, randn } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import {
  applyOp, checkOpGradOwnership, checkOpGradients, GradOwnershipError, sampleVariants, variable, type OpDef,
} from '../src/index.js';
import { registry } from '../src/internal.js';

describe('every registered op passes gradcheck (float64)', () => {
  const ops = [...registry.values()];
  it('the registry holds the core ops', () => {
    for (const name of ['add', 'mul', 'matmul', 'sum', 'max.dim', 'softmax', 'view', 'slice', 'gather', 'cat', 'where']) {
      expect(registry.has(name), name).toBe(true);
    }
  });
  for (const op of ops) {
    it(`${op.name}: samples and non-contiguous variants`, () => {
      manualSeed(1234);
      const samples = op.samples?.() ?? [];
      expect(samples.length, `${op.name} has no samples`).toBeGreaterThan(0);
      manualSeed(1234);
      const checked = checkOpGradients(op);
      expect(checked).toBeGreaterThanOrEqual(samples.length);
    });
  }
  it('keeps float32 in float32: outputs and gradients of every op on float32 samples', () => {
    for (const op of ops) {
      manualSeed(5);
      for (const sample of op.samples?.() ?? []) {
        const xs = sample.inputs.map((t) => variable(t.to('float32'), { requiresGrad: true }));
        const y = applyOp(op, xs, sample.args);
        if (op.name !== 'to') expect(y.dtype, op.name).toBe('float32');
        y.backward(onesLike(y.data));
        xs.forEach((x, i) => {
          expect(x.grad, `${op.name} input ${i}`).not.toBeNull();
          expect(x.grad!.dtype, `${op.name} input ${i}`).toBe('float32');
          expect(x.grad!.shape, `${op.name} input ${i}`).toEqual(x.shape);
        });
      }
    }
  });

  it('derives transposed, sliced and expanded variants with the same values', () => {
    manualSeed(1);
    const op = registry.get('mul')!;
    const sample = op.samples!()[0];
    const variants = sampleVariants(sample);
    expect(variants.map((v) => v.kind)).toEqual(['contiguous', 'transposed', 'sliced', 'expanded']);
    for (const v of variants.slice(1)) {
      const inputs = v.leaves.map((t, i) => v.view[i](variable(t)));
      for (let i = 0; i < inputs.length; i++) {
        expect(inputs[i].shape, v.kind).toEqual(sample.inputs[i].shape);
        expect(inputs[i].isContiguous(), v.kind).toBe(false);
        if (v.kind !== 'expanded') expect(inputs[i].toArray(), v.kind).toEqual(sample.inputs[i].toArray());
      }
    }
  });
});

describe('every op that declares gradOwnership keeps its promise (the engine accumulates into its gradients in place)', () => {
  const declaring = [...registry.values()].filter((op) => op.gradOwnership !== undefined);
  it('covers the declaring ops of this package', () => {
    expect(declaring.map((op) => op.name)).toEqual(expect.arrayContaining(['matmul', 'conv2d', 'maxPool2d', 'view', 'clone', 'reluBackward']));
  });
  for (const op of declaring) {
    it(`${op.name} ('${op.gradOwnership}'): every sample and variant`, () => {
      manualSeed(4321);
      expect(checkOpGradOwnership(op)).toBeGreaterThanOrEqual(op.samples!().length);
    });
  }

  // Ops that are not registered (so the registry-wide tests never see them) with a wrong declaration each.
  const bad = (name: string, gradOwnership: 'fresh' | 'view', backward: OpDef['backward'], inputs = 1): OpDef => ({
    name,
    gradOwnership,
    forward: (xs) => xs.reduce((a, b) => a.mul(b)).mul(1),
    backward,
    samples: () => [{ inputs: Array.from({ length: inputs }, () => randn([2, 3], { dtype: 'float64' })), args: undefined }],
  });
  const cases: [string, OpDef, RegExp][] = [
    ['returns the incoming gradient as fresh', bad('passThrough', 'fresh', (_, g) => [g]), /shares storage with the incoming gradient/],
    ['returns one tensor for two inputs', bad('twice', 'fresh', (_, g) => { const t = g.mul(2); return [t, t]; }, 2), /shares storage with another gradient/],
    ['returns a saved input', bad('saved', 'fresh', (ctx) => [ctx.inputs![0]]), /shares storage with a tensor of shape \[2,3\]/],
    ['returns an expanded view', bad('expanded', 'fresh', (_, g) => [g.sum(0, true).expand(g.shape)]), /expanded view/],
    ['returns a view of part of the incoming gradient', bad('part', 'view', (_, g) => [g.slice(1, 0, 1).expand(g.shape)]), /expanded view/],
    ['declares view with two inputs', bad('two', 'view', (_, g) => [g, g], 2), /'view' but a sample has 2 inputs/],
  ];
  for (const [what, op, message] of cases) {
    it(`catches an op that ${what}`, () => {
      manualSeed(7);
      expect(() => checkOpGradOwnership({ ...op, saveInputs: true })).toThrow(GradOwnershipError);
      manualSeed(7);
      expect(() => checkOpGradOwnership({ ...op, saveInputs: true })).toThrow(message);
    });
  }
  it('a correct declaration passes and an undeclared op is not checked', () => {
    manualSeed(8);
    const mulFresh = bad('mulFresh', 'fresh', (ctx, g) => [g.mul(ctx.inputs![1]), g.mul(ctx.inputs![0])], 2);
    expect(checkOpGradOwnership({ ...mulFresh, saveInputs: true })).toBeGreaterThan(0);
    expect(checkOpGradOwnership({ ...mulFresh, gradOwnership: undefined })).toBe(0);
  });
});

