// Conformance of the wasm backend: every kernel it registers against the 'js' kernel of the same name (and
// gemm against a naive loop too), on random shapes, strides and offsets, ragged tile edges, M/N/K = 1 and
// shapes crossing every cache block; results must be bit-identical from run to run.
import { describe, expect, test } from 'vitest';
import { getBackend, initWasmBackend, setBackend, wasmAvailable, wasmBackend } from '@minigrad/tensor';
import { kernelNames } from '@minigrad/tensor/internal';
import { gemm as jsGemm, type GemmArray } from '../src/kernels/js/gemm.js';
import * as jsConv from '../src/kernels/js/conv.js';
import { col2im as jsCol2im, im2col as jsIm2col, isPointwise } from '../src/kernels/js/conv-im2col.js';
import {
  type PoolGeometry, maxPool2dBackward as jsMaxPool2dBackward, maxPool2dForward as jsMaxPool2d,
} from '../src/kernels/js/pool.js';
import { unaryKernels } from '../src/kernels/js/elementwise.js';
import { reluBackward as jsReluBackward } from '../src/kernels/js/relu-backward.js';
import { sumChannels as jsSumChannels } from '../src/kernels/js/reduce.js';
import type { ConvGeometry } from '../src/kernels/js/conv.js';
import { wasmKernels } from '../src/kernels/wasm/index.js';
import { arenaRegions, copyIn, copyOut, wasm } from '../src/kernels/wasm/instance.js';
import { type Operand, naiveGemm, stridedOperand } from './gemm-reference.js';
import { lcg } from './seeded.js';

const wasmGemm = wasmKernels.gemm;

/** rows x cols at a random offset (< 7), row-major or transposed (drawn first when not given), rows padded. */
function operand(rows: number, cols: number, f64: boolean, rnd: () => number, transposed = rnd() < 0.5): Operand {
  return stridedOperand(rows, cols, f64, rnd, 7, transposed);
}

/** Runs wasm gemm twice (must agree bitwise), then checks it against the naive loop and the js kernel. */
function checkGemm(
  M: number, N: number, K: number, f64: boolean, acc: boolean, rnd: () => number, aT?: boolean, bT?: boolean,
): void {
  const a = operand(M, K, f64, rnd, aT);
  const b = operand(K, N, f64, rnd, bT);
  const cOff = Math.floor(rnd() * 5);
  const size = cOff + M * N + 3;
  const c0 = f64 ? new Float64Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) c0[i] = rnd() * 2 - 1;
  const run = (kernel: typeof jsGemm): GemmArray => {
    const c = c0.slice();
    kernel(M, N, K, a.data, a.offset, a.rowStride, a.colStride, b.data, b.offset, b.rowStride, b.colStride, c, cOff, acc);
    return c;
  };
  const got = run(wasmGemm);
  const label = `gemm M=${M} N=${N} K=${K} f64=${f64} acc=${acc}`;
  expect(run(wasmGemm), `${label}: not reproducible`).toEqual(got);
  const js = run(jsGemm);
  if (f64) {
    expect(got, `${label}: float64 must take the js kernel`).toEqual(js);
    return;
  }
  const want = Float64Array.from(c0);
  naiveGemm(M, N, K, a, b, want, cOff, acc);
  for (let i = 0; i < size; i++) {
    const inside = i >= cOff && i < cOff + M * N;
    if (!inside) {
      expect(got[i], `${label}: C[${i}] outside the product was written`).toBe(c0[i]);
      continue;
    }
    // float32 accumulation: error grows like sqrt(K) ulps of the partial sums (|terms| <= 1).
    const tol = 2e-6 * (Math.sqrt(K) + 1) * (1 + Math.abs(want[i]));
    if (Math.abs(got[i] - want[i]) > tol || Math.abs(got[i] - js[i]) > tol) {
      throw new Error(`${label}: C[${i}] = ${got[i]}, naive ${want[i]}, js ${js[i]}`);
    }
  }
}

