// The js normalization kernels (nn's fused GroupNorm/LayerNorm/InstanceNorm/BatchNorm) against a naive
// reference written from the definitions, and their analytic backward against central finite differences
// of that reference (float64). norm-wasm.test.ts holds the wasm kernels to these.
import { describe, expect, it } from 'vitest';
import { type NormGeometry as NormLayout, normApply, normBackward, normStats, normSlotCount as slotCount } from '../src/kernels/js/norm.js';
import { assertClose } from '@minigrad/testing';

/** A small deterministic generator (mulberry32) so the cases are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(len: number, rand: () => number, shift = 0): Float64Array {
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = shift + (rand() * 2 - 1) * 3;
  return a;
}

/** Which statistics slot element (row, channel) belongs to, from the definitions of the four norms. */
function slotOf(l: NormLayout, row: number, ch: number): number {
  const group = Math.floor((ch * l.groups) / l.c);
  return (l.acrossBatch ? 0 : row) * l.groups + group;
}

/** Naive forward: collect each slot's members, then normalize element by element. */
function naiveForward(x: Float64Array, l: NormLayout, w: Float64Array | null, b: Float64Array | null, eps: number): Float64Array {
  const slots = slotCount(l);
  const members: number[][] = Array.from({ length: slots }, () => []);
  for (let row = 0; row < l.n; row++)
    for (let ch = 0; ch < l.c; ch++)
      for (let i = 0; i < l.s; i++) members[slotOf(l, row, ch)].push((row * l.c + ch) * l.s + i);
  const out = new Float64Array(x.length);
  for (const idx of members) {
    const mean = idx.reduce((acc, i) => acc + x[i], 0) / idx.length;
    const variance = idx.reduce((acc, i) => acc + (x[i] - mean) ** 2, 0) / idx.length;
    for (const i of idx) {
      const ch = Math.floor(i / l.s) % l.c;
      out[i] = ((x[i] - mean) / Math.sqrt(variance + eps)) * (w ? w[ch] : 1) + (b ? b[ch] : 0);
    }
  }
  return out;
}

