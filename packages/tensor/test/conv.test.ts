// conv2d / convTranspose2d and their gradient kernels against naive direct loops on random configurations,
// plus one test per kind of bad input.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, ShapeError, type Tensor, conv2d, convTranspose2d, jsBackend, maxPool2d, setBackend, tensor, zeros,
} from '@minigrad/tensor';
import { getKernel, registerKernel } from '@minigrad/tensor/internal';
import {
  conv2dBackward, conv2dBackwardInput, conv2dBackwardWeight, convTranspose2dBackwardInput, convTranspose2dBackwardWeight,
} from '@minigrad/tensor/internal';
import { assertClose } from '@minigrad/testing';
import { int, lcg } from './seeded.js';


function randomTensor(shape: number[], rnd: () => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float64Array.from({ length: n }, () => rnd() * 2 - 1), { dtype: 'float64', shape });
}

/** One forward conv layout, sizes computed here from PyTorch's formula (independently of the library). */
interface Taps {
  N: number; C: number; H: number; W: number; O: number; oH: number; oW: number; kH: number; kW: number;
  s: [number, number]; p: [number, number]; d: [number, number]; groups: number;
}

/** Calls visit(input index, weight index, output index) for every multiply of the direct convolution. */
function forEachTap(t: Taps, visit: (xi: number, wi: number, oi: number) => void): void {
  const cg = t.C / t.groups;
  const og = t.O / t.groups;
  for (let n = 0; n < t.N; n++)
    for (let o = 0; o < t.O; o++) {
      const g = Math.floor(o / og);
      for (let oh = 0; oh < t.oH; oh++)
        for (let ow = 0; ow < t.oW; ow++)
          for (let c = 0; c < cg; c++)
            for (let kh = 0; kh < t.kH; kh++)
              for (let kw = 0; kw < t.kW; kw++) {
                const ih = oh * t.s[0] - t.p[0] + kh * t.d[0];
                const iw = ow * t.s[1] - t.p[1] + kw * t.d[1];
                if (ih < 0 || ih >= t.H || iw < 0 || iw >= t.W) continue;
                const xi = ((n * t.C + g * cg + c) * t.H + ih) * t.W + iw;
                const wi = ((o * cg + c) * t.kH + kh) * t.kW + kw;
                const oi = ((n * t.O + o) * t.oH + oh) * t.oW + ow;
                visit(xi, wi, oi);
              }
    }
}

/** out, gradX, gradW of the direct convolution for inputs x, w and output gradient g (flat arrays). */
function naiveConv(t: Taps, x: ArrayLike<number>, w: ArrayLike<number>, g: ArrayLike<number>) {
  const out = new Float64Array(t.N * t.O * t.oH * t.oW);
  const gradX = new Float64Array(t.N * t.C * t.H * t.W);
  const gradW = new Float64Array(w.length);
  forEachTap(t, (xi, wi, oi) => {
    out[oi] += x[xi] * w[wi];
    gradX[xi] += g[oi] * w[wi];
    gradW[wi] += g[oi] * x[xi];
  });
  return { out, gradX, gradW };
}

const TOL = { atol: 1e-11, rtol: 1e-10 };