describe('wasm backend', () => {
  test('is available in Node 20 and is the default backend', () => {
    expect(wasmAvailable()).toBe(true);
    expect(getBackend().name).toBe('wasm');
  });

  test('initWasmBackend compiles asynchronously and makes wasm active', async () => {
    setBackend('js');
    await expect(initWasmBackend()).resolves.toBe('wasm');
    expect(getBackend()).toBe(wasmBackend);
  });

  test('every kernel it registers is covered by this file', () => {
    // norm.*: test/norm-wasm.test.ts
    expect(kernelNames('wasm').sort()).toEqual(['addChannelBias', 'conv2d', 'conv2dBackward', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'gemm', 'maxPool2d', 'maxPool2dBackward', 'norm.apply', 'norm.backward', 'norm.stats', 'optim.adagrad', 'optim.adam', 'optim.rmsprop', 'optim.sgd', 'reluBackward', 'sumChannels', 'unary.relu']);
  });

  test('setBackend takes names and rejects unknown ones', () => {
    setBackend('js');
    expect(getBackend().name).toBe('js');
    setBackend('wasm');
    expect(getBackend()).toBe(wasmBackend);
    expect(() => setBackend('gpu' as 'js')).toThrow(/setBackend: unknown backend 'gpu'/);
  });
});

describe('wasm gemm vs js gemm and a naive loop', () => {
  test('random sizes, strides, offsets, transposed operands, accumulate (float32 and float64)', () => {
    const rnd = lcg(7);
    for (let t = 0; t < 120; t++) {
      const M = 1 + Math.floor(rnd() * 40);
      const N = 1 + Math.floor(rnd() * 40);
      const K = 1 + Math.floor(rnd() * 40);
      checkGemm(M, N, K, t % 5 === 4, rnd() < 0.5, rnd);
    }
  });

  test('M, N or K = 1, and edges one off the 2x16 tile', () => {
    const rnd = lcg(11);
    const dims = [1, 2, 3, 5, 15, 16, 17, 33];
    for (const M of dims) for (const N of dims) for (const K of [1, 2, 31]) checkGemm(M, N, K, false, (M + N) % 2 === 0, rnd);
    checkGemm(1, 300, 200, false, false, rnd);
    checkGemm(300, 1, 200, false, true, rnd);
    checkGemm(40, 50, 1, false, false, rnd);
  });

  test('a last panel of at most 4 columns (8 rows at a time by its narrow kernel) has the bits of full tiles', () => {
    // The same columns computed inside full 16-wide tiles (N = 32) and as a narrow last panel (N = 16q + r):
    // each element is the same float32 sum in the same order, so the bits must agree.
    const rnd = lcg(23);
    for (const [M, K] of [[8, 5], [19, 40], [64, 300]] as const) {
      for (const r of [1, 2, 3, 4]) {
        for (const acc of [false, true]) {
          const N = 16 + r;
          const a = Float32Array.from({ length: M * K }, () => rnd() * 2 - 1);
          const wide = Float32Array.from({ length: K * 32 }, () => rnd() * 2 - 1);
          const narrow = new Float32Array(K * N);
          for (let k = 0; k < K; k++) narrow.set(wide.subarray(k * 32, k * 32 + N), k * N);
          const start = Float32Array.from({ length: M * 32 }, () => rnd() * 2 - 1);
          const cWide = start.slice();
          const cNarrow = new Float32Array(M * N);
          for (let i = 0; i < M; i++) cNarrow.set(start.subarray(i * 32, i * 32 + N), i * N);
          wasmGemm(M, 32, K, a, 0, K, 1, wide, 0, 32, 1, cWide, 0, acc);
          wasmGemm(M, N, K, a, 0, K, 1, narrow, 0, N, 1, cNarrow, 0, acc);
          for (let i = 0; i < M; i++) {
            expect(Array.from(cNarrow.subarray(i * N, (i + 1) * N)), `M=${M} N=${N} K=${K} acc=${acc} row ${i}`).toEqual(Array.from(cWide.subarray(i * 32, i * 32 + N)));
          }
        }
      }
    }
  });

  test('few rows (M <= 8) in every operand layout: B streamed by rows, by columns, or packed', () => {
    const rnd = lcg(19);
    for (const M of [1, 2, 3, 4, 5, 8]) {
      for (const [aT, bT] of [[false, false], [false, true], [true, false], [true, true]]) {
        checkGemm(M, 37, 203, false, M % 2 === 0, rnd, aT, bT);
        checkGemm(M, 8, 4, false, false, rnd, aT, bT);
        checkGemm(M, 1, 1027, false, true, rnd, aT, bT);
      }
    }
  });

  test('crosses every cache block (K > 256, M > 64, N > 1024) with ragged edges', () => {
    const rnd = lcg(13);
    checkGemm(77, 41, 517, false, false, rnd);
    checkGemm(150, 19, 300, false, true, rnd);
    checkGemm(9, 1055, 33, false, false, rnd);
    checkGemm(67, 1031, 259, false, true, rnd);
  });
});

