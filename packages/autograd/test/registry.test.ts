// gradcheck over every registered op, driven by the registry's samples and their non-contiguous variants.
import { manualSeed, onesLike } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { applyOp, registry, sampleVariants, checkOpGradients, variable } from '../src/index.js';

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
