// The fused linear op: gradcheck (float64, contiguous and non-contiguous), double backward, and equality of
// values and gradients with the composite x.matmul(W.t()).add(b) it replaces in F.linear.
import { Variable, checkOpGradOwnership, checkOpGradients, checkOpSecondGradients, randn } from '@minigrad/autograd';
import { manualSeed } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { linearOp } from '../src/functional/linear-op.js';
import { F } from '../src/index.js';
import { assertClose } from '@minigrad/testing';

describe('linear op', () => {
  it('passes gradcheck on every sample and its non-contiguous variants', () => {
    manualSeed(21);
    expect(checkOpGradients(linearOp)).toBeGreaterThanOrEqual(linearOp.samples!().length);
  });
  it('passes gradgradcheck', () => {
    manualSeed(22);
    expect(checkOpSecondGradients(linearOp)).toBe(linearOp.samples!().length);
  });
  it("keeps its gradOwnership 'fresh' promise on every sample and variant", () => {
    manualSeed(25);
    expect(checkOpGradOwnership(linearOp)).toBeGreaterThanOrEqual(linearOp.samples!().length);
  });

  const cases: { name: string; x: number[]; bias: boolean }[] = [
    { name: '2-D input with bias', x: [3, 6], bias: true },
    { name: '3-D input with bias', x: [2, 3, 6], bias: true },
    { name: '1-D input without bias', x: [6], bias: false },
    { name: 'empty batch', x: [0, 6], bias: true },
  ];
  for (const c of cases) {
    it(`matches the composite: ${c.name}`, () => {
      manualSeed(23);
      const leaves = () => ({
        x: randn(c.x, { requiresGrad: true }),
        w: randn([4, 6], { requiresGrad: true }),
        b: c.bias ? randn([4], { requiresGrad: true }) : null,
      });
      manualSeed(24);
      const a = leaves();
      manualSeed(24);
      const r = leaves();
      const y = F.linear(a.x, a.w, a.b);
      expect(y.gradFn?.op.name).toBe('linear');
      let yr = r.x.matmul(r.w.t());
      if (r.b !== null) yr = yr.add(r.b);
      assertClose(y.data.toTypedArray(), yr.data.toTypedArray(), { atol: 1e-5, rtol: 1e-5 });
      const seed = randn(y.shape);
      y.backward(seed);
      yr.backward(seed);
      const pairs: [Variable | null, Variable | null][] = [[a.x, r.x], [a.w, r.w], [a.b, r.b]];
      for (const [got, want] of pairs) {
        if (got === null || want === null) continue;
        assertClose(got.grad!.data.toTypedArray(), want.grad!.data.toTypedArray(), { atol: 1e-5, rtol: 1e-5 });
        expect(got.grad!.data.isContiguous()).toBe(true);
      }
    });
  }

  it('keeps the composite for a bias that broadcasts or promotes', () => {
    const x = randn([2, 3], { requiresGrad: true });
    const w = randn([4, 3], { requiresGrad: true });
    expect(F.linear(x, w, randn([1], { requiresGrad: true })).shape).toEqual([2, 4]);
    const y = F.linear(x, w, randn([4], { dtype: 'float64', requiresGrad: true }));
    expect(y.dtype).toBe('float64');
  });
});