describe('wasm conv kernels vs js conv kernels', () => {
  function geometry(rnd: () => number): ConvGeometry {
    const pick = (n: number) => 1 + Math.floor(rnd() * n);
    const groups = pick(2);
    const C = groups * pick(4);
    const O = groups * pick(6);
    const kH = pick(3), kW = pick(3);
    const strideH = pick(2), strideW = pick(2);
    const dilationH = pick(2), dilationW = pick(2);
    const padTop = Math.floor(rnd() * 2), padLeft = Math.floor(rnd() * 2);
    const H = (kH - 1) * dilationH + pick(9), W = (kW - 1) * dilationW + pick(9);
    const oH = Math.floor((H + 2 * padTop - dilationH * (kH - 1) - 1) / strideH) + 1;
    const oW = Math.floor((W + 2 * padLeft - dilationW * (kW - 1) - 1) / strideW) + 1;
    return { N: pick(3), C, H, W, O, oH, oW, kH, kW, strideH, strideW, padTop, padLeft, dilationH, dilationW, groups };
  }
  const random = (n: number, rnd: () => number) => Float32Array.from({ length: n }, () => rnd() * 2 - 1);

  const fixed: ConvGeometry[] = [
    // pointwise (no unfolding) with groups; the CNN's second layer; a strided, padded, dilated one
    { N: 2, C: 4, H: 5, W: 6, O: 6, oH: 5, oW: 6, kH: 1, kW: 1, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, dilationH: 1, dilationW: 1, groups: 2 },
    { N: 2, C: 32, H: 14, W: 14, O: 64, oH: 14, oW: 14, kH: 3, kW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1 },
    { N: 3, C: 3, H: 11, W: 9, O: 5, oH: 5, oW: 4, kH: 3, kW: 2, strideH: 2, strideW: 2, padTop: 1, padLeft: 1, dilationH: 2, dilationW: 2, groups: 1 },
  ];

  test('forward, input gradient and weight gradient on random and fixed geometries (float32)', () => {
    const rnd = lcg(17);
    for (let t = 0; t < 40 + fixed.length; t++) {
      const g = t < fixed.length ? fixed[t] : geometry(rnd);
      const label = JSON.stringify(g);
      if (t === 0) expect(isPointwise(g)).toBe(true);
      const kg = (g.C / g.groups) * g.kH * g.kW;
      const x = random(g.N * g.C * g.H * g.W, rnd);
      const w = random(g.O * kg, rnd);
      const bias = random(g.O, rnd);
      const gy = random(g.N * g.O * g.oH * g.oW, rnd);
      const close = (got: Float32Array, want: Float32Array, what: string) => {
        for (let i = 0; i < want.length; i++) {
          if (Math.abs(got[i] - want[i]) > 1e-5 * (1 + Math.abs(want[i]))) throw new Error(`${what} ${label}: [${i}] ${got[i]} vs ${want[i]}`);
        }
      };
      const pair = (f: (k: Record<string, (...a: any[]) => void>, out: Float32Array) => void, size: number, what: string) => {
        const a = new Float32Array(size), b = new Float32Array(size), again = new Float32Array(size);
        f(wasmKernels, a);
        f(wasmKernels, again);
        f(jsConv as unknown as Record<string, (...a: any[]) => void>, b);
        expect(again, `${what}: not reproducible`).toEqual(a);
        close(a, b, what);
      };
      pair((k, out) => (k.conv2d ?? k.conv2dForward)(g, x, w, bias, out), gy.length, 'forward');
      pair((k, out) => k.conv2dBackwardInput(g, gy, w, out), x.length, 'input gradient');
      pair((k, out) => k.conv2dBackwardWeight(g, gy, x, out), w.length, 'weight gradient');
      // Both at once (side by side on several threads, wasm-threads.test.ts): the bits of the two apart.
      const bothIn = new Float32Array(x.length), bothW = new Float32Array(w.length);
      wasmKernels.conv2dBackward(g, gy, x, w, bothIn, bothW);
      const aloneIn = new Float32Array(x.length), aloneW = new Float32Array(w.length);
      wasmKernels.conv2dBackwardInput(g, gy, w, aloneIn);
      wasmKernels.conv2dBackwardWeight(g, gy, x, aloneW);
      expect(bothIn, `both gradients, input ${label}`).toEqual(aloneIn);
      expect(bothW, `both gradients, weight ${label}`).toEqual(aloneW);
    }
  });
  test('im2col and col2im in wasm equal the js ones bit for bit (the conv kernels unfold in wasm memory)', () => {
    const rnd = lcg(29);
    for (let t = 0; t < 40 + fixed.length; t++) {
      const g = t < fixed.length ? fixed[t] : geometry(rnd);
      const cg = g.C / g.groups;
      const L = g.oH * g.oW;
      const x = random(cg * g.H * g.W, rnd);
      const col = random(cg * g.kH * g.kW * L, rnd);
      const wantCol = new Float32Array(col.length);
      jsIm2col(g, x, 0, cg, wantCol);
      const wantImg = random(x.length, rnd);
      const img = wantImg.slice();
      jsCol2im(g, col, wantImg, 0, cg);
      const [xAt, colAt, imgAt] = arenaRegions(x.length, col.length, img.length);
      const geo = [cg, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW] as const;
      copyIn(x, xAt);
      wasm().im2col(xAt, ...geo, colAt);
      const gotCol = new Float32Array(col.length);
      copyOut(colAt, col.length, gotCol);
      expect(gotCol, `im2col ${JSON.stringify(g)}`).toEqual(wantCol);
      copyIn(col, colAt);
      copyIn(img, imgAt);
      wasm().col2im(colAt, ...geo, imgAt);
      copyOut(imgAt, img.length, img);
      expect(img, `col2im ${JSON.stringify(g)}`).toEqual(wantImg);
    }
  });
});

