// The fused normalization allocates its output and its gradients uninitialized (norm.apply and norm.backward
// write every element): after poisoning the backend's pool with NaN-filled arrays of the input's size, the
// forward and backward must take them and still give the bits of a run on a clean pool.
import { Variable, grad } from '@minigrad/autograd';
import { manualSeed, randn } from '@minigrad/tensor';
import { expect, it } from 'vitest';
import { batchNormLayout, groupNormLayout, layerNormLayout } from '../src/normalization/core.js';
import { normalizeFused } from '../src/normalization/fused.js';
import { describeEachBackend, firstDifference, poisonPool } from '@minigrad/testing';
import type { NormCase } from './helpers.js';

const cases: NormCase[] = [
  { name: 'GroupNorm G=4', shape: [2, 16, 16, 16], layout: groupNormLayout([2, 16, 16, 16], 4), affine: [16] },
  { name: 'LayerNorm (one element per channel)', shape: [8, 512], layout: layerNormLayout([8, 512], [512]), affine: [512] },
  { name: 'BatchNorm train, no affine', shape: [4, 8, 16, 16], layout: batchNormLayout([4, 8, 16, 16]), affine: null },
  {
    name: 'BatchNorm eval (fixed stats)',
    shape: [4, 2, 32, 32],
    layout: batchNormLayout([4, 2, 32, 32]),
    affine: [2],
    fixed: { mean: Float64Array.of(0.5, -1), rstd: Float64Array.of(2, 0.25) },
  },
];

interface Leaves {
  x: Variable;
  w: Variable | null;
  b: Variable | null;
  dy: Variable;
}

function leaves(c: NormCase): Leaves {
  manualSeed(3);
  const x = new Variable(randn(c.shape).mul(2).add(1), true);
  const w = c.affine === null ? null : new Variable(randn(c.affine), true);
  const b = c.affine === null ? null : new Variable(randn(c.affine), true);
  return { x, w, b, dy: new Variable(randn(c.shape)) };
}

/** The output of one fused normalization and the gradients of x, weight and bias. */
function run(c: NormCase, { x, w, b, dy }: Leaves): Variable[] {
  const inputs = [x, ...(w === null ? [] : [w, b!])];
  const { out } = normalizeFused(x, c.layout, w, b, 1e-5, c.fixed ?? null);
  return [out, ...grad([out], inputs, { gradOutputs: [dy] }).map((g) => g!)];
}

describeEachBackend('fused normalization outputs from a poisoned pool', (backend) => {
  for (const c of cases) {
    it(`${c.name}: output and gradients keep their bits`, () => {
      const l = leaves(c);
      const reference = run(c, l).map((v) => v.data.data.slice());
      const numel = c.shape.reduce((a, s) => a * s, 1);
      const poisoned = poisonPool(backend, numel, 'float32', 4);
      const [out, dx, ...rest] = run(c, l);
      expect(poisoned.has(out.data.data), 'the output came from the poisoned pool').toBe(true);
      expect(poisoned.has(dx.data.data), 'dx came from the poisoned pool').toBe(true);
      [out, dx, ...rest].forEach((v, i) => expect(firstDifference(v.data.data, reference[i]), `result ${i}: first differing byte`).toBe(-1));
    });
  }
});
