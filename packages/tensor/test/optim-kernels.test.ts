// The fused optimizer kernels ('optim.sgd', 'optim.adam', 'optim.rmsprop', 'optim.adagrad'): the wasm kernels against the js reference bit for
// bit (float32 data with zeros, -0, subnormals, huge and tiny values, infinities and NaN; every option; runs
// crossing the wasm chunks and ragged ends; operands at offsets), and the tensor-level update functions.
import { describe, expect, test } from 'vitest';
import { getBackend, setBackend, tensor, zeros } from '@minigrad/tensor';
import { getKernel } from '@minigrad/tensor/internal';
import { adagradUpdate, adamUpdate, rmspropUpdate, sgdUpdate } from '@minigrad/tensor/internal';
import { sgd as jsSgd, type SgdHyper } from '../src/kernels/js/optim-sgd.js';
import { adam as jsAdam, type AdamHyper } from '../src/kernels/js/optim-adam.js';
import { rmsprop as jsRmsprop, type RmspropHyper } from '../src/kernels/js/optim-rmsprop.js';
import { adagrad as jsAdagrad, type AdagradHyper } from '../src/kernels/js/optim-adagrad.js';
import { sgd as wasmSgd } from '../src/kernels/wasm/optim-sgd.js';
import { adam as wasmAdam } from '../src/kernels/wasm/optim-adam.js';
import { rmsprop as wasmRmsprop } from '../src/kernels/wasm/optim-rmsprop.js';
import { adagrad as wasmAdagrad } from '../src/kernels/wasm/optim-adagrad.js';
import { lcg } from './seeded.js';
import { describeEachBackend } from '@minigrad/testing';

/** Run lengths: below and at the wasm threshold (256), ragged ends, and across the chunks (8192, 16384). */
const SIZES = [1, 5, 255, 256, 257, 258, 259, 1000, 8191, 8192, 8197, 16383, 16384, 16389, 2 * 16384 + 3];

/** A float32 value: mostly ordinary, with the special cases mixed in (`nonNegative` for second moments). */
function value(rnd: () => number, nonNegative = false): number {
  const u = rnd();
  let x: number;
  if (u < 0.6) x = (rnd() - 0.5) * 4;
  else if (u < 0.65) x = 0;
  else if (u < 0.68) x = -0;
  else if (u < 0.76) x = (1 + rnd()) * 2 ** -(127 + Math.floor(rnd() * 23)); // subnormal
  else if (u < 0.82) x = (1 + rnd()) * 2 ** (60 + Math.floor(rnd() * 67)); // huge, up to 2^127
  else if (u < 0.9) x = (1 + rnd()) * 2 ** -(20 + Math.floor(rnd() * 100)); // tiny normal
  else if (u < 0.995) x = (rnd() - 0.5) * 1e-3;
  else if (u < 0.998) x = Infinity;
  else x = NaN;
  if (!nonNegative && rnd() < 0.5) x = -x;
  return Math.fround(x);
}

/** `offset` junk elements, then n values. */
function operand(n: number, offset: number, rnd: () => number, nonNegative = false): Float32Array {
  const a = new Float32Array(offset + n);
  for (let i = 0; i < a.length; i++) a[i] = value(rnd, nonNegative);
  return a;
}

/** Bitwise equality, except that any NaN equals any NaN (JS and wasm may give NaNs different payloads). */
function expectSameBits(got: Float32Array, want: Float32Array, label: string): void {
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < got.length; i++) {
    if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      throw new Error(`${label}: element ${i} is ${got[i]} (0x${g[i].toString(16)}), the js kernel gives ${want[i]} (0x${w[i].toString(16)})`);
    }
  }
}

const lrOf = (rnd: () => number): number => [0.1, 0.0123, 1e-3, 3.3e-7][Math.floor(rnd() * 4)];

