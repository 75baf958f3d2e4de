// gradcheck / gradgradcheck themselves: they must catch wrong gradients and name the worst element.
import { manualSeed, randn as rawRandn, tensor as rawTensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { applyOp, defineOp, GradcheckError, gradcheck, gradgradcheck, variable, type Variable } from '../src/index.js';

const leaf = (shape: number[]) => variable(rawRandn(shape, { dtype: 'float64' }), { requiresGrad: true });

// cube with a gradient that is off by 1% (3.03 x^2) and one whose backward leaves the graph.
const badCube = defineOp<undefined>({
  name: 'test.badCube',
  saveInputs: true,
  forward: ([x]) => x.pow(3),
  backward: (ctx, g) => [g.mul(ctx.inputs![0].square()).mul(3.03)],
});
const flatCube = defineOp<undefined>({
  name: 'test.flatCube',
  saveInputs: true,
  forward: ([x]) => x.pow(3),
  // Right first derivative, computed on raw tensors: a constant to a second backward.
  backward: (ctx, g) => [variable(g.data.mul(ctx.inputs![0].data.square()).mul(3))],
});

describe('gradcheck', () => {
  it('passes a correct gradient and reports the worst element of a wrong one', () => {
    manualSeed(1);
    const x = leaf([2, 3]);
    expect(gradcheck((v) => v.pow(3), [x])).toBe(true);
    let err: unknown;
    try {
      gradcheck((v) => applyOp(badCube, [v], undefined), [x]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GradcheckError);
    // the worst element is the largest x^2, where 0.03 x^2 exceeds the tolerance the most
    const sq = (x.data.toTypedArray() as Float64Array).map((v) => v * v);
    const worst = sq.indexOf(Math.max(...sq));
    expect((err as Error).message).toMatch(new RegExp(`output 0 \\(from 'test.badCube', shape \\[2,3\\]\\) element ${worst} with respect to input 0 \\(shape \\[2,3\\]\\) element ${worst}: analytic`));
    expect(gradcheck((v) => applyOp(badCube, [v], undefined), [x], { raiseException: false })).toBe(false);
  });

  it('gradgradcheck catches a backward that is not differentiable', () => {
    manualSeed(2);
    const x = leaf([3]);
    expect(gradcheck((v) => applyOp(flatCube, [v], undefined), [x])).toBe(true);
    expect(() => gradgradcheck((v) => applyOp(flatCube, [v], undefined), [x])).toThrow(GradcheckError);
    expect(gradgradcheck((v) => v.pow(3), [x])).toBe(true);
  });

  it('copies expanded inputs before perturbing them and works through non-contiguous leaves', () => {
    const base = rawTensor([[1, 2, 3]], { dtype: 'float64' });
    const expanded = variable(base.expand([2, 3]), { requiresGrad: true });
    const fn = (v: Variable) => v.mul(v).sum(1);
    expect(gradcheck(fn, [expanded])).toBe(true);
    expect(base.toArray()).toEqual([[1, 2, 3]]);
    const transposed = variable(rawRandn([3, 2], { dtype: 'float64' }).t(), { requiresGrad: true });
    expect(transposed.isContiguous()).toBe(false);
    expect(gradcheck((v) => v.matmul(v.t()).tanh(), [transposed])).toBe(true);
  });

  it('differentiates float32 inputs in float64 and accepts several outputs', () => {
    const x = variable(rawTensor([0.5, -1.5]), { requiresGrad: true });
    expect(gradcheck((v) => [v.sin(), v.exp().sum()], [x])).toBe(true);
  });
});
