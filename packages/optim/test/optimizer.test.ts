// The Optimizer base: groups and defaults, zeroGrad, in-place updates, skipped parameters, strided storage.
import { describe, expect, it } from 'vitest';
import { tensor } from '@minigrad/tensor';
import { variable, type Variable } from '@minigrad/autograd';
import { Adagrad, Adam, AdamW, SGD } from '@minigrad/optim';
import { valuesOf } from './helpers.js';

const param = (values: number[]): Variable => variable(tensor(values), { requiresGrad: true });

describe('Optimizer', () => {
  it('fills group options from the defaults and keeps per-group overrides', () => {
    const a = param([1]);
    const b = param([2]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9 });
    expect(new AdamW([param([1])]).paramGroups[0].weightDecay).toBe(0.01);
    expect(new Adam([param([1])]).paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
  });

  it('takes the learning rate as a number, as PyTorch takes it positionally', () => {
    const opt = new SGD([param([1])], 0.25);
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.25, momentum: 0 });
    expect(new Adagrad([param([1])], 0.5).paramGroups[0].lr).toBe(0.5);
  });

  it('addParamGroup adds parameters that the next step updates', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new SGD([a], { lr: 0.1 });
    opt.addParamGroup({ params: b, lr: 1 });
    a.grad = variable(tensor([1]));
    b.grad = variable(tensor([1]));
    opt.step();
    expect(valuesOf(a.data)).toEqual([Math.fround(0.9)]);
    expect(valuesOf(b.data)).toEqual([0]);
  });

  it('zeroGrad sets gradients to null by default, or zeroes them in place', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = variable(tensor([3, 4]));
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    const grad = variable(tensor([3, 4]));
    p.grad = grad;
    const version = grad.data.storage.version;
    opt.zeroGrad({ setToNull: false });
    expect(p.grad).toBe(grad);
    expect(valuesOf(grad.data)).toEqual([0, 0]);
    expect(grad.data.storage.version).toBeGreaterThan(version);
    grad.data.fill(7);
    opt.zeroGrad(false);
    expect(p.grad).toBe(grad);
    expect(valuesOf(grad.data)).toEqual([0, 0]);
    opt.zeroGrad(true);
    expect(p.grad).toBeNull();
  });

  it('zeroGrad without setToNull replaces a strided gradient instead of writing through it', () => {
    const p = param([1, 2, 3]);
    const base = tensor([5]);
    p.grad = variable(base.expand(3));
    new SGD([p]).zeroGrad({ setToNull: false });
    expect(valuesOf((p.grad as Variable).data)).toEqual([0, 0, 0]);
    expect(valuesOf(base)).toEqual([5]);
  });

  it('updates p.data in place, bumps its storage version, and reuses its state tensors', () => {
    const p = param([1, 2]);
    const data = p.data;
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = variable(tensor([1, -1]));
    const version = data.storage.version;
    opt.step();
    expect(p.data).toBe(data);
    expect(data.storage.version).toBe(version + 1);
    const state = opt.state.get(p) as Record<string, unknown>;
    const expAvg = state.expAvg;
    opt.step();
    expect(opt.state.get(p)?.expAvg).toBe(expAvg);
    expect(state.step).toBe(2);
  });

  it('skips a parameter whose gradient is null: no change, no state', () => {
    const a = param([1, 2]);
    const b = param([3, 4]);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = variable(tensor([1, 1]));
    opt.step();
    expect(valuesOf(b.data)).toEqual([3, 4]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.has(a)).toBe(true);
  });

  it('gives the same update for strided and contiguous parameters and gradients', () => {
    const base = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    const strided = variable(base.t(), { requiresGrad: true });
    const plain = variable(base.t().contiguous(), { requiresGrad: true });
    const gradBase = tensor([0.5, -1, 2]);
    const optA = new SGD([strided], { lr: 0.1, momentum: 0.9 });
    const optB = new SGD([plain], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      strided.grad = variable(gradBase.expand(3, 3).slice(1, 0, 2));
      plain.grad = variable(gradBase.expand(3, 3).slice(1, 0, 2).contiguous());
      optA.step();
      optB.step();
    }
    expect(valuesOf(strided.data)).toEqual(valuesOf(plain.data));
    expect(valuesOf(base)).toEqual(valuesOf(plain.data.t()));
  });

  it('step(closure) evaluates the closure once and returns its value', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1 });
    let calls = 0;
    const loss = opt.step(() => {
      calls++;
      p.grad = variable(tensor([2]));
      return 42;
    });
    expect(loss).toBe(42);
    expect(calls).toBe(1);
    expect(valuesOf(p.data)).toEqual([Math.fround(0.8)]);
  });

  it('minimizes a quadratic through autograd (backward, step, zeroGrad)', () => {
    const target = tensor([3, -2, 0.5]);
    for (const make of [(p: Variable) => new SGD([p], { lr: 0.1, momentum: 0.5 }), (p: Variable) => new Adam([p], { lr: 0.1 })]) {
      const p = param([0, 0, 0]);
      const opt = make(p);
      for (let i = 0; i < 300; i++) {
        opt.zeroGrad();
        p.sub(variable(target)).square().sum().backward();
        opt.step();
      }
      valuesOf(p.data).forEach((v, i) => expect(v).toBeCloseTo(valuesOf(target)[i], 3));
    }
  });
});
