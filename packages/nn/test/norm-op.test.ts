// The fused normalization op: gradcheck (float64, contiguous and non-contiguous), double backward, and
// equality with the composite version built from autograd ops (values and gradients), once per backend.
import { Variable, checkOpGradOwnership, checkOpGradients, checkOpSecondGradients, grad } from '@minigrad/autograd';
import { manualSeed, randn, type DType } from '@minigrad/tensor';
import { expect, it } from 'vitest';
import { normalizeComposite } from '../src/normalization/composite.js';
import { batchNormLayout, groupNormLayout, instanceNormLayout, layerNormLayout } from '../src/normalization/core.js';
import { normalizeFused, normalizeOp } from '../src/normalization/fused.js';
import { assertClose, describeEachBackend } from '@minigrad/testing';
import type { NormCase } from './helpers.js';

describeEachBackend('normalize op: gradients', () => {
  it('passes gradcheck on every sample and its non-contiguous variants', () => {
    manualSeed(11);
    expect(checkOpGradients(normalizeOp)).toBeGreaterThanOrEqual(normalizeOp.samples!().length);
  });
  it('passes gradgradcheck (double backward through the composite backward)', () => {
    manualSeed(12);
    expect(checkOpSecondGradients(normalizeOp)).toBe(normalizeOp.samples!().length);
  });
  it("keeps its gradOwnership 'fresh' promise on every sample and variant", () => {
    manualSeed(13);
    expect(checkOpGradOwnership(normalizeOp)).toBeGreaterThanOrEqual(normalizeOp.samples!().length);
  });
});

const cases: NormCase[] = [
  { name: 'GroupNorm G=2', shape: [2, 4, 3, 2], layout: groupNormLayout([2, 4, 3, 2], 2), affine: [4] },
  { name: 'GroupNorm G=1', shape: [2, 4, 5], layout: groupNormLayout([2, 4, 5], 1), affine: [4] },
  { name: 'InstanceNorm (G=C)', shape: [2, 3, 2, 2], layout: instanceNormLayout([2, 3, 2, 2]), affine: null },
  { name: 'LayerNorm over 2 dims', shape: [2, 3, 4], layout: layerNormLayout([2, 3, 4], [3, 4]), affine: [3, 4] },
  { name: 'BatchNorm train', shape: [3, 2, 2, 2], layout: batchNormLayout([3, 2, 2, 2]), affine: [2] },
  { name: 'BatchNorm 2-D', shape: [4, 3], layout: batchNormLayout([4, 3]), affine: [3] },
  {
    name: 'BatchNorm eval (fixed stats)',
    shape: [2, 2, 3],
    layout: batchNormLayout([2, 2, 3]),
    affine: [2],
    fixed: { mean: Float64Array.of(0.5, -1), rstd: Float64Array.of(2, 0.25) },
  },
  { name: 'one element per group', shape: [2, 3, 1, 1], layout: groupNormLayout([2, 3, 1, 1], 3), affine: [3] },
  // float32 cases of 256 elements and more, which the wasm backend's kernels take (smaller ones stay in js)
  { name: 'GroupNorm G=4, wasm-sized', shape: [2, 8, 6, 7], layout: groupNormLayout([2, 8, 6, 7], 4), affine: [8] },
  { name: 'InstanceNorm, wasm-sized', shape: [2, 3, 7, 9], layout: instanceNormLayout([2, 3, 7, 9]), affine: null },
  { name: 'LayerNorm [4,8,10], wasm-sized', shape: [4, 8, 10], layout: layerNormLayout([4, 8, 10], [8, 10]), affine: [8, 10] },
  { name: 'BatchNorm train, wasm-sized', shape: [4, 3, 5, 5], layout: batchNormLayout([4, 3, 5, 5]), affine: [3] },
  {
    name: 'BatchNorm eval, wasm-sized',
    shape: [4, 3, 5, 5],
    layout: batchNormLayout([4, 3, 5, 5]),
    affine: [3],
    fixed: { mean: Float64Array.of(0.5, -1, 2), rstd: Float64Array.of(2, 0.25, 1.5) },
  },
];

function leaves(c: NormCase, dtype: DType) {
  const x = new Variable(randn(c.shape, { dtype }).mul(2).add(1), true);
  const w = c.affine === null ? null : new Variable(randn(c.affine, { dtype }), true);
  const b = c.affine === null ? null : new Variable(randn(c.affine, { dtype }), true);
  return { x, w, b, dy: randn(c.shape, { dtype }) };
}

describeEachBackend('fused == composite', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float32' ? { atol: 1e-5, rtol: 1e-4 } : { atol: 1e-12, rtol: 1e-10 };
    for (const c of cases) {
      it(`${c.name} (${dtype}): output, statistics and gradients`, () => {
        manualSeed(c.shape.reduce((a, s) => a * 7 + s, 3));
        const { x, w, b, dy } = leaves(c, dtype);
        const inputs = [x, ...(w === null ? [] : [w, b!])];
        const fused = normalizeFused(x, c.layout, w, b, 1e-5, c.fixed ?? null);
        const composite = normalizeComposite(x, c.layout, w, b, 1e-5, c.fixed ?? null);
        assertClose(fused.out.toTypedArray(), composite.out.toTypedArray(), { ...tol, label: 'out' });
        if (c.fixed === undefined) {
          assertClose(fused.stats.mean, composite.mean.toTypedArray(), { ...tol, label: 'mean' });
          assertClose(fused.stats.variance!, composite.variance!.toTypedArray(), { ...tol, label: 'variance' });
        }
        const gf = grad([fused.out], inputs, { gradOutputs: [new Variable(dy)], retainGraph: true });
        const gc = grad([composite.out], inputs, { gradOutputs: [new Variable(dy)] });
        gf.forEach((g, i) => {
          expect(g!.shape).toEqual(inputs[i].shape);
          assertClose(g!.toTypedArray(), gc[i]!.toTypedArray(), { ...tol, label: `gradient ${i}` });
        });
        // the backward recorded (createGraph) is the composite one: same first-order values
        const gg = grad([fused.out], inputs, { gradOutputs: [new Variable(dy)], createGraph: true });
        gg.forEach((g, i) => assertClose(g!.toTypedArray(), gc[i]!.toTypedArray(), { ...tol, label: `recorded gradient ${i}` }));
      });
    }
  }

  it('a one-element group gives exactly the bias and exactly zero dx', () => {
    manualSeed(5);
    const x = new Variable(randn([2, 3, 1, 1]), true);
    const w = new Variable(randn([3]), true);
    const b = new Variable(randn([3]), true);
    const { out } = normalizeFused(x, groupNormLayout([2, 3, 1, 1], 3), w, b, 1e-5);
    const bias = b.toTypedArray();
    expect(Array.from(out.toTypedArray())).toEqual([...bias, ...bias]);
    const [dx] = grad([out], [x], { gradOutputs: [new Variable(randn([2, 3, 1, 1]))] });
    expect(Array.from(dx!.toTypedArray(), Math.abs)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