describe('wasm maxPool2d vs js maxPool2d', () => {
  test('values and argmax indices identical on random windows, with padding, dilation, ties and NaN', () => {
    const rnd = lcg(23);
    const pick = (n: number) => 1 + Math.floor(rnd() * n);
    for (let t = 0; t < 60; t++) {
      const kH = pick(3), kW = pick(3), dilationH = pick(2), dilationW = pick(2);
      const padH = Math.floor(rnd() * (Math.floor(kH / 2) + 1)), padW = Math.floor(rnd() * (Math.floor(kW / 2) + 1));
      const strideH = pick(3), strideW = pick(3);
      const H = (kH - 1) * dilationH + pick(8), W = (kW - 1) * dilationW + pick(8);
      const oH = Math.floor((H + 2 * padH - dilationH * (kH - 1) - 1) / strideH) + 1;
      const oW = Math.floor((W + 2 * padW - dilationW * (kW - 1) - 1) / strideW) + 1;
      // Enough planes for an input of 256+ elements: smaller ones take the js kernel.
      const planes = Math.ceil(256 / (H * W)) + pick(3);
      const g: PoolGeometry = { planes, H, W, oH, oW, kH, kW, strideH, strideW, padH, padW, dilationH, dilationW };
      // Few distinct values (ties), and now and then a NaN or -Infinity.
      const x = Float32Array.from({ length: g.planes * H * W }, () => {
        const r = rnd();
        return r < 0.03 ? NaN : r < 0.06 ? -Infinity : Math.floor(r * 5) - 2;
      });
      expectSameMaxPool(g, x);
    }
  });
});

/** The wasm and js maxPool2d kernels give the same values and indices on x. */
function expectSameMaxPool(g: PoolGeometry, x: Float32Array): void {
  const n = g.planes * g.oH * g.oW;
  const [v1, i1, v2, i2] = [new Float32Array(n), new Int32Array(n), new Float32Array(n), new Int32Array(n)];
  wasmKernels.maxPool2d(g, x, v1, i1);
  jsMaxPool2d(g, x, v2, i2);
  expect(v1, JSON.stringify(g)).toEqual(v2);
  expect(i1, JSON.stringify(g)).toEqual(i2);
}

