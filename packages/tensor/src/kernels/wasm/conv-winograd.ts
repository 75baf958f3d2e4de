// The Winograd F(2x2, 3x3) convs of the wasm backend (kernels/js/conv-winograd.ts explains the algorithm and
// the layouts): each call transforms, multiplies and transforms back in wasm memory (assembly/winograd.ts and
// the sgemm kernels), its operands staged like the im2col convs' (call.ts). Bits never depend on the thread
// count: the tile transforms compute each tile alone, and each product's output elements sum in one fixed order
// however its columns are cut (assembly/gemm.ts).
// - Forward and input gradient, on several threads: each thread takes a run of samples whole (its tiles'
//   transforms, the column block of the 16 products that holds its tiles, the transform back), one hand-off.
// - Both gradients: the calling thread computes the input gradient while a worker computes the weight gradient
//   (each transforms the output gradient for itself), one hand-off.
// - Weight gradient alone: a sum over every tile, so the transforms run on the calling thread and the 16
//   products are shared out whole.
// Each function returns false, having done nothing, when the memory is at its maximum (instance.ts): the caller
// then runs the js kernel.
import type { ConvGeometry } from '../js/conv.js';
import { winogradTiles } from '../js/conv-winograd.js';
import { KernelCall } from './call.js';
import { gemmStep } from './gemm.js';
import { isResident, wasm } from './instance.js';
import { Kernel, type Step, runInRuns, runOnThreads, threadsFor } from './threads.js';

/**
 * Floats from one of the 16 matrices of rows x cols to the next: rounded up to whole cache lines, plus one
 * line, so that the 16 addresses a transform writes or reads per tile fall in different cache sets (with
 * strides of a multiple of 4 KB they share one set and evict each other: the weight transform ran 3-4x slower).
 */
export function matrixStride(rows: number, cols: number): number {
  return (((rows * cols + 15) >> 4) << 4) + 16;
}

/**
 * Floats of the padded plane a tile transform works in (assembly/winograd.ts): 2 tH + 2 rows of whole groups
 * of four tiles plus 2 columns, and 4 floats more (it is cleared by whole vectors).
 */
function paddedPlane(tH: number, tW: number): number {
  return (2 * tH + 2) * (2 * (Math.ceil(tW / 4) * 4) + 2) + 4;
}

/** The products X_e = A_e B_e of element e, for e in [e0, e1), as kernel calls on thread t. */
type Products = (e0: number, e1: number, t: number) => Step[];

/** Threads for a Winograd call of `muladds` multiply-adds in its products, at most `most`. */
function threadsForCall(muladds: number, resident: boolean, most: number): number {
  return Math.max(1, Math.min(most, threadsFor(muladds, resident)));
}

/** out (overwritten) = conv2d(x, w) + bias. */
export function winogradForward(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array): boolean {
  const { N, C, O, H, W, oH, oW } = g;
  const { tH, tW, P } = winogradTiles(g);
  const T = threadsForCall(16 * O * C * P, isResident(x), N);
  const call = new KernelCall();
  const xs = call.input(x, 0, N * C * H * W);
  const ws = call.input(w, 0, O * C * 9);
  const bs = call.input(bias ?? x, 0, bias === null ? 0 : O);
  const [us, vs, ms] = [matrixStride(O, C), matrixStride(C, P), matrixStride(O, P)];
  const u = call.scratch(16 * us);
  const v = call.scratch(16 * vs);
  const m = call.scratch(16 * ms);
  const pads = call.scratch(T * paddedPlane(tH, tW));
  const ys = call.output(out, 0, N * O * oH * oW, 'unset');
  if (!call.place(T > 1)) return false;
  wasm().winogradWeights(ws.at, O, C, u.at, us);
  runInRuns(N, T, (n0, n1, t) => {
    const tiles = tH * tW;
    const [p0, pt] = [n0 * tiles, (n1 - n0) * tiles];
    const pad = pads.at + t * paddedPlane(tH, tW) * 4;
    const steps: Step[] = [[
      Kernel.winogradInput, xs.at + n0 * C * H * W * 4, n1 - n0, C, H, W, tH, tW, g.padTop, g.padLeft, v.at + p0 * 4, vs, pad, P,
    ]];
    // Columns [p0, p0 + pt) of M_e [O, P] = U_e [O, C] x V_e [C, P]: this thread's tiles.
    for (let e = 0; e < 16; e++) {
      steps.push(gemmStep(O, pt, C, u.at + e * us * 4, C, 1, v.at + (e * vs + p0) * 4, P, 1, m.at + (e * ms + p0) * 4, P, 0, t));
    }
    steps.push([Kernel.winogradOutput, m.at + p0 * 4, ms, n1 - n0, O, oH, oW, tH, tW, ys.at + n0 * O * oH * oW * 4, pad, P]);
    return steps;
  });
  if (bias !== null) wasm().addChannelBias(N, O, oH * oW, bs.at, ys.at);
  call.finish();
  return true;
}