describe('wasm optim.sgd vs js optim.sgd, bit for bit', () => {
  const options: [string, Omit<SgdHyper, 'lr'>][] = [
    ['plain', { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }],
    ['plain, maximize, weight decay', { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0.01, maximize: true }],
    ['momentum', { momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }],
    ['momentum, maximize', { momentum: 0.37, dampening: 0, nesterov: false, weightDecay: 0, maximize: true }],
    ['momentum, dampening', { momentum: 0.8, dampening: 0.3, nesterov: false, weightDecay: 0, maximize: false }],
    ['momentum, dampening, weight decay, maximize', { momentum: 0.8, dampening: 0.3, nesterov: false, weightDecay: 0.1, maximize: true }],
    ['nesterov, weight decay', { momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01, maximize: false }],
    ['nesterov, maximize', { momentum: 0.6, dampening: 0, nesterov: true, weightDecay: 0, maximize: true }],
  ];
  for (const [name, o] of options) {
    test(name, () => {
      const rnd = lcg(name.length * 97 + 5);
      for (const n of SIZES) {
        for (const first of o.momentum === 0 ? [false] : [true, false]) {
          const hyper = { ...o, lr: lrOf(rnd) };
          const [po, go, bo] = [0, 1, 2].map(() => Math.floor(rnd() * 5));
          const p = operand(n, po, rnd);
          const g = operand(n, go, rnd);
          const b = o.momentum === 0 ? null : operand(n, bo, rnd);
          const run = (kernel: typeof jsSgd) => {
            const [pc, bc] = [p.slice(), b === null ? null : b.slice()];
            kernel(n, pc, po, g, go, bc, bo, first, hyper);
            return [pc, bc] as const;
          };
          const [pw, bw] = run(wasmSgd);
          const [pj, bj] = run(jsSgd);
          const label = `sgd ${name} n=${n} first=${first}`;
          expectSameBits(pw, pj, `${label}: param`);
          if (bw !== null && bj !== null) expectSameBits(bw, bj, `${label}: momentum buffer`);
        }
      }
    });
  }

  test('the data tells double-rounded x + y*z from float32 ops (so the tests above can fail)', () => {
    // The js kernel computes float(p + scale*b) in double; float(p + float(scale*b)) differs on this data.
    const rnd = lcg(3);
    const n = 4096;
    const p = operand(n, 0, rnd);
    const g = operand(n, 0, rnd);
    const b = operand(n, 0, rnd);
    const hyper = { lr: 0.0123, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    const pj = p.slice();
    const bj = b.slice();
    jsSgd(n, pj, 0, g, 0, bj, 0, false, hyper);
    const scale = Math.fround(-hyper.lr);
    let differs = 0;
    for (let i = 0; i < n; i++) {
      const naive = Math.fround(p[i] + Math.fround(scale * bj[i]));
      if (!Object.is(naive, pj[i]) && !(Number.isNaN(naive) && Number.isNaN(pj[i]))) differs++;
    }
    expect(differs).toBeGreaterThan(0);
  });
});

describe('wasm optim.adam vs js optim.adam, bit for bit', () => {
  const options: [string, Omit<AdamHyper, 'lr'>, boolean, boolean][] = [
    ['Adam', { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, false, false],
    ['Adam, L2 decay, amsgrad', { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.1, maximize: false }, false, true],
    ['Adam, maximize, L2 decay, other betas', { betas: [0.8, 0.95], eps: 1e-6, weightDecay: 0.05, maximize: true }, false, false],
    ['AdamW', { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, maximize: false }, true, false],
    ['AdamW, amsgrad, maximize', { betas: [0.5, 0.9], eps: 1e-8, weightDecay: 0.2, maximize: true }, true, true],
    ['AdamW without decay', { betas: [0.9, 0.999], eps: 0, weightDecay: 0, maximize: false }, true, false],
  ];
  for (const [name, o, decoupled, amsgrad] of options) {
    test(name, () => {
      const rnd = lcg(name.length * 31 + 1);
      for (const n of SIZES) {
        for (const step of [1, 2, 7, 1000]) {
          const hyper = { ...o, lr: lrOf(rnd) };
          const [po, go, mo, vo, xo] = [0, 1, 2, 3, 4].map(() => Math.floor(rnd() * 5));
          const p = operand(n, po, rnd);
          const g = operand(n, go, rnd);
          const m = operand(n, mo, rnd);
          // Second moments are >= 0 in use; negative ones (sqrt of NaN) must agree too.
          const v = operand(n, vo, rnd, rnd() < 0.8);
          const x = amsgrad ? operand(n, xo, rnd, true) : null;
          const run = (kernel: typeof jsAdam) => {
            const out = [p.slice(), m.slice(), v.slice(), x === null ? null : x.slice()] as const;
            kernel(n, out[0], po, g, go, out[1], mo, out[2], vo, out[3], xo, step, decoupled, hyper);
            return out;
          };
          const w = run(wasmAdam);
          const j = run(jsAdam);
          const label = `adam ${name} n=${n} step=${step}`;
          ['param', 'expAvg', 'expAvgSq', 'maxExpAvgSq'].forEach((what, k) => {
            const [a, b] = [w[k], j[k]];
            if (a !== null && b !== null) expectSameBits(a, b, `${label}: ${what}`);
          });
        }
      }
    });
  }
});

/** Runs `kernel` on copies of the written operands; returns them (null stays null). */
function runOn<A extends (Float32Array | null)[]>(written: A, call: (copies: A) => void): A {
  const copies = written.map((a) => (a === null ? null : a.slice())) as A;
  call(copies);
  return copies;
}

function expectSameOperands(w: (Float32Array | null)[], j: (Float32Array | null)[], names: string[], label: string): void {
  names.forEach((what, k) => {
    const [a, b] = [w[k], j[k]];
    expect(a === null, `${label}: ${what} present in one result only`).toBe(b === null);
    if (a !== null && b !== null) expectSameBits(a, b, `${label}: ${what}`);
  });
}

describe('wasm optim.rmsprop vs js optim.rmsprop, bit for bit', () => {
  const options: [string, Omit<RmspropHyper, 'lr'>, boolean][] = [
    ['plain', { alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, maximize: false }, false],
    ['momentum', { alpha: 0.9, eps: 1e-8, weightDecay: 0, momentum: 0.9, maximize: false }, false],
    ['centered, weight decay', { alpha: 0.99, eps: 1e-6, weightDecay: 0.1, momentum: 0, maximize: false }, true],
    ['centered, momentum, maximize', { alpha: 0.95, eps: 1e-8, weightDecay: 0, momentum: 0.5, maximize: true }, true],
    ['momentum, weight decay, maximize', { alpha: 0.8, eps: 0, weightDecay: 0.01, momentum: 0.3, maximize: true }, false],
  ];
  for (const [name, o, centered] of options) {
    test(name, () => {
      const rnd = lcg(name.length * 53 + 7);
      for (const n of SIZES) {
        const hyper = { ...o, lr: lrOf(rnd) };
        const [po, go, so, ao, bo] = [0, 1, 2, 3, 4].map(() => Math.floor(rnd() * 5));
        const p = operand(n, po, rnd);
        const g = operand(n, go, rnd);
        const sq = operand(n, so, rnd, rnd() < 0.8);
        const a = centered ? operand(n, ao, rnd) : null;
        const b = o.momentum === 0 ? null : operand(n, bo, rnd);
        const run = (kernel: typeof jsRmsprop) => runOn([p, sq, a, b], ([pc, sc, ac, bc]) => kernel(n, pc!, po, g, go, sc!, so, ac, ao, bc, bo, hyper));
        expectSameOperands(run(wasmRmsprop), run(jsRmsprop), ['param', 'squareAvg', 'gradAvg', 'momentum buffer'], `rmsprop ${name} n=${n}`);
      }
    });
  }
});

describe('wasm optim.adagrad vs js optim.adagrad, bit for bit', () => {
  const options: [string, Omit<AdagradHyper, 'lr'>][] = [
    ['plain', { lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false }],
    ['lr decay, weight decay', { lrDecay: 0.05, weightDecay: 0.1, eps: 1e-10, maximize: false }],
    ['maximize, eps', { lrDecay: 0, weightDecay: 0, eps: 1e-6, maximize: true }],
  ];
  for (const [name, o] of options) {
    test(name, () => {
      const rnd = lcg(name.length * 71 + 3);
      for (const n of SIZES) {
        for (const step of [1, 3, 500]) {
          const hyper = { ...o, lr: lrOf(rnd) };
          const [po, go, so] = [0, 1, 2].map(() => Math.floor(rnd() * 5));
          const p = operand(n, po, rnd);
          const g = operand(n, go, rnd);
          const sum = operand(n, so, rnd, rnd() < 0.8);
          const run = (kernel: typeof jsAdagrad) => runOn([p, sum], ([pc, sc]) => kernel(n, pc!, po, g, go, sc!, so, step, hyper));
          expectSameOperands(run(wasmAdagrad), run(jsAdagrad), ['param', 'sum'], `adagrad ${name} n=${n} step=${step}`);
        }
      }
    });
  }
});

describeEachBackend('the tensor-level updates', () => {
  const sgdOptions: SgdHyper = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
  const adamOptions: AdamHyper = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

  test('sgdUpdate and adamUpdate update in place, bump the versions of what they write, and take offsets', () => {
    const base = tensor([9, 1, 2, 3, 4]);
    const p = base.slice(0, 1, 5);
    const g = tensor([1, -1, 0.5, 2]);
    const b = zeros([4]);
    const versions = [p.storage.version, b.storage.version, g.storage.version];
    sgdUpdate(p, g, b, true, sgdOptions);
    expect(Array.from(base.toTypedArray())).toEqual([9, 1 - 0.1, 2 + 0.1, Math.fround(3 - Math.fround(0.1) * 0.5), Math.fround(4 - Math.fround(0.1) * 2)].map(Math.fround));
    expect(Array.from(b.toTypedArray())).toEqual([1, -1, 0.5, 2]);
    expect([p.storage.version, b.storage.version, g.storage.version]).toEqual([versions[0] + 1, versions[1] + 1, versions[2]]);
    const m = zeros([4]);
    const v = zeros([4]);
    adamUpdate(p, g, m, v, null, 1, false, adamOptions);
    // The first Adam step moves every element with a nonzero gradient by lr (up to eps), against the gradient.
    const moved = Array.from(base.toTypedArray()).map((x, i) => x - [9, 0.9, 2.1, 2.95, 3.8][i]);
    moved.forEach((d, i) => expect(d).toBeCloseTo([0, -0.1, 0.1, -0.1, -0.1][i], 5));
    expect(m.storage.version).toBe(1);
  });

  test('reject operands of another dtype, size or layout', () => {
    const p = zeros([2, 3]);
    expect(() => sgdUpdate(p, zeros([2, 3], { dtype: 'float64' }), null, false, sgdOptions)).toThrow(/sgdUpdate: grad has dtype float64/);
    expect(() => sgdUpdate(p, zeros([5]), null, false, sgdOptions)).toThrow(/sgdUpdate: grad has shape \[5\], the parameter \[2, ?3\]/);
    expect(() => sgdUpdate(p, zeros([3, 2]).t(), null, false, sgdOptions)).toThrow(/sgdUpdate: grad \(shape \[2, ?3\]\) must be contiguous/);
    expect(() => sgdUpdate(zeros([2], { dtype: 'int32' }), zeros([2], { dtype: 'int32' }), null, false, sgdOptions)).toThrow(/sgdUpdate: param has dtype int32/);
    expect(() => adamUpdate(p, zeros([2, 3]), zeros([2, 3]), zeros([6]).slice(0, 0, 6, 2), null, 1, false, adamOptions)).toThrow(/adamUpdate: expAvgSq/);
    expect(() => adamUpdate(p, zeros([2, 3]), zeros([2, 3]), zeros([2, 3]), zeros([2, 3], { dtype: 'float64' }), 1, false, adamOptions)).toThrow(/adamUpdate: maxExpAvgSq has dtype float64/);
    const rmsOptions: RmspropHyper = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, maximize: false };
    expect(() => rmspropUpdate(p, zeros([2, 3]), zeros([2, 3]), zeros([2]), null, rmsOptions)).toThrow(/rmspropUpdate: gradAvg has shape \[2\]/);
    expect(() => adagradUpdate(p, zeros([2, 3]), zeros([3, 2]).t(), 1, { lr: 0.1, lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false })).toThrow(/adagradUpdate: sum \(shape \[2, ?3\]\) must be contiguous/);
  });
});

describe('the tensor-level updates across backends', () => {
  const sgdOptions: SgdHyper = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
  const adamOptions: AdamHyper = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

  test('give the same bits on every backend (float32 and float64, large enough for the wasm kernels)', () => {
    const rnd = lcg(23);
    for (const dtype of ['float32', 'float64'] as const) {
      const data = Array.from({ length: 3000 }, () => rnd() - 0.5);
      const results: Float64Array[] = [];
      const previous = getBackend();
      for (const backend of ['js', 'wasm'] as const) {
        setBackend(backend);
        expect(getKernel('optim.sgd')).toBe(backend === 'js' ? jsSgd : wasmSgd);
        expect(getKernel('optim.adam')).toBe(backend === 'js' ? jsAdam : wasmAdam);
        expect(getKernel('optim.rmsprop')).toBe(backend === 'js' ? jsRmsprop : wasmRmsprop);
        expect(getKernel('optim.adagrad')).toBe(backend === 'js' ? jsAdagrad : wasmAdagrad);
        const p = tensor(data, { dtype });
        const g = tensor(data.map((x) => x * 0.3 + 0.01), { dtype });
        const b = zeros([3000], { dtype });
        const [m, v, sq, ga, sum] = [0, 0, 0, 0, 0].map(() => zeros([3000], { dtype }));
        for (let step = 1; step <= 3; step++) {
          sgdUpdate(p, g, b, step === 1, sgdOptions);
          adamUpdate(p, g, m, v, null, step, true, { ...adamOptions, weightDecay: 0.01 });
          rmspropUpdate(p, g, sq, ga, b, { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.01, momentum: 0.5, maximize: false });
          adagradUpdate(p, g, sum, step, { lr: 0.1, lrDecay: 0.01, weightDecay: 0, eps: 1e-10, maximize: false });
        }
        results.push(Float64Array.from(p.toTypedArray() as ArrayLike<number>));
      }
      setBackend(previous);
      expect(results[1]).toEqual(results[0]);
    }
  });
});