describe('wasm maxPool2d 2x2 stride 2 (four windows per step) vs js maxPool2d', () => {
  test('identical values and indices for widths around multiples of 4, odd sizes, ceil-mode edges, ties and NaN', () => {
    const rnd = lcg(31);
    for (const [H, W, ceil] of [[28, 28, false], [14, 14, false], [8, 8, false], [9, 11, false], [6, 17, false], [7, 9, true], [5, 8, true], [4, 6, false]] as const) {
      const oH = ceil ? Math.ceil(H / 2) : Math.floor(H / 2), oW = ceil ? Math.ceil(W / 2) : Math.floor(W / 2);
      const g: PoolGeometry = { planes: Math.ceil(256 / (H * W)) + 2, H, W, oH, oW, kH: 2, kW: 2, strideH: 2, strideW: 2, padH: 0, padW: 0, dilationH: 1, dilationW: 1 };
      for (const spread of [3, 1000]) {
        const x = Float32Array.from({ length: g.planes * H * W }, () => {
          const r = rnd();
          return r < 0.04 ? NaN : r < 0.08 ? -Infinity : Math.floor(rnd() * spread) - spread / 2;
        });
        expectSameMaxPool(g, x);
      }
    }
  });
});

describe('wasm maxPool2dBackward vs js maxPool2dBackward', () => {
  const wasmBackward = wasmKernels.maxPool2dBackward;

  test('bit-identical sums where windows overlap (repeated indices), overwriting a non-zero gradIn; float64 too', () => {
    const rnd = lcg(37);
    for (let t = 0; t < 30; t++) {
      // gradIn of 1024+ elements (smaller ones take the js kernel).
      const inPlane = 1 + Math.floor(rnd() * 60), outPlane = 1 + Math.floor(rnd() * 60);
      const planes = Math.ceil(1024 / inPlane) + Math.floor(rnd() * 4);
      const indices = Int32Array.from({ length: planes * outPlane }, () => Math.floor(rnd() * inPlane));
      for (const Ctor of [Float32Array, Float64Array]) {
        const gradOut = Ctor.from({ length: planes * outPlane }, () => rnd() * 2 - 1);
        const a = Ctor.from({ length: planes * inPlane }, () => rnd() - 0.5);
        const b = a.slice();
        expect(wasmBackward(planes, inPlane, outPlane, gradOut, indices, a)).toBe(-1);
        expect(jsMaxPool2dBackward(planes, inPlane, outPlane, gradOut, indices, b)).toBe(-1);
        expect(a, `planes=${planes} in=${inPlane} out=${outPlane} ${Ctor.name}`).toEqual(b);
      }
    }
  });

  test('reports the position of the first index out of range, like the js kernel', () => {
    const gradOut = new Float32Array(8).fill(1);
    for (const bad of [-1, 600, 2 ** 31 - 1]) {
      const indices = Int32Array.from([0, 1, 2, 3, 4, bad, 8, bad]);
      expect(wasmBackward(2, 600, 4, gradOut, indices, new Float32Array(1200))).toBe(5);
      expect(jsMaxPool2dBackward(2, 600, 4, gradOut, indices, new Float32Array(1200))).toBe(5);
    }
  });
});

describe('wasm unary.relu vs js unary.relu', () => {
  test('bit-identical on runs of every length mod 4, at offsets, with NaN, -0, +-Infinity; strided runs too', () => {
    const rnd = lcg(29);
    const specials = [NaN, -0, 0, Infinity, -Infinity, -1e-45, 1e-45];
    const wasmRelu = wasmKernels['unary.relu'];
    for (const n of [1, 5, 1023, 1024, 1025, 1026, 1027, 4099]) {
      for (const [xs, os] of [[1, 1], [2, 1], [1, 3]]) {
        const xo = Math.floor(rnd() * 5), oo = Math.floor(rnd() * 5);
        const x = Float32Array.from({ length: xo + n * xs + 2 }, () => (rnd() < 0.05 ? specials[Math.floor(rnd() * specials.length)] : rnd() * 2 - 1));
        const a = new Float32Array(oo + n * os + 2).fill(7);
        const b = a.slice();
        wasmRelu(n, x, xo, xs, a, oo, os, 0, 0);
        unaryKernels.relu(n, x, xo, xs, b, oo, os, 0, 0);
        // Compare bits: toEqual would let -0 and 0 pass as equal.
        expect(new Uint32Array(a.buffer), `n=${n} xs=${xs} os=${os}`).toEqual(new Uint32Array(b.buffer));
      }
    }
  });
});

