// Gradient clipping against PyTorch's clip_grad_norm_ / clip_grad_value_, plus its edge cases.
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor, zeros } from '@minigrad/tensor';
import { variable, type Variable } from '@minigrad/autograd';
import { clipGradNorm, clipGradValue } from '@minigrad/optim';
import { assertClose, loadFixtures, values, type EncodedTensor, decode } from '@minigrad/testing';
import { setGrad, valuesOf } from './helpers.js';

interface ClipCase {
  name: string;
  kind: 'norm' | 'value';
  maxNorm?: number;
  normType?: number | 'inf';
  clipValue?: number;
  grads: EncodedTensor[];
  totalNorm?: number;
  expected: EncodedTensor[];
}

const fixture = loadFixtures<ClipCase>(new URL('./fixtures/clipping.json', import.meta.url));

function paramsWithGrads(grads: EncodedTensor[]): Variable[] {
  return grads.map((g) => {
    const p = variable(zeros(g.shape, { dtype: g.dtype }), { requiresGrad: true });
    setGrad(p, g);
    return p;
  });
}

describe('clipping matches PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const params = paramsWithGrads(c.grads);
      const float32 = c.grads[0].dtype === 'float32';
      const tol = { atol: float32 ? 1e-6 : 1e-12, rtol: float32 ? 1e-5 : 1e-12 };
      if (c.kind === 'norm') {
        const normType = c.normType === 'inf' ? Infinity : (c.normType as number);
        const total = clipGradNorm(params, c.maxNorm as number, normType);
        assertClose([total], [c.totalNorm as number], { ...tol, label: `${c.name} total norm` });
      } else {
        clipGradValue(params, c.clipValue as number);
      }
      params.forEach((p, i) => assertClose(valuesOf((p.grad as Variable).data), values(c.expected[i]), { ...tol, label: `${c.name} grad ${i}` }));
    });
  }
});

describe('clipping edge cases', () => {
  it('skips parameters without a gradient and returns 0 when none has one', () => {
    const a = variable(tensor([1, 2]), { requiresGrad: true });
    expect(clipGradNorm([a], 1)).toBe(0);
    const b = variable(tensor([0, 0]), { requiresGrad: true });
    b.grad = variable(tensor([3, 4]));
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 6);
    expect(a.grad).toBeNull();
    assertClose(valuesOf((b.grad as Variable).data), [0.6, 0.8], { atol: 1e-6 });
  });

  it('accepts a single Variable', () => {
    const p = variable(tensor([0, 0, 0]), { requiresGrad: true });
    p.grad = variable(tensor([3, -4, 12]));
    expect(clipGradNorm(p, 100, Infinity)).toBe(12);
    clipGradValue(p, 3.5);
    expect(valuesOf((p.grad as Variable).data)).toEqual([3, -3.5, 3.5]);
  });

  it('scales a strided (broadcast) gradient without writing through the view', () => {
    const p = variable(zeros([2, 3]), { requiresGrad: true });
    const base = tensor([3, 4, 0]);
    p.grad = variable(base.expand(2, 3));
    const total = clipGradNorm([p], 1);
    expect(total).toBeCloseTo(Math.sqrt(50), 5);
    const c = 1 / (Math.sqrt(50) + 1e-6);
    assertClose(valuesOf((p.grad as Variable).data), [3 * c, 4 * c, 0, 3 * c, 4 * c, 0], { atol: 1e-6 });
    expect(valuesOf(base)).toEqual([3, 4, 0]);
  });

  it("takes normType as 'inf' or inside an options object", () => {
    const make = () => {
      const p = variable(zeros([3]), { requiresGrad: true });
      p.grad = variable(tensor([1, -5, 2]));
      return p;
    };
    expect(clipGradNorm([make()], 1, 'inf')).toBe(5);
    expect(clipGradNorm([make()], 1, { normType: 'inf' })).toBe(5);
    expect(clipGradNorm([make()], 1, { normType: 1 })).toBe(8);
    const p = make();
    p.grad = variable(tensor([NaN, 1, 1]));
    expect(() => clipGradNorm([p], 1, { errorIfNonfinite: true })).toThrow(/is NaN/);
  });

  it('bumps the storage version of every clipped gradient', () => {
    const p = variable(zeros([2]), { requiresGrad: true });
    p.grad = variable(tensor([3, 4]));
    const before = (p.grad as Variable).data.storage.version;
    clipGradNorm([p], 1);
    expect((p.grad as Variable).data.storage.version).toBeGreaterThan(before);
  });

  it('errorIfNonfinite throws on a NaN or infinite total norm; otherwise the gradients become non-finite as in PyTorch', () => {
    const p = variable(zeros([2]), { requiresGrad: true });
    p.grad = variable(tensor([Infinity, 1]));
    expect(() => clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm: the total norm of order 2 .* Infinity/);
    expect(clipGradNorm([p], 1)).toBe(Infinity);
    expect(Number.isNaN(valuesOf((p.grad as Variable).data)[0])).toBe(true);
  });

  it('rejects bad arguments with ArgumentError', () => {
    const p = variable(zeros([2]), { requiresGrad: true });
    p.grad = variable(tensor([1, 1]));
    expect(() => clipGradNorm([p], 1, 0)).toThrow(ArgumentError);
    expect(() => clipGradNorm([p], 1, -2)).toThrow(/normType/);
    expect(() => clipGradNorm([p], -1)).toThrow(/maxNorm must be a number >= 0, got -1/);
    expect(() => clipGradValue([p], -0.5)).toThrow(/clipGradValue: clipValue must be a number >= 0, got -0.5/);
    expect(() => clipGradNorm([decode({ shape: [1], dtype: 'float32', data: [1] })] as never, 1)).toThrow(/params\[0\] is not a Variable/);
  });
});
