// The functional normalizations: PyTorch fixtures for arguments the modules do not reach, gradcheck of each
// form (float64, contiguous and non-contiguous inputs), double backward, and the identities LN = GN(G=1)
// and IN = GN(G=C) of the shared core. The fixtures and gradchecks run once per backend (js, wasm).
import { Variable, gradcheck, gradgradcheck } from '@minigrad/autograd';
import { manualSeed, ones, randn, tensor, zeros, type Tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../src/normalization/functional.js';
import { assertClose, loadFixtures, values, type EncodedTensor, describeEachBackend } from '@minigrad/testing';

type Enc = EncodedTensor | null | undefined;
interface FunctionalCase {
  fn: 'batchNorm' | 'instanceNorm' | 'layerNorm' | 'groupNorm';
  training?: boolean;
  useInputStats?: boolean;
  momentum?: number;
  eps: number;
  normalizedShape?: number[];
  numGroups?: number;
  x: EncodedTensor;
  runningMean?: EncodedTensor;
  runningVar?: EncodedTensor;
  weight?: Enc;
  bias?: Enc;
  dy: EncodedTensor;
  out: EncodedTensor;
  dx: EncodedTensor;
  dweight?: Enc;
  dbias?: Enc;
  runningMeanAfter?: EncodedTensor;
  runningVarAfter?: EncodedTensor;
}

const toTensor = (e: EncodedTensor): Tensor => tensor(values(e), { shape: e.shape, dtype: e.dtype });
const leaf = (e: Enc): Variable | null => (e === null || e === undefined ? null : new Variable(toTensor(e), true));
const tol = { atol: 2e-5, rtol: 2e-4 };

describeEachBackend('functional normalizations match PyTorch', () => {
  const { cases } = loadFixtures<FunctionalCase>(new URL('./fixtures/norm_functional.json', import.meta.url));
  for (const c of cases) {
    const name = `${c.fn} ${JSON.stringify({ training: c.training, useInputStats: c.useInputStats, momentum: c.momentum, weight: !!c.weight, bias: !!c.bias })}`;
    it(name, () => {
      const x = new Variable(toTensor(c.x), true);
      const w = leaf(c.weight);
      const b = leaf(c.bias);
      const rm = c.runningMean ? toTensor(c.runningMean) : null;
      const rv = c.runningVar ? toTensor(c.runningVar) : null;
      const out =
        c.fn === 'batchNorm'
          ? batchNorm(x, rm, rv, w, b, c.training, c.momentum, c.eps)
          : c.fn === 'instanceNorm'
            ? instanceNorm(x, rm, rv, w, b, c.useInputStats, c.momentum, c.eps)
            : c.fn === 'layerNorm'
              ? layerNorm(x, c.normalizedShape!, w, b, c.eps)
              : groupNorm(x, c.numGroups!, w, b, c.eps);
      assertClose(out.toTypedArray(), values(c.out), { ...tol, label: 'out' });
      out.backward(toTensor(c.dy));
      assertClose(x.grad!.toTypedArray(), values(c.dx), { ...tol, label: 'dx' });
      if (w !== null) assertClose(w.grad!.toTypedArray(), values(c.dweight!), { ...tol, label: 'dweight' });
      if (b !== null) assertClose(b.grad!.toTypedArray(), values(c.dbias!), { ...tol, label: 'dbias' });
      if (c.runningMeanAfter) {
        assertClose(rm!.toTypedArray(), values(c.runningMeanAfter), { ...tol, label: 'runningMean' });
        assertClose(rv!.toTypedArray(), values(c.runningVarAfter!), { ...tol, label: 'runningVar' });
      }
    });
  }
});

const f64 = { dtype: 'float64' as const };
const nonContiguous = (shape: number[]) => {
  // the same values in a transposed layout: a leaf of the swapped shape viewed back
  const swapped = [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]];
  return randn(swapped, f64).transpose(-1, -2);
};