function fused(x: Float64Array, l: NormLayout, w: Float64Array | null, b: Float64Array | null, eps: number) {
  const k = slotCount(l);
  const mean = new Float64Array(k);
  const variance = new Float64Array(k);
  const rstd = new Float64Array(k);
  normStats(x, 0, l, eps, mean, variance, rstd);
  const out = new Float64Array(x.length);
  normApply(x, 0, l, mean, rstd, w, b, out);
  return { out, mean, variance, rstd };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((acc, v, i) => acc + v * b[i], 0);

/** d/dv of sum(dy * f(v)) by central differences. */
function numericGrad(v: Float64Array, dy: Float64Array, f: () => Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + h;
    const up = dot(dy, f());
    v[i] = keep - h;
    const down = dot(dy, f());
    v[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

const layouts: [string, NormLayout][] = [
  ['GroupNorm G=2', { n: 2, c: 4, s: 3, groups: 2, acrossBatch: false }],
  ['GroupNorm G=1 (LayerNorm over C,*)', { n: 2, c: 3, s: 4, groups: 1, acrossBatch: false }],
  ['GroupNorm G=C (InstanceNorm)', { n: 2, c: 3, s: 5, groups: 3, acrossBatch: false }],
  ['LayerNorm [M,K] as groups=1, s=1', { n: 3, c: 6, s: 1, groups: 1, acrossBatch: false }],
  ['BatchNorm', { n: 3, c: 4, s: 2, groups: 4, acrossBatch: true }],
  ['BatchNorm 2-D input', { n: 5, c: 3, s: 1, groups: 3, acrossBatch: true }],
  ['batch of one', { n: 1, c: 4, s: 3, groups: 2, acrossBatch: false }],
];

describe('fused normalization kernels', () => {
  for (const [name, l] of layouts) {
    it(`${name}: forward and statistics match the naive reference`, () => {
      const rand = rng(l.n * 100 + l.c * 10 + l.s);
      const size = l.n * l.c * l.s;
      const x = randomArray(size, rand, 5);
      const w = randomArray(l.c, rand);
      const b = randomArray(l.c, rand);
      for (const [ww, bb] of [[w, b], [null, null]] as const) {
        const { out } = fused(x, l, ww, bb, 1e-5);
        assertClose(out, naiveForward(x, l, ww, bb, 1e-5), { atol: 1e-12, rtol: 1e-10 });
      }
      const { rstd, variance } = fused(x, l, w, b, 1e-5);
      for (let k = 0; k < rstd.length; k++) expect(rstd[k]).toBeCloseTo(1 / Math.sqrt(variance[k] + 1e-5), 12);
    });

    it(`${name}: analytic backward matches finite differences`, () => {
      const rand = rng(7 + l.n * 31 + l.c * 7 + l.s);
      const size = l.n * l.c * l.s;
      const x = randomArray(size, rand);
      const w = randomArray(l.c, rand);
      const b = randomArray(l.c, rand);
      const dy = randomArray(size, rand);
      const eps = 1e-3;
      const { mean, rstd } = fused(x, l, w, b, eps);
      const dx = new Float64Array(size);
      const dw = new Float64Array(l.c);
      const db = new Float64Array(l.c);
      normBackward(x, 0, dy, 0, l, mean, rstd, w, true, dx, dw, db);
      const f = () => naiveForward(x, l, w, b, eps);
      assertClose(dx, numericGrad(x, dy, f), { atol: 1e-6, rtol: 1e-5, label: 'dx' });
      assertClose(dw, numericGrad(w, dy, f), { atol: 1e-6, rtol: 1e-5, label: 'dweight' });
      assertClose(db, numericGrad(b, dy, f), { atol: 1e-6, rtol: 1e-5, label: 'dbias' });
      // without affine: dx only, weight taken as 1
      const dxPlain = new Float64Array(size);
      normBackward(x, 0, dy, 0, l, mean, rstd, null, true, dxPlain, null, null);
      assertClose(dxPlain, numericGrad(x, dy, () => naiveForward(x, l, null, null, eps)), { atol: 1e-6, rtol: 1e-5 });
    });
  }

  it('constant statistics (BatchNorm eval): dx = dy * w * rstd', () => {
    const l: NormLayout = { n: 2, c: 3, s: 2, groups: 3, acrossBatch: true };
    const rand = rng(99);
    const x = randomArray(12, rand);
    const dy = randomArray(12, rand);
    const w = randomArray(3, rand);
    const mean = randomArray(3, rand);
    const rstd = Float64Array.from(randomArray(3, rand), (v) => Math.abs(v) + 0.5);
    const dx = new Float64Array(12);
    const dw = new Float64Array(3);
    normBackward(x, 0, dy, 0, l, mean, rstd, w, false, dx, dw, null);
    const apply = () => {
      const out = new Float64Array(12);
      normApply(x, 0, l, mean, rstd, w, null, out);
      return out;
    };
    assertClose(dx, numericGrad(x, dy, apply), { atol: 1e-6, rtol: 1e-5 });
    assertClose(dw, numericGrad(w, dy, apply), { atol: 1e-6, rtol: 1e-5 });
  });

  it('a one-element slot gives exactly the bias and exactly zero dx', () => {
    const l: NormLayout = { n: 2, c: 3, s: 1, groups: 3, acrossBatch: false };
    const x = Float32Array.from([0.1, -7.3, 1e6, 3.3, 0.7, -2]);
    const w = Float32Array.from([2, -3, 0.5]);
    const b = Float32Array.from([0.25, -1.5, 4]);
    const mean = new Float64Array(6);
    const variance = new Float64Array(6);
    const rstd = new Float64Array(6);
    normStats(x, 0, l, 1e-5, mean, variance, rstd);
    const out = new Float32Array(6);
    normApply(x, 0, l, mean, rstd, w, b, out);
    expect(Array.from(out)).toEqual([0.25, -1.5, 4, 0.25, -1.5, 4]);
    const dx = new Float32Array(6);
    normBackward(x, 0, Float32Array.from([1, 2, 3, -4, 5, 6]), 0, l, mean, rstd, w, true, dx, null, null);
    expect(Array.from(dx, Math.abs)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('float32 data with a large offset: two-pass variance stays accurate', () => {
    const l: NormLayout = { n: 1, c: 1, s: 1000, groups: 1, acrossBatch: false };
    const rand = rng(5);
    const x = new Float32Array(1000);
    for (let i = 0; i < 1000; i++) x[i] = 10000 + (rand() - 0.5);
    const exact = Float64Array.from(x);
    const m = exact.reduce((a, v) => a + v, 0) / 1000;
    const v = exact.reduce((a, u) => a + (u - m) ** 2, 0) / 1000;
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    const rstd = new Float64Array(1);
    normStats(x, 0, l, 0, mean, variance, rstd);
    expect(Math.abs(variance[0] - v) / v).toBeLessThan(1e-9);
  });

  for (const l of [layouts[0][1], layouts[3][1], layouts[4][1]]) {
    it(`backward reads x and dy at offsets (s=${l.s}, groups=${l.groups}, acrossBatch=${l.acrossBatch})`, () => {
      const rand = rng(17);
      const size = l.n * l.c * l.s;
      const x = randomArray(size, rand);
      const dy = randomArray(size, rand);
      const w = randomArray(l.c, rand);
      const { mean, rstd } = fused(x, l, w, null, 1e-5);
      const expected = [new Float64Array(size), new Float64Array(l.c), new Float64Array(l.c)] as const;
      normBackward(x, 0, dy, 0, l, mean, rstd, w, true, ...expected);
      const xPadded = new Float64Array(size + 5);
      xPadded.set(x, 5);
      const dyPadded = new Float64Array(size + 2);
      dyPadded.set(dy, 2);
      const actual = [new Float64Array(size), new Float64Array(l.c), new Float64Array(l.c)] as const;
      normBackward(xPadded, 5, dyPadded, 2, l, mean, rstd, w, true, ...actual);
      actual.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(expected[i])));
    });
  }

  it('reads input at an offset', () => {
    const l: NormLayout = { n: 2, c: 2, s: 2, groups: 1, acrossBatch: false };
    const rand = rng(3);
    const x = randomArray(8, rand);
    const padded = new Float64Array(11);
    padded.set(x, 3);
    const k = slotCount(l);
    const [m1, v1, r1, m2, v2, r2] = Array.from({ length: 6 }, () => new Float64Array(k));
    normStats(x, 0, l, 1e-5, m1, v1, r1);
    normStats(padded, 3, l, 1e-5, m2, v2, r2);
    expect(Array.from(m2)).toEqual(Array.from(m1));
    const o1 = new Float64Array(8);
    const o2 = new Float64Array(8);
    normApply(x, 0, l, m1, r1, null, null, o1);
    normApply(padded, 3, l, m2, r2, null, null, o2);
    expect(Array.from(o2)).toEqual(Array.from(o1));
  });
});
