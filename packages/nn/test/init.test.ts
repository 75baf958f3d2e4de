// Initializers against their defining formulas: ranges, and moments measured on many samples.
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, manualSeed, zeros } from '@minigrad/tensor';
import type { Tensor } from '@minigrad/tensor';
import { Embedding, Linear, Parameter, init } from '../src/index.js';

function moments(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = t.toTypedArray();
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    s += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = s / v.length;
  let d = 0;
  for (const x of v) d += (x - mean) ** 2;
  return { mean, std: Math.sqrt(d / (v.length - 1)), min, max };
}

describe('init', () => {
  it('calculateGain follows the nonlinearity formulas', () => {
    expect(init.calculateGain('relu')).toBeCloseTo(Math.sqrt(2), 12);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 1e-4)), 12);
  });

  it('fan in / fan out of linear and conv weights', () => {
    expect(init.calculateFanInAndFanOut(zeros([5, 3]))).toEqual({ fanIn: 3, fanOut: 5 });
    expect(init.calculateFanInAndFanOut(zeros([8, 4, 3, 2]))).toEqual({ fanIn: 24, fanOut: 48 });
    expect(() => init.calculateFanInAndFanOut(zeros([5]))).toThrow(ArgumentError);
  });

  it('kaimingNormal_ has std gain / sqrt(fan) in either mode', () => {
    const w = zeros([200, 300]);
    init.kaimingNormal_(w, { nonlinearity: 'relu' });
    let m = moments(w);
    expect(Math.abs(m.mean)).toBeLessThan(0.002);
    expect(m.std / (Math.SQRT2 / Math.sqrt(300))).toBeCloseTo(1, 1);
    init.kaimingNormal_(w, { nonlinearity: 'relu', mode: 'fanOut' });
    m = moments(w);
    expect(m.std / (Math.SQRT2 / Math.sqrt(200))).toBeCloseTo(1, 1);
  });

  it('kaimingUniform_ and xavier* stay within their bounds with the uniform/normal spread', () => {
    const w = zeros([150, 250]);
    const kb = Math.sqrt(3) * Math.SQRT2 / Math.sqrt(250);
    init.kaimingUniform_(w, { nonlinearity: 'relu' });
    let m = moments(w);
    expect(m.max).toBeLessThanOrEqual(kb);
    expect(m.min).toBeGreaterThanOrEqual(-kb);
    expect(m.std / (kb / Math.sqrt(3))).toBeCloseTo(1, 1);
    const xb = 2 * Math.sqrt(6 / 400);
    init.xavierUniform_(w, { gain: 2 });
    m = moments(w);
    expect(m.max).toBeLessThanOrEqual(xb);
    expect(m.max).toBeGreaterThan(0.98 * xb);
    expect(m.std / (xb / Math.sqrt(3))).toBeCloseTo(1, 1);
    init.xavierNormal_(w, 0.5);
    expect(moments(w).std / (0.5 * Math.sqrt(2 / 400))).toBeCloseTo(1, 1);
  });

  it('uniform_, normal_, constant_, zeros_, ones_ fill tensors and parameters in place', () => {
    const p = new Parameter(zeros([100, 100], { dtype: 'float64' }));
    expect(init.uniform_(p, -2, 3)).toBe(p);
    let m = moments(p.data);
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThan(3);
    expect(m.mean).toBeCloseTo(0.5, 1);
    init.normal_(p, 4, 0.5);
    m = moments(p.data);
    expect(m.mean).toBeCloseTo(4, 1);
    expect(m.std).toBeCloseTo(0.5, 1);
    init.constant_(p, 2.5);
    expect(moments(p.data)).toMatchObject({ min: 2.5, max: 2.5 });
    init.ones_(p);
    expect(moments(p.data)).toMatchObject({ min: 1, max: 1 });
    init.zeros_(p);
    expect(moments(p.data)).toMatchObject({ min: 0, max: 0 });
  });

  it('uniform_ and normal_ also take PyTorch keyword arguments as an options object', () => {
    const a = init.uniform_(zeros([3, 3]), { a: -1, b: 2, generator: new Generator(4) });
    const b = init.uniform_(zeros([3, 3]), -1, 2, { generator: new Generator(4) });
    expect(a.toArray()).toEqual(b.toArray());
    const c = init.normal_(zeros([3, 3]), { mean: 1, std: 3, generator: new Generator(4) });
    const d = init.normal_(zeros([3, 3]), 1, 3, { generator: new Generator(4) });
    expect(c.toArray()).toEqual(d.toArray());
  });

  it('is reproducible through a generator or manualSeed', () => {
    const a = init.normal_(zeros([4, 4]), 0, 1, { generator: new Generator(7) });
    const b = init.normal_(zeros([4, 4]), 0, 1, { generator: new Generator(7) });
    expect(a.toArray()).toEqual(b.toArray());
    manualSeed(3);
    const l1 = new Linear(6, 4);
    manualSeed(3);
    const l2 = new Linear(6, 4);
    expect(l1.weight.data.toArray()).toEqual(l2.weight.data.toArray());
    expect(l1.bias!.data.toArray()).toEqual(l2.bias!.data.toArray());
  });
});

describe('default layer init (as PyTorch)', () => {
  it('Linear: weight and bias ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn))', () => {
    const l = new Linear(400, 300);
    const b = 1 / Math.sqrt(400);
    const w = moments(l.weight.data);
    expect(w.max).toBeLessThanOrEqual(b);
    expect(w.min).toBeGreaterThanOrEqual(-b);
    expect(w.std / (b / Math.sqrt(3))).toBeCloseTo(1, 1);
    const bias = moments(l.bias!.data);
    expect(bias.max).toBeLessThanOrEqual(b);
    expect(bias.min).toBeGreaterThanOrEqual(-b);
    expect(bias.max - bias.min).toBeGreaterThan(1.5 * b);
  });

  it('Embedding: N(0, 1) with the padding row zeroed', () => {
    const e = new Embedding(500, 40, { paddingIdx: -1 });
    expect(e.paddingIdx).toBe(499);
    const m = moments(e.weight.data.narrow(0, 0, 499));
    expect(m.std).toBeCloseTo(1, 1);
    expect([...e.weight.data.select(0, 499).toTypedArray()]).toEqual(new Array(40).fill(0));
  });
});
