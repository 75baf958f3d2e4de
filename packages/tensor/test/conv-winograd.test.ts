// setConvAlgorithm('winograd'): which convs it takes, that they agree with the im2col convs (float64 to rounding,
// float32 within the transforms' rounding) on both backends and for every conv function, and that the wasm
// transforms (assembly/winograd.ts, four tiles per vector) give the js transforms' bits on ragged geometries.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ArgumentError, type Tensor, conv2d, convTranspose2d, getConvAlgorithm, setBackend, setConvAlgorithm, tensor,
} from '@minigrad/tensor';
import { conv2dBackward, conv2dBackwardInput, conv2dBackwardWeight } from '@minigrad/tensor/internal';
import type { ConvGeometry } from '../src/kernels/js/conv.js';
import * as js from '../src/kernels/js/conv-winograd.js';
import { KernelCall } from '../src/kernels/wasm/call.js';
import { matrixStride } from '../src/kernels/wasm/conv-winograd.js';
import { wasm } from '../src/kernels/wasm/instance.js';
import { int, lcg } from './seeded.js';

afterEach(() => {
  setConvAlgorithm('gemm');
  setBackend('wasm');
});

const randomTensor = (shape: number[], rnd: () => number, dtype: 'float32' | 'float64'): Tensor =>
  tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), { dtype, shape });

/** A 3x3 stride-1 conv geometry (as planConv2d makes it) with a Winograd form when C, O >= 8. */
function geometry(N: number, C: number, O: number, H: number, W: number, padTop: number, padLeft: number): ConvGeometry {
  return {
    N, C, O, H, W, oH: H + 2 * padTop - 2, oW: W + 2 * padLeft - 2, kH: 3, kW: 3, strideH: 1, strideW: 1,
    dilationH: 1, dilationW: 1, padTop, padLeft, groups: 1,
  };
}

describe('setConvAlgorithm', () => {
  it("is 'gemm' by default and takes 'winograd'", () => {
    expect(getConvAlgorithm()).toBe('gemm');
    setConvAlgorithm('winograd');
    expect(getConvAlgorithm()).toBe('winograd');
  });

  it('refuses anything else, naming the function, the argument and the value', () => {
    expect(() => setConvAlgorithm('fft' as never)).toThrow(ArgumentError);
    expect(() => setConvAlgorithm('fft' as never)).toThrow(/setConvAlgorithm: algorithm must be one of.*got "fft"/);
    expect(() => setConvAlgorithm(undefined as never)).toThrow(/setConvAlgorithm/);
    expect(getConvAlgorithm()).toBe('gemm');
  });

  it('takes only 3x3 convs with stride 1, dilation 1, one group and at least 8 channels in and out', () => {
    const g = geometry(2, 8, 8, 6, 6, 1, 1);
    expect(js.hasWinogradForm(g)).toBe(true);
    expect(js.hasWinogradForm({ ...g, strideH: 2 })).toBe(false);
    expect(js.hasWinogradForm({ ...g, dilationW: 2 })).toBe(false);
    expect(js.hasWinogradForm({ ...g, groups: 2 })).toBe(false);
    expect(js.hasWinogradForm({ ...g, kH: 5, kW: 5 })).toBe(false);
    expect(js.hasWinogradForm({ ...g, C: 7 })).toBe(false);
    expect(js.hasWinogradForm({ ...g, O: 4 })).toBe(false);
  });
});

/** Largest |a - b| over the largest |b| (1 when b is all zeros). */
function relativeError(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray(), y = b.toTypedArray();
  expect(x.length).toBe(y.length);
  let diff = 0, scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return diff / (scale || 1);
}

const sameBits = (a: Tensor, b: Tensor): boolean => {
  const x = a.toTypedArray(), y = b.toTypedArray();
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
};