describe('wasm per-channel kernels vs js', () => {
  // Blocks from below the wasm threshold (4096 elements) to well above it; run counts N*C below 8, not a multiple
  // of 8, and C below 8 (one group of eight runs spans several samples).
  const shapes = [[2, 32, 784], [2, 64, 196], [3, 5, 301], [1, 9, 500], [7, 3, 211], [4, 1, 2000], [1, 4, 2000], [2, 3, 5], [5, 11, 1]];
  const specials = [NaN, Infinity, -Infinity, -0, 1e30, -1e30];

  test('sumChannels: bit-identical sums in the js order, at an offset, with NaN/Inf/huge values now and then; float64 too', () => {
    const rnd = lcg(43);
    const wasmSum = wasmKernels.sumChannels;
    for (const [N, C, inner] of shapes) {
      for (const [Ctor, special] of [[Float32Array, false], [Float32Array, true], [Float64Array, false]] as const) {
        const xo = Math.floor(rnd() * 5);
        const x = Ctor.from({ length: xo + N * C * inner + 3 }, () => (special && rnd() < 0.002 ? specials[Math.floor(rnd() * specials.length)] : rnd() * 2 - 1 + rnd() * 1e-7));
        for (const scale of [1, 1 / (N * inner)]) {
          const a = new Ctor(C), b = new Ctor(C);
          wasmSum(N, C, inner, x, xo, a, scale);
          jsSumChannels(N, C, inner, x, xo, b, scale);
          expect(a, `[${N},${C},${inner}] ${Ctor.name} scale=${scale}`).toEqual(b);
        }
      }
    }
  });

  test('addChannelBias: bit-identical to the js kernel, runs of every length mod 4; float64 too', () => {
    const rnd = lcg(47);
    const wasmAdd = wasmKernels.addChannelBias;
    for (const [N, C, L] of [...shapes, [2, 32, 1023], [1, 8, 1026]]) {
      for (const Ctor of [Float32Array, Float64Array]) {
        const bias = Ctor.from({ length: C }, () => (rnd() * 2 - 1) * 10 ** Math.floor(rnd() * 8 - 4));
        const a = Ctor.from({ length: N * C * L }, () => (rnd() < 0.01 ? specials[Math.floor(rnd() * specials.length)] : rnd() * 2 - 1));
        const b = a.slice();
        wasmAdd(N, C, L, bias, a);
        jsConv.addChannelBias(N, C, L, bias, b);
        const [ab, bb] = [new Uint8Array(a.buffer), new Uint8Array(b.buffer)];
        const first = ab.findIndex((v, i) => v !== bb[i]);
        if (first >= 0) {
          const i = Math.floor(first / Ctor.BYTES_PER_ELEMENT);
          throw new Error(`[${N},${C},${L}] ${Ctor.name}: [${i}] ${a[i]} vs ${b[i]}`);
        }
      }
    }
  });
});

describe('wasm reluBackward vs js reluBackward', () => {
  test('bit-identical on runs of every length mod 4, at offsets, with NaN, -0, +-Infinity in g and y; float64 too', () => {
    const rnd = lcg(41);
    const specials = [NaN, -0, 0, Infinity, -Infinity, -1e-45, 1e-45];
    const value = () => (rnd() < 0.05 ? specials[Math.floor(rnd() * specials.length)] : rnd() * 2 - 1);
    const wasmReluBackward = wasmKernels.reluBackward;
    for (const n of [1, 5, 1023, 1024, 1025, 1026, 1027, 4099]) {
      for (const Ctor of [Float32Array, Float64Array]) {
        const gOffset = Math.floor(rnd() * 5), yOffset = Math.floor(rnd() * 5);
        const g = Ctor.from({ length: gOffset + n + 2 }, value);
        const y = Ctor.from({ length: yOffset + n + 2 }, value);
        const a = new Ctor(n + 2).fill(7);
        const b = a.slice();
        wasmReluBackward(n, g, gOffset, y, yOffset, a);
        jsReluBackward(n, g, gOffset, y, yOffset, b);
        // Compare bits: toEqual would let -0 and 0 pass as equal.
        expect(new Uint32Array(a.buffer), `n=${n} ${Ctor.name}`).toEqual(new Uint32Array(b.buffer));
        for (let i = 0; i < n; i++) {
          const want = y[yOffset + i] > 0 ? g[gOffset + i] : 0;
          if (!Object.is(a[i], want)) throw new Error(`n=${n} ${Ctor.name}: [${i}] ${a[i]}, want ${want}`);
        }
      }
    }
  });
});