describe('conv2d vs a direct loop', () => {
  it('random stride / padding / dilation / groups / bias configurations, forward and both gradients', () => {
    const rnd = lcg(7);
    let tested = 0;
    while (tested < 60) {
      const groups = int(rnd, 1, 3);
      const C = groups * int(rnd, 1, 3);
      const O = groups * int(rnd, 1, 3);
      const N = int(rnd, 1, 2);
      const H = int(rnd, 1, 9);
      const W = int(rnd, 1, 9);
      const kH = int(rnd, 1, 4);
      const kW = int(rnd, 1, 4);
      const d: [number, number] = [int(rnd, 1, 2), int(rnd, 1, 3)];
      const same = rnd() < 0.2;
      const s: [number, number] = same ? [1, 1] : [int(rnd, 1, 3), int(rnd, 1, 3)];
      const p: [number, number] = same
        ? [Math.floor((d[0] * (kH - 1)) / 2), Math.floor((d[1] * (kW - 1)) / 2)]
        : [int(rnd, 0, 3), int(rnd, 0, 2)];
      const oH = same ? H : Math.floor((H + 2 * p[0] - d[0] * (kH - 1) - 1) / s[0]) + 1;
      const oW = same ? W : Math.floor((W + 2 * p[1] - d[1] * (kW - 1) - 1) / s[1]) + 1;
      if (oH < 1 || oW < 1) continue;
      const t: Taps = { N, C, H, W, O, oH, oW, kH, kW, s, p, d, groups };
      const x = randomTensor([N, C, H, W], rnd);
      const w = randomTensor([O, C / groups, kH, kW], rnd);
      const bias = rnd() < 0.5 ? randomTensor([O], rnd) : null;
      const g = randomTensor([N, O, oH, oW], rnd);
      const opts = { stride: s, padding: same ? ('same' as const) : p, dilation: d, groups };
      const ref = naiveConv(t, x.toTypedArray(), w.toTypedArray(), g.toTypedArray());
      if (bias) for (let i = 0; i < ref.out.length; i++) ref.out[i] += bias.toTypedArray()[Math.floor(i / (oH * oW)) % O];
      const label = JSON.stringify({ x: x.shape, w: w.shape, ...opts });
      const out = conv2d(x, w, bias, opts);
      expect(out.shape, label).toEqual([N, O, oH, oW]);
      assertClose(out.toTypedArray(), ref.out, { ...TOL, label: `${label} forward` });
      assertClose(conv2dBackwardInput(g, w, x.shape, opts).toTypedArray(), ref.gradX, { ...TOL, label: `${label} gradX` });
      assertClose(conv2dBackwardWeight(g, x, w.shape, opts).toTypedArray(), ref.gradW, { ...TOL, label: `${label} gradW` });
      // Both at once: the bits of the two kernels apart, in float64 and float32.
      for (const [gt, xt, wt] of [[g, x, w], [g.to('float32'), x.to('float32'), w.to('float32')]]) {
        const [gx, gw] = conv2dBackward(gt, xt, wt, opts);
        expect(Array.from(gx.toTypedArray()), `${label} both: gradX`).toEqual(Array.from(conv2dBackwardInput(gt, wt, xt.shape, opts).toTypedArray()));
        expect(Array.from(gw.toTypedArray()), `${label} both: gradW`).toEqual(Array.from(conv2dBackwardWeight(gt, xt, wt.shape, opts).toTypedArray()));
      }
      tested++;
    }
  });

  it('accepts unbatched [C, H, W] input and gives [O, oH, oW]', () => {
    const rnd = lcg(8);
    const x = randomTensor([2, 5, 6], rnd);
    const w = randomTensor([3, 2, 3, 3], rnd);
    const batched = conv2d(x.unsqueeze(0), w, null, { padding: 1 });
    const out = conv2d(x, w, null, { padding: 1 });
    expect(out.shape).toEqual([3, 5, 6]);
    assertClose(out.toTypedArray(), batched.toTypedArray(), TOL);
    const g = randomTensor([3, 5, 6], rnd);
    expect(conv2dBackwardInput(g, w, [2, 5, 6], { padding: 1 }).shape).toEqual([2, 5, 6]);
    assertClose(conv2dBackwardWeight(g, x, w.shape, { padding: 1 }).toTypedArray(),
      conv2dBackwardWeight(g.unsqueeze(0), x.unsqueeze(0), w.shape, { padding: 1 }).toTypedArray(), TOL);
  });

  it('keeps float32 in, float32 out', () => {
    const x = zeros([1, 1, 4, 4]);
    const w = zeros([2, 1, 3, 3]);
    expect(conv2d(x, w).dtype).toBe('float32');
  });
});

describe('kernel dispatch', () => {
  it('conv and pool ops call the kernels of the active backend, falling back to js', () => {
    const calls: string[] = [];
    for (const name of ['conv2d', 'conv2dBackwardInput', 'maxPool2d']) {
      const js = getKernel(name);
      registerKernel(name, 'spy', (...args: unknown[]) => {
        calls.push(name);
        return js(...args);
      });
    }
    setBackend({ ...jsBackend, name: 'spy' });
    try {
      const x = zeros([1, 2, 4, 4]);
      const w = zeros([3, 2, 3, 3]);
      conv2d(x, w);
      convTranspose2d(zeros([1, 3, 2, 2]), w);
      maxPool2d(x, { kernelSize: 2 });
      conv2dBackwardWeight(zeros([1, 3, 2, 2]), x, w.shape);
    } finally {
      setBackend(jsBackend);
    }
    // convTranspose2d runs the conv input-gradient kernel; the weight gradient has no spy and falls back to js.
    expect(calls).toEqual(['conv2d', 'conv2dBackwardInput', 'maxPool2d']);
  });
});

