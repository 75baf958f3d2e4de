// The wasm normalization kernels against the js ones (norm-kernels.test.ts checks those against the
// definitions): float32 data of every layout (GroupNorm, LayerNorm as [M, K] with s = 1, InstanceNorm,
// BatchNorm over [N, C, *] and [N, C]), with and without affine, large means over tiny spreads, ragged
// runs (s or a group's length not a multiple of 4), inputs at offsets. They do the same float64 arithmetic
// in the same order, so the results must agree bit for bit.
import { describe, expect, it } from 'vitest';
import { wasmAvailable } from '@minigrad/tensor';
import * as js from '../src/kernels/js/norm.js';
import type { NormGeometry } from '../src/kernels/js/norm.js';
import { wasmKernels } from '../src/kernels/wasm/index.js';
import { lcg } from './seeded.js';

const wasm = {
  normStats: wasmKernels['norm.stats'],
  normApply: wasmKernels['norm.apply'],
  normBackward: wasmKernels['norm.backward'],
};

const geometry = (n: number, c: number, s: number, groups: number, acrossBatch = false): NormGeometry => ({ n, c, s, groups, acrossBatch });

const layouts: [string, NormGeometry][] = [
  ['GroupNorm 8 groups [2,32,28,28]', geometry(2, 32, 784, 8)],
  ['GroupNorm 32 groups [2,64,14,14]', geometry(2, 64, 196, 32)],
  ['GroupNorm odd spatial [3,6,5,7]', geometry(3, 6, 35, 3)],
  ['GroupNorm G=1 (LayerNorm over C,*) [2,5,9,3]', geometry(2, 5, 27, 1)],
  ['InstanceNorm (G=C) [2,4,11,13]', geometry(2, 4, 143, 4)],
  ['LayerNorm [M,K] = [6,130] (s = 1)', geometry(6, 130, 1, 1)],
  ['LayerNorm [M,K] = [40,8] (s = 1)', geometry(40, 8, 1, 1)],
  ['BatchNorm2d [4,3,9,10]', geometry(4, 3, 90, 3, true)],
  ['BatchNorm2d [5,8,7,7]', geometry(5, 8, 49, 8, true)],
  ['BatchNorm1d [300,5] (s = 1)', geometry(300, 5, 1, 5, true)],
  ['below the size threshold (js path) [2,4,3]', geometry(2, 4, 3, 2)],
];

function floats(len: number, rnd: () => number, mean: number, spread: number): Float32Array {
  const a = new Float32Array(len);
  for (let i = 0; i < len; i++) a[i] = mean + (rnd() * 2 - 1) * spread;
  return a;
}

/** The same data behind `offset` junk elements. */
function padded(a: Float32Array, offset: number): Float32Array {
  const out = new Float32Array(offset + a.length).fill(Number.NaN);
  out.set(a, offset);
  return out;
}

const same = (got: ArrayLike<number>, want: ArrayLike<number>, label: string) =>
  expect(Array.from(got), label).toEqual(Array.from(want));

type Kernels = typeof wasm;

function run(k: Kernels, g: NormGeometry, x: Float32Array, xOff: number, dy: Float32Array, dyOff: number,
  w: Float32Array | null, b: Float32Array | null, eps: number) {
  const slots = js.normSlotCount(g);
  const size = g.n * g.c * g.s;
  const [mean, variance, rstd] = [0, 0, 0].map(() => new Float64Array(slots));
  k.normStats(x, xOff, g, eps, mean, variance, rstd);
  const out = new Float32Array(size);
  k.normApply(x, xOff, g, mean, rstd, w, b, out);
  const dx = new Float32Array(size);
  const dw = new Float32Array(g.c);
  const db = new Float32Array(g.c);
  k.normBackward(x, xOff, dy, dyOff, g, mean, rstd, w, true, dx, dw, db);
  // constant statistics (BatchNorm eval), dx only
  const dxFixed = new Float32Array(size);
  k.normBackward(x, xOff, dy, dyOff, g, mean, rstd, w, false, dxFixed, null, null);
  // parameter gradients only
  const dwOnly = new Float32Array(g.c);
  k.normBackward(x, xOff, dy, dyOff, g, mean, rstd, w, true, null, dwOnly, null);
  return { mean, variance, rstd, out, dx, dw, db, dxFixed, dwOnly };
}

describe('wasm normalization kernels == js kernels (float32, bit for bit)', () => {
  it('run in Node 20 (the package entry loads the module)', () => expect(wasmAvailable()).toBe(true));

  const data: [string, number, number][] = [
    ['centred', 0, 3],
    ['large mean, tiny spread', 1e4, 0.5],
    ['negative mean, spread 1e-3', -300, 1e-3],
  ];
  for (const [name, g] of layouts) {
    for (const [dataName, mean, spread] of data) {
      for (const affine of [true, false]) {
        it(`${name}, ${dataName}, ${affine ? 'affine' : 'no affine'}`, () => {
          const rnd = lcg(g.n * 1000 + g.c * 10 + g.s + (affine ? 1 : 0));
          const size = g.n * g.c * g.s;
          const xOff = Math.floor(rnd() * 5);
          const dyOff = Math.floor(rnd() * 5);
          const x = padded(floats(size, rnd, mean, spread), xOff);
          const dy = padded(floats(size, rnd, 0, 1), dyOff);
          const w = affine ? floats(g.c, rnd, 0.5, 1) : null;
          const b = affine ? floats(g.c, rnd, 0, 2) : null;
          const want = run(js, g, x, xOff, dy, dyOff, w, b, 1e-5);
          const got = run(wasm, g, x, xOff, dy, dyOff, w, b, 1e-5);
          for (const key of Object.keys(want) as (keyof typeof want)[]) same(got[key], want[key], key);
          expect(want.out.every(Number.isFinite) && want.dx.every(Number.isFinite)).toBe(true);
        });
      }
    }
  }

  it('one-element slots: exactly the bias and exactly zero dx', () => {
    const g = geometry(64, 5, 1, 5); // InstanceNorm of [64, 5] with s = 1: every slot holds one element
    const rnd = lcg(9);
    const x = floats(320, rnd, 3, 100);
    const w = floats(5, rnd, 0, 2);
    const b = floats(5, rnd, 0, 2);
    const got = run(wasm, g, x, 0, floats(320, rnd, 0, 1), 0, w, b, 1e-5);
    same(got.out, Array.from({ length: 320 }, (_, i) => b[i % 5]), 'out');
    same(Array.from(got.dx, Math.abs), new Float32Array(320), 'dx');
  });

  it('float64 data takes the js kernel', () => {
    const g = geometry(2, 8, 64, 4);
    const rnd = lcg(4);
    const x = Float64Array.from(floats(1024, rnd, 1, 1));
    const [m1, v1, r1, m2, v2, r2] = Array.from({ length: 6 }, () => new Float64Array(8));
    js.normStats(x, 0, g, 1e-5, m1, v1, r1);
    wasm.normStats(x, 0, g, 1e-5, m2, v2, r2);
    same(m2, m1, 'mean');
    const o1 = new Float64Array(1024);
    const o2 = new Float64Array(1024);
    js.normApply(x, 0, g, m1, r1, null, null, o1);
    wasm.normApply(x, 0, g, m2, r2, null, null, o2);
    same(o2, o1, 'out');
  });
});
