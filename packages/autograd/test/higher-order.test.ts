// Second derivatives: gradgradcheck on the higher-order set and on every registered op, and a WGAN-GP
// style gradient penalty checked against finite differences.
import { manualSeed, randn as rawRandn } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { checkOpSecondGradients, grad, gradcheck, gradgradcheck, variable, type Variable } from '../src/index.js';
import { registry } from '../src/internal.js';

const leaf = (shape: number[]) => variable(rawRandn(shape, { dtype: 'float64' }), { requiresGrad: true });

describe('gradgradcheck on the higher-order set', () => {
  const cases: [string, number[][], (...xs: Variable[]) => Variable][] = [
    ['tanh', [[3, 4]], (x) => x.tanh()],
    ['sigmoid', [[3, 4]], (x) => x.sigmoid()],
    ['exp', [[3, 4]], (x) => x.exp()],
    ['mul', [[3, 4], [3, 4]], (a, b) => a.mul(b)],
    ['matmul', [[3, 4], [4, 2]], (a, b) => a.matmul(b)],
    ['relu', [[3, 4]], (x) => x.relu()],
    ['mse (x - y)^2 mean', [[3, 4], [3, 4]], (x, y) => x.sub(y).square().mean()],
    ['sum', [[3, 4]], (x) => x.sum()],
    ['two-layer net', [[2, 3], [3, 4], [4, 1]], (x, w1, w2) => x.matmul(w1).tanh().matmul(w2).sigmoid().sum()],
  ];
  for (const [name, shapes, fn] of cases) {
    it(name, () => {
      manualSeed(7);
      expect(gradgradcheck(fn, shapes.map(leaf))).toBe(true);
    });
  }
});

describe('gradgradcheck over every registered op', () => {
  for (const op of registry.values()) {
    it(op.name, () => {
      manualSeed(11);
      expect(checkOpSecondGradients(op)).toBeGreaterThan(0);
    });
  }
});

describe('gradient penalty (WGAN-GP)', () => {
  // critic(x) = leakyRelu(x W1 + b1) w2; penalty = mean((||d critic / d x||_2 - 1)^2) over the batch
  const critic = (x: Variable, w1: Variable, b1: Variable, w2: Variable) => x.matmul(w1).add(b1).leakyRelu(0.2).matmul(w2);

  function penalty(real: Variable, fake: Variable, eps: Variable, w1: Variable, b1: Variable, w2: Variable): Variable {
    const mixed = real.mul(eps).add(fake.mul(eps.rsub(1))).detach().requiresGrad_();
    const out = critic(mixed, w1, b1, w2);
    const [g] = grad(out.sum(), mixed, { createGraph: true });
    return g!.square().sum(1).sqrt().sub(1).square().mean();
  }

  it('backpropagates through the input gradient into the critic weights (matches finite differences)', () => {
    manualSeed(3);
    const real = variable(rawRandn([4, 3], { dtype: 'float64' }));
    const fake = variable(rawRandn([4, 3], { dtype: 'float64' }));
    const eps = variable(rawRandn([4, 1], { dtype: 'float64' }).sigmoid());
    const [w1, b1, w2] = [leaf([3, 5]), leaf([5]), leaf([5, 1])];
    const gp = penalty(real, fake, eps, w1, b1, w2);
    gp.backward();
    expect(w1.grad!.shape).toEqual([3, 5]);
    expect(w2.grad!.shape).toEqual([5, 1]);
    // The same gradients from finite differences of the penalty as a function of the weights.
    expect(gradcheck((a, b, c) => penalty(real, fake, eps, a, b, c), [w1, b1, w2])).toBe(true);
  });

  it('a penalty built from tanh and sigmoid critics agrees with finite differences too', () => {
    manualSeed(5);
    const x = leaf([3, 2]);
    const w = leaf([2, 2]);
    const fn = (w: Variable) => {
      const xi = x.detach().requiresGrad_();
      const y = xi.matmul(w).tanh().sigmoid().sum();
      const [g] = grad(y, xi, { createGraph: true });
      return g!.square().sum();
    };
    expect(gradcheck(fn, [w])).toBe(true);
  });
});