describe.each(['js', 'wasm'] as const)("conv functions under 'winograd' on %s", (backend) => {
  // [N, C, O, H, W, padding]: tiles in rows of 1 to 4 and more, odd outputs (a cropped last tile), paddings 0-2,
  // asymmetric padding, a batch of 3, the bench's layer.
  const shapes: [number, number, number, number, number, number | [number, number]][] = [
    [2, 8, 8, 6, 6, 1], [1, 9, 8, 5, 7, 1], [3, 8, 10, 9, 4, 0], [2, 12, 8, 7, 11, 2], [1, 8, 9, 10, 9, [0, 2]],
    [2, 32, 64, 14, 14, 1], [1, 8, 8, 3, 3, 1],
  ];

  it.each(['float64', 'float32'] as const)('agree with the im2col convs (%s) and take the winograd path', (dtype) => {
    setBackend(backend);
    const rnd = lcg(11);
    const tolerance = dtype === 'float64' ? 1e-13 : 2e-6;
    for (const [N, C, O, H, W, padding] of shapes) {
      const x = randomTensor([N, C, H, W], rnd, dtype), w = randomTensor([O, C, 3, 3], rnd, dtype), b = randomTensor([O], rnd, dtype);
      const opts = { padding };
      const all = (): Tensor[] => {
        const y = conv2d(x, w, b, opts);
        const g = randomTensor(y.shape, lcg(5), dtype);
        const wt = randomTensor([C, O, 3, 3], lcg(6), dtype);
        return [
          y, conv2dBackwardInput(g, w, x.shape, opts), conv2dBackwardWeight(g, x, w.shape, opts), ...conv2dBackward(g, x, w, opts),
          // convTranspose2d is conv2d's input gradient: its 3x3 stride-1 form goes through Winograd too.
          convTranspose2d(x, wt, null, { padding: typeof padding === 'number' ? padding : 1 }),
        ];
      };
      const reference = all();
      setConvAlgorithm('winograd');
      const results = all();
      setConvAlgorithm('gemm');
      results.forEach((r, k) => {
        const label = `${dtype} ${JSON.stringify([N, C, O, H, W, padding])} result ${k}`;
        expect(relativeError(r, reference[k]), label).toBeLessThan(tolerance);
      });
      // Another algorithm ran: float32 rounds differently somewhere in the forward result.
      if (dtype === 'float32' && C * O > 64) expect(sameBits(results[0], reference[0]), 'winograd ran').toBe(false);
      // Both gradients together give the bits of the two apart.
      expect(sameBits(results[3], results[1]) && sameBits(results[4], results[2])).toBe(true);
    }
  });

  it('leaves the convs without a Winograd form to im2col, bit for bit', () => {
    setBackend(backend);
    const rnd = lcg(12);
    const x = randomTensor([2, 8, 9, 9], rnd, 'float32');
    const cases: [Tensor, object][] = [
      [randomTensor([8, 8, 3, 3], rnd, 'float32'), { stride: 2, padding: 1 }],
      [randomTensor([8, 4, 3, 3], rnd, 'float32'), { groups: 2, padding: 1 }],
      [randomTensor([8, 8, 5, 5], rnd, 'float32'), { padding: 2 }],
      [randomTensor([4, 8, 3, 3], rnd, 'float32'), { padding: 1 }],
    ];
    for (const [w, opts] of cases) {
      const reference = conv2d(x, w, null, opts);
      setConvAlgorithm('winograd');
      const result = conv2d(x, w, null, opts);
      setConvAlgorithm('gemm');
      expect(sameBits(result, reference), JSON.stringify(opts)).toBe(true);
    }
  });
});

describe('non-finite inputs under Winograd', () => {
  it('make the same outputs non-finite as im2col does, some NaN where im2col gives an infinity', () => {
    const rnd = lcg(31);
    const w = randomTensor([8, 8, 3, 3], rnd, 'float32');
    let nanInsteadOfInfinity = 0;
    for (const [r, c, value] of [[3, 3, Infinity], [0, 0, -Infinity], [2, 4, Infinity], [5, 5, NaN], [1, 2, Infinity]] as const) {
      const data = Float64Array.from({ length: 8 * 36 }, () => rnd() * 2 - 1);
      data[2 * 36 + r * 6 + c] = value;
      const x = tensor(data, { dtype: 'float32', shape: [1, 8, 6, 6] });
      const reference = conv2d(x, w, null, { padding: 1 }).toTypedArray();
      setConvAlgorithm('winograd');
      const result = conv2d(x, w, null, { padding: 1 }).toTypedArray();
      setConvAlgorithm('gemm');
      reference.forEach((v, i) => {
        expect(Number.isFinite(result[i]), `${value} at (${r},${c}), output ${i}`).toBe(Number.isFinite(v));
        if (Number.isFinite(v)) return;
        if (Number.isNaN(result[i]) && !Number.isNaN(v)) nanInsteadOfInfinity++;
        else expect(Object.is(result[i], v), `${value} at (${r},${c}), output ${i}`).toBe(true);
      });
    }
    expect(nanInsteadOfInfinity).toBeGreaterThan(0);
  });
});