describe('convTranspose2d vs a direct scatter loop', () => {
  it('random configurations incl. outputPadding, forward and both gradients', () => {
    const rnd = lcg(9);
    let tested = 0;
    while (tested < 40) {
      const groups = int(rnd, 1, 3);
      const Cin = groups * int(rnd, 1, 3);
      const coutG = int(rnd, 1, 3);
      const N = int(rnd, 1, 2);
      const H = int(rnd, 1, 5);
      const W = int(rnd, 1, 5);
      const kH = int(rnd, 1, 4);
      const kW = int(rnd, 1, 4);
      const s: [number, number] = [int(rnd, 1, 3), int(rnd, 1, 3)];
      const d: [number, number] = [int(rnd, 1, 2), int(rnd, 1, 2)];
      const p: [number, number] = [int(rnd, 0, 2), int(rnd, 0, 2)];
      const op: [number, number] = [int(rnd, 0, Math.max(s[0], d[0]) - 1), int(rnd, 0, Math.max(s[1], d[1]) - 1)];
      const Ho = (H - 1) * s[0] - 2 * p[0] + d[0] * (kH - 1) + op[0] + 1;
      const Wo = (W - 1) * s[1] - 2 * p[1] + d[1] * (kW - 1) + op[1] + 1;
      if (Ho < 1 || Wo < 1) continue;
      const Cout = coutG * groups;
      const x = randomTensor([N, Cin, H, W], rnd);
      const w = randomTensor([Cin, coutG, kH, kW], rnd);
      const g = randomTensor([N, Cout, Ho, Wo], rnd);
      const xd = x.toTypedArray(), wd = w.toTypedArray(), gd = g.toTypedArray();
      const out = new Float64Array(N * Cout * Ho * Wo);
      const gradX = new Float64Array(xd.length);
      const gradW = new Float64Array(wd.length);
      const cinG = Cin / groups;
      for (let n = 0; n < N; n++)
        for (let ci = 0; ci < Cin; ci++)
          for (let h = 0; h < H; h++)
            for (let ww = 0; ww < W; ww++)
              for (let co = 0; co < coutG; co++)
                for (let kh = 0; kh < kH; kh++)
                  for (let kw = 0; kw < kW; kw++) {
                    const oh = h * s[0] - p[0] + kh * d[0];
                    const ow = ww * s[1] - p[1] + kw * d[1];
                    if (oh < 0 || oh >= Ho || ow < 0 || ow >= Wo) continue;
                    const xi = ((n * Cin + ci) * H + h) * W + ww;
                    const wi = ((ci * coutG + co) * kH + kh) * kW + kw;
                    const oc = Math.floor(ci / cinG) * coutG + co;
                    const oi = ((n * Cout + oc) * Ho + oh) * Wo + ow;
                    out[oi] += xd[xi] * wd[wi];
                    gradX[xi] += gd[oi] * wd[wi];
                    gradW[wi] += gd[oi] * xd[xi];
                  }
      const opts = { stride: s, padding: p, outputPadding: op, dilation: d, groups };
      const label = JSON.stringify({ x: x.shape, w: w.shape, ...opts });
      const got = convTranspose2d(x, w, null, opts);
      expect(got.shape, label).toEqual([N, Cout, Ho, Wo]);
      assertClose(got.toTypedArray(), out, { ...TOL, label: `${label} forward` });
      assertClose(convTranspose2dBackwardInput(g, w, x.shape, opts).toTypedArray(), gradX, { ...TOL, label: `${label} gradX` });
      assertClose(convTranspose2dBackwardWeight(g, x, w.shape, opts).toTypedArray(), gradW, { ...TOL, label: `${label} gradW` });
      tested++;
    }
  });
});

