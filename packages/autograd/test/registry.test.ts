// gradcheck over every registered op, driven by the registry's samples and their non-contiguous variants.
import { manualSeed } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { registry, sampleVariants, checkOpGradients, variable } from '../src/index.js';

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