describe('the wasm Winograd transforms', () => {
  /** Runs one transform in wasm memory: inputs copied in, `out` floats of output copied back. */
  function inWasm(inputs: Float32Array[], scratch: number[], out: number, run: (at: number[]) => void): Float32Array {
    const call = new KernelCall();
    const operands = [...inputs.map((a) => call.input(a, 0, a.length)), ...scratch.map((n) => call.scratch(n))];
    const result = new Float32Array(out);
    const output = call.output(result, 0, out, 'unset');
    expect(call.place()).toBe(true);
    run([...operands.map((o) => o.at), output.at]);
    call.finish();
    return result;
  }

  const floats = (n: number, rnd: () => number): Float32Array => Float32Array.from({ length: n }, () => rnd() * 2 - 1);
  /** The 16 matrices of rows x cols held `stride` floats apart, packed densely (the js layout). */
  function dense(a: Float32Array, rows: number, cols: number, stride: number): Float32Array {
    const d = new Float32Array(16 * rows * cols);
    for (let e = 0; e < 16; e++) d.set(a.subarray(e * stride, e * stride + rows * cols), e * rows * cols);
    return d;
  }
  /** The padded plane's floats (kernels/wasm/conv-winograd.ts). */
  const padFloats = (tH: number, tW: number): number => (2 * tH + 2) * (2 * Math.ceil(tW / 4) * 4 + 2) + 4;

  it('give the js transforms bits on ragged geometries (tile rows of 1 to 9 tiles, odd outputs, paddings 0-3)', () => {
    const rnd = lcg(21);
    for (let trial = 0; trial < 24; trial++) {
      const g = geometry(int(rnd, 1, 3), int(rnd, 1, 5), int(rnd, 1, 5), int(rnd, 3, 19), int(rnd, 3, 19), int(rnd, 0, 3), int(rnd, 0, 3));
      if (g.oH < 1 || g.oW < 1) continue;
      const { tH, tW, P } = js.winogradTiles(g);
      const label = JSON.stringify(g);
      const [vs, us, zs] = [matrixStride(g.C, P), matrixStride(g.O, g.C), matrixStride(g.O, P)];
      const pad = padFloats(tH, tW);
      const e = () => wasm();

      const x = floats(g.N * g.C * g.H * g.W, rnd);
      const v = new Float32Array(16 * g.C * P);
      js.winogradInput(g, x, v);
      const vWasm = inWasm([x], [pad], 16 * vs, ([xAt, padAt, vAt]) => e().winogradInput(xAt, g.N, g.C, g.H, g.W, tH, tW, g.padTop, g.padLeft, vAt, vs, padAt, P));
      expect(dense(vWasm, g.C, P, vs), `input ${label}`).toEqual(v);

      const m = floats(16 * zs, rnd);
      const y = new Float32Array(g.N * g.O * g.oH * g.oW);
      js.winogradOutput(g, dense(m, g.O, P, zs), y);
      expect(inWasm([m], [pad], y.length, ([mAt, padAt, yAt]) => e().winogradOutput(mAt, zs, g.N, g.O, g.oH, g.oW, tH, tW, yAt, padAt, P)), `output ${label}`).toEqual(y);

      const dy = floats(y.length, rnd);
      const z = new Float32Array(16 * g.O * P);
      js.winogradGradOut(g, dy, z);
      const zWasm = inWasm([dy], [pad], 16 * zs, ([dyAt, padAt, zAt]) => e().winogradGradOut(dyAt, g.N, g.O, g.oH, g.oW, tH, tW, zAt, zs, padAt, P));
      expect(dense(zWasm, g.O, P, zs), `gradOut ${label}`).toEqual(z);

      const dv = floats(16 * vs, rnd);
      const dx = new Float32Array(x.length);
      js.winogradGradInput(g, dense(dv, g.C, P, vs), dx);
      expect(inWasm([dv], [pad], dx.length, ([dvAt, padAt, dxAt]) => e().winogradGradInput(dvAt, vs, g.N, g.C, g.H, g.W, tH, tW, g.padTop, g.padLeft, dxAt, padAt, P)), `gradInput ${label}`).toEqual(dx);

      const w = floats(g.O * g.C * 9, rnd);
      const u = new Float32Array(16 * g.O * g.C);
      js.winogradWeights(w, g.O, g.C, u);
      expect(dense(inWasm([w], [], 16 * us, ([wAt, uAt]) => e().winogradWeights(wAt, g.O, g.C, uAt, us)), g.O, g.C, us), `weights ${label}`).toEqual(u);

      const du = floats(16 * us, rnd);
      const dw = new Float32Array(w.length);
      js.winogradWeightGrad(dense(du, g.O, g.C, us), g.O, g.C, dw);
      expect(inWasm([du], [], dw.length, ([duAt, dwAt]) => e().winogradWeightGrad(duAt, g.O, g.C, dwAt, us)), `weightGrad ${label}`).toEqual(dw);
    }
  });
});