describe('conv errors', () => {
  const x = zeros([2, 1, 28, 28]);
  const w = zeros([16, 3, 3, 3]);

  it('input channels that do not match the weight', () => {
    expect(() => conv2d(x, w)).toThrow(ShapeError);
    expect(() => conv2d(x, w)).toThrow('conv2d: input has 1 channels but weight expects 3 (input [2,1,28,28], weight [16,3,3,3])');
  });
  it('input of the wrong rank', () => {
    expect(() => conv2d(zeros([28, 28]), w)).toThrow(/conv2d: input must be 3-D \(C, H, W\) or 4-D \(N, C, H, W\), got shape \[28,28\]/);
  });
  it('weight of the wrong rank', () => {
    expect(() => conv2d(x, zeros([16, 1, 3]))).toThrow(/conv2d: weight must be 4-D, got shape \[16,1,3\]/);
  });
  it('output channels not divisible by groups', () => {
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([6, 1, 3, 3]), null, { groups: 4 }))
      .toThrow(/conv2d: 6 output channels are not divisible by 4 groups \(weight \[6,1,3,3\]\)/);
  });
  it('input channels not matching weight channels x groups', () => {
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([6, 1, 3, 3]), null, { groups: 3 }))
      .toThrow(/conv2d: input has 4 channels but weight expects 3 \(1 per group x 3 groups\)/);
  });
  it('groups, stride, dilation and padding that are not valid integers', () => {
    const xs = zeros([1, 1, 5, 5]);
    const ws = zeros([1, 1, 3, 3]);
    expect(() => conv2d(xs, ws, null, { groups: 0 })).toThrow(ArgumentError);
    expect(() => conv2d(xs, ws, null, { stride: 0 })).toThrow(/conv2d: stride must be an integer >= 1 or a pair of them, got 0/);
    expect(() => conv2d(xs, ws, null, { dilation: [1, 1.5] })).toThrow(/conv2d: dilation must be .* got \[1,1.5\]/);
    expect(() => conv2d(xs, ws, null, { padding: -1 })).toThrow(/conv2d: padding must be an integer >= 0/);
    expect(() => conv2d(xs, ws, null, { padding: 'full' as 'same' })).toThrow(/conv2d: padding must be a number, a pair, 'same' or 'valid', got 'full'/);
  });
  it("padding 'same' with a stride", () => {
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { padding: 'same', stride: 2 }))
      .toThrow(/conv2d: padding='same' needs stride 1, got stride \[2,2\]/);
  });
  it('a bias that is not [outChannels]', () => {
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([4, 1, 3, 3]), zeros([3])))
      .toThrow(/conv2d: bias has shape \[3\] but 4 output channels needs \[4\]/);
  });
  it('an input smaller than the dilated kernel (empty output)', () => {
    expect(() => conv2d(zeros([1, 1, 2, 5]), zeros([1, 1, 3, 3]))).toThrow(ShapeError);
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { dilation: 3 }))
      .toThrow(/conv2d: input \[1,1,5,5\] padded to 5x5 is smaller than the dilated kernel 7x7 .*empty/);
  });
  it('zero-size channels or planes', () => {
    expect(() => conv2d(zeros([1, 1, 0, 5]), zeros([1, 1, 1, 1]))).toThrow(/conv2d: input needs non-zero channels, height and width/);
  });
  it('dtype mismatches and non-float tensors', () => {
    const xs = zeros([1, 1, 5, 5]);
    expect(() => conv2d(xs, zeros([1, 1, 3, 3], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => conv2d(xs, zeros([1, 1, 3, 3]), zeros([1], { dtype: 'float64' }))).toThrow(/conv2d: bias is float64 but input is float32/);
    expect(() => conv2d(zeros([1, 1, 5, 5], { dtype: 'int32' }), zeros([1, 1, 3, 3]))).toThrow(/conv2d: input must be float32 or float64, got int32/);
  });
  it('non-tensor arguments', () => {
    expect(() => conv2d([1, 2] as unknown as Tensor, w)).toThrow(/conv2d: input must be a Tensor/);
  });
  it('gradient kernels with a gradOut of the wrong shape', () => {
    const xs = zeros([2, 1, 6, 6]);
    const ws = zeros([4, 1, 3, 3]);
    expect(() => conv2dBackwardInput(zeros([2, 4, 5, 5]), ws, [2, 1, 6, 6]))
      .toThrow(/conv2dBackwardInput: gradOut has shape \[2,4,5,5\] but conv2d of input \[2,1,6,6\] with weight \[4,1,3,3\] needs \[2,4,4,4\]/);
    expect(() => conv2dBackwardWeight(zeros([2, 3, 4, 4]), xs, [4, 1, 3, 3])).toThrow(ShapeError);
    expect(() => conv2dBackwardInput(zeros([2, 4, 4, 4]), ws, [2, -1, 6, 6])).toThrow(ArgumentError);
  });
  it('convTranspose2d: channel mismatch, groups, output padding, empty output', () => {
    expect(() => convTranspose2d(zeros([1, 3, 4, 4]), zeros([2, 2, 3, 3])))
      .toThrow(/convTranspose2d: input has 3 channels but weight expects 2 \(input \[1,3,4,4\], weight \[2,2,3,3\]\)/);
    expect(() => convTranspose2d(zeros([1, 3, 4, 4]), zeros([3, 2, 3, 3]), null, { groups: 2 }))
      .toThrow(/convTranspose2d: weight's 3 input channels are not divisible by 2 groups/);
    expect(() => convTranspose2d(zeros([1, 2, 4, 4]), zeros([2, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }))
      .toThrow(/convTranspose2d: outputPadding \[2,2\] must be smaller than stride \[2,2\] or dilation \[1,1\]/);
    expect(() => convTranspose2d(zeros([1, 2, 1, 1]), zeros([2, 2, 2, 2]), null, { padding: 1 }))
      .toThrow(/convTranspose2d: .*gives an empty output \(0x0\)/);
    expect(() => convTranspose2d(zeros([1, 2, 4, 4]), zeros([2, 3, 3, 3]), zeros([2])))
      .toThrow(/convTranspose2d: bias has shape \[2\] but 3 output channels needs \[3\]/);
  });
});