/** gradIn (overwritten) and/or gradW (overwritten, summed over the batch): the gradients of conv2d(x, w). */
export function winogradBackward(
  g: ConvGeometry, gradOut: Float32Array, x: Float32Array | null, w: Float32Array | null,
  gradIn: Float32Array | null, gradW: Float32Array | null,
): boolean {
  const { N, C, O, H, W, oH, oW } = g;
  const { tH, tW, P } = winogradTiles(g);
  const wantIn = gradIn !== null && w !== null;
  const wantW = gradW !== null && x !== null;
  const resident = isResident(gradOut);
  // Both: two lists (input gradient, weight gradient); the input gradient alone: runs of samples.
  const T = wantIn && wantW ? threadsForCall(32 * O * C * P, resident, 2) : threadsForCall(16 * O * C * P, resident, wantIn ? N : 16);
  // With both on two threads each list transforms the output gradient for itself, into its own buffer.
  const apart = wantIn && wantW && T > 1;
  const call = new KernelCall();
  const go = call.input(gradOut, 0, N * O * oH * oW);
  const ws = call.input(w ?? gradOut, 0, wantIn ? O * C * 9 : 0);
  const xs = call.input(x ?? gradOut, 0, wantW ? N * C * H * W : 0);
  const [zs, us, vs] = [matrixStride(O, P), matrixStride(O, C), matrixStride(C, P)];
  const z = call.scratch(16 * zs);
  const z2 = call.scratch(apart ? 16 * zs : 0);
  const u = call.scratch(wantIn ? 16 * us : 0);
  const dv = call.scratch(wantIn ? 16 * vs : 0);
  const v = call.scratch(wantW ? 16 * vs : 0);
  const du = call.scratch(wantW ? 16 * us : 0);
  const pads = call.scratch(Math.max(T, 2) * paddedPlane(tH, tW));
  const gi = call.output(gradIn ?? gradOut, 0, wantIn ? N * C * H * W : 0, 'unset');
  const gw = call.output(gradW ?? gradOut, 0, wantW ? O * C * 9 : 0, 'unset');
  if (!call.place(T > 1)) return false;
  const pad = (t: number): number => pads.at + t * paddedPlane(tH, tW) * 4;
  const gradOutSteps = (zAt: number, n0: number, n1: number, t: number): Step => [
    Kernel.winogradGradOut, go.at + n0 * O * oH * oW * 4, n1 - n0, O, oH, oW, tH, tW, zAt + n0 * tH * tW * 4, zs, pad(t), P,
  ];
  // dV_e [C, P] = U_e^T [C, O] x Z_e [O, P] over columns [p0, p0 + pt) (U_e^T read through swapped strides),
  // then the transform back of samples [n0, n1): the input gradient of a run of samples.
  const inputSteps = (zAt: number, n0: number, n1: number, t: number): Step[] => {
    const [p0, pt] = [n0 * tH * tW, (n1 - n0) * tH * tW];
    const steps: Step[] = [];
    for (let e = 0; e < 16; e++) {
      steps.push(gemmStep(C, pt, O, u.at + e * us * 4, 1, C, zAt + (e * zs + p0) * 4, P, 1, dv.at + (e * vs + p0) * 4, P, 0, t));
    }
    steps.push([
      Kernel.winogradGradInput, dv.at + p0 * 4, vs, n1 - n0, C, H, W, tH, tW, g.padTop, g.padLeft, gi.at + n0 * C * H * W * 4, pad(t), P,
    ]);
    return steps;
  };
  // dU_e [O, C] = Z_e [O, P] x V_e^T [P, C] (V_e^T read through swapped strides): the batch sums inside.
  const weightProducts = (zAt: number): Products => (e0, e1, t) => {
    const steps: Step[] = [];
    for (let e = e0; e < e1; e++) steps.push(gemmStep(O, C, P, zAt + e * zs * 4, P, 1, v.at + e * vs * 4, 1, P, du.at + e * us * 4, C, 0, t));
    return steps;
  };
  const inputTransform = (t: number): Step => [Kernel.winogradInput, xs.at, N, C, H, W, tH, tW, g.padTop, g.padLeft, v.at, vs, pad(t), P];

  if (wantIn) wasm().winogradWeights(ws.at, O, C, u.at, us);
  if (apart) {
    runOnThreads([
      [gradOutSteps(z.at, 0, N, 0), ...inputSteps(z.at, 0, N, 0)],
      // The weight transform back on the worker too, where dU is in cache.
      [gradOutSteps(z2.at, 0, N, 1), inputTransform(1), ...weightProducts(z2.at)(0, 16, 1), [Kernel.winogradWeightGrad, du.at, O, C, gw.at, us]],
    ]);
  } else {
    if (wantIn) runInRuns(N, T, (n0, n1, t) => [gradOutSteps(z.at, n0, n1, t), ...inputSteps(z.at, n0, n1, t)]);
    if (wantW) {
      // The input gradient's runs transformed the whole output gradient already.
      runOnThreads([[...(wantIn ? [] : [gradOutSteps(z.at, 0, N, 0)]), inputTransform(0)]]);
      // The 16 products shared out whole (the transforms around them ran on the calling thread).
      runInRuns(16, T, weightProducts(z.at));
      wasm().winogradWeightGrad(du.at, O, C, gw.at, us);
    }
  }
  call.finish();
  return true;
}