describeEachBackend('functional normalizations: gradcheck (float64)', () => {
  const forms: [string, number[], (x: Variable, w: Variable, b: Variable) => Variable, number[]][] = [
    ['groupNorm', [2, 4, 3, 2], (x, w, b) => groupNorm(x, 2, w, b, 1e-3), [4]],
    ['groupNorm G=1', [2, 3, 2, 2], (x, w, b) => groupNorm(x, 1, w, b, 1e-3), [3]],
    ['layerNorm', [2, 3, 4], (x, w, b) => layerNorm(x, [3, 4], w, b, 1e-3), [3, 4]],
    ['batchNorm train', [3, 2, 2, 3], (x, w, b) => batchNorm(x, null, null, w, b, true, 0.1, 1e-3), [2]],
    ['batchNorm eval', [3, 2, 2, 3], (x, w, b) => batchNorm(x, tensor([0.2, -0.4], f64), tensor([1.5, 0.7], f64), w, b, false), [2]],
    ['instanceNorm', [2, 3, 2, 3], (x, w, b) => instanceNorm(x, null, null, w, b, true, 0.1, 1e-3), [3]],
  ];
  for (const [name, shape, fn, affine] of forms) {
    it(`${name}: contiguous and transposed input`, () => {
      manualSeed(shape.length * 13 + affine.length);
      const w = new Variable(randn(affine, f64), true);
      const b = new Variable(randn(affine, f64), true);
      expect(gradcheck(fn, [new Variable(randn(shape, f64), true), w, b])).toBe(true);
      const x = new Variable(nonContiguous(shape), true);
      expect(x.isContiguous()).toBe(false);
      expect(gradcheck(fn, [x, w, b])).toBe(true);
    });
    it(`${name}: gradgradcheck`, () => {
      manualSeed(shape.length * 17 + affine.length);
      const inputs = [randn(shape, f64), randn(affine, f64), randn(affine, f64)].map((t) => new Variable(t, true));
      expect(gradgradcheck(fn, inputs)).toBe(true);
    });
  }
});

describe('one core: LayerNorm = GroupNorm(G=1), InstanceNorm = GroupNorm(G=C)', () => {
  it('layerNorm over (C, *) without affine is groupNorm with one group', () => {
    manualSeed(3);
    const x = new Variable(randn([2, 3, 4, 2]));
    const ln = layerNorm(x, [3, 4, 2]).toTypedArray();
    assertClose(groupNorm(x, 1).toTypedArray(), ln, { atol: 0, rtol: 0 });
  });
  it('instanceNorm is groupNorm with one channel per group, affine included', () => {
    manualSeed(4);
    const x = new Variable(randn([2, 3, 5]));
    const w = new Variable(randn([3]));
    const b = new Variable(randn([3]));
    assertClose(groupNorm(x, 3, w, b).toTypedArray(), instanceNorm(x, null, null, w, b).toTypedArray(), { atol: 0, rtol: 0 });
  });
  it('the trailing arguments may be given as an options object', () => {
    manualSeed(7);
    const x = new Variable(randn([3, 4, 2]));
    const w = new Variable(randn([4]));
    const b = new Variable(randn([4]));
    const same = (a: Variable, e: Variable) => assertClose(a.toTypedArray(), e.toTypedArray(), { atol: 0, rtol: 0 });
    same(groupNorm(x, 2, { weight: w, bias: b, eps: 1e-3 }), groupNorm(x, 2, w, b, 1e-3));
    same(layerNorm(x, [4, 2], { eps: 1e-2 }), layerNorm(x, [4, 2], null, null, 1e-2));
    same(instanceNorm(x, null, null, { weight: w, eps: 1e-3 }), instanceNorm(x, null, null, w, null, true, 0.1, 1e-3));
    const [rm1, rv1, rm2, rv2] = [zeros([4]), ones([4]), zeros([4]), ones([4])];
    same(batchNorm(x, rm1, rv1, { bias: b, training: true, momentum: 0.3 }), batchNorm(x, rm2, rv2, null, b, true, 0.3));
    expect(Array.from(rm1.toTypedArray())).toEqual(Array.from(rm2.toTypedArray()));
    expect(Array.from(rv1.toTypedArray())).toEqual(Array.from(rv2.toTypedArray()));
  });
  it('weight and bias may be constant tensors (no gradient for them)', () => {
    manualSeed(6);
    const x = new Variable(randn([2, 4, 3]), true);
    const w = randn([4]);
    const b = randn([4]);
    const asConstants = groupNorm(x, 2, w, b);
    assertClose(asConstants.toTypedArray(), groupNorm(x, 2, new Variable(w), new Variable(b)).toTypedArray(), { atol: 0, rtol: 0 });
    asConstants.sum().backward();
    expect(x.grad!.shape).toEqual([2, 4, 3]);
  });
  it("GroupNorm(G=1)'s affine is per channel, LayerNorm's per element", () => {
    manualSeed(5);
    const x = new Variable(randn([2, 3, 2]));
    const wc = randn([3]);
    const gn = groupNorm(x, 1, new Variable(wc)).toTypedArray();
    const ln = layerNorm(x, [3, 2], new Variable(wc.reshape([3, 1]).expand([3, 2]).contiguous())).toTypedArray();
    assertClose(gn, ln, { atol: 1e-6, rtol: 1e-6 });
  });
});
