// The Winograd F(2x2, 3x3) convs of the wasm backend (kernels/js/conv-winograd.ts explains the algorithm and
// the layouts): each call transforms, multiplies and transforms back in wasm memory (assembly/winograd.ts and
// the sgemm kernels), its operands staged like the im2col convs' (call.ts). On several threads the 16 products
// (32 for both gradients) are shared out whole, by transform element, while the transforms run on the calling
// thread: each product is the same call whatever the thread count, so the bits are those of one thread and of
// the js kernels. Each function returns false, having done nothing, when the memory is at its maximum
// (instance.ts): the caller then runs the js kernel.
import type { ConvGeometry } from '../js/conv.js';
import { winogradTiles } from '../js/conv-winograd.js';
import { splitBounds } from './balance.js';
import { KernelCall } from './call.js';
import { gemmStep } from './gemm.js';
import { isResident, wasm } from './instance.js';
import { type Step, runOnThreads, threadsFor } from './threads.js';

/**
 * Floats from one of the 16 matrices of rows x cols to the next: rounded up to whole cache lines, plus one
 * line, so that the 16 addresses a transform writes or reads per tile fall in different cache sets (with
 * strides of a multiple of 4 KB they share one set and evict each other: the weight transform ran 3-4x slower).
 */
export function matrixStride(rows: number, cols: number): number {
  return (((rows * cols + 15) >> 4) << 4) + 16;
}

/**
 * Floats of the padded plane the tile transforms work in (assembly/winograd.ts): 2 tH + 2 rows of whole groups
 * of four tiles plus 2 columns, and 4 floats more (it is cleared by whole vectors).
 */
function paddedPlane(tH: number, tW: number): number {
  return (2 * tH + 2) * (2 * (Math.ceil(tW / 4) * 4) + 2) + 4;
}

/** Runs count products, product(k, t) being the k-th's call on thread t, shared out among T threads. */
function runProducts(count: number, T: number, product: (k: number, t: number) => Step): void {
  const bounds = splitBounds(count, T);
  const lists: Step[][] = [];
  for (let t = 0; t < T; t++) {
    const list: Step[] = [];
    for (let k = bounds[t]; k < bounds[t + 1]; k++) list.push(product(k, t));
    lists.push(list);
  }
  runOnThreads(lists, bounds);
}

/** Threads for products of `muladds` in all, at most one per product. */
function threadsForProducts(muladds: number, count: number, resident: boolean): number {
  return Math.min(count, threadsFor(muladds, resident));
}

/** out (overwritten) = conv2d(x, w) + bias. */
export function winogradForward(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array): boolean {
  const { N, C, O, H, W, oH, oW } = g;
  const { tH, tW, P } = winogradTiles(g);
  const T = threadsForProducts(16 * O * C * P, 16, isResident(x));
  const call = new KernelCall();
  const xs = call.input(x, 0, N * C * H * W);
  const ws = call.input(w, 0, O * C * 9);
  const bs = call.input(bias ?? x, 0, bias === null ? 0 : O);
  const [us, vs, ms] = [matrixStride(O, C), matrixStride(C, P), matrixStride(O, P)];
  const u = call.scratch(16 * us);
  const v = call.scratch(16 * vs);
  const m = call.scratch(16 * ms);
  const pad = call.scratch(paddedPlane(tH, tW));
  const ys = call.output(out, 0, N * O * oH * oW, 'unset');
  if (!call.place(T > 1)) return false;
  wasm().winogradWeights(ws.at, O, C, u.at, us);
  wasm().winogradInput(xs.at, N, C, H, W, tH, tW, g.padTop, g.padLeft, v.at, vs, pad.at);
  // M_e [O, P] = U_e [O, C] x V_e [C, P].
  runProducts(16, T, (e, t) => gemmStep(O, P, C, u.at + e * us * 4, C, 1, v.at + e * vs * 4, P, 1, m.at + e * ms * 4, P, 0, t));
  wasm().winogradOutput(m.at, ms, N, O, oH, oW, tH, tW, ys.at, pad.at);
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
  const count = (wantIn ? 16 : 0) + (wantW ? 16 : 0);
  const T = threadsForProducts(16 * O * C * P * (count / 16), count, isResident(gradOut));
  const call = new KernelCall();
  const go = call.input(gradOut, 0, N * O * oH * oW);
  const ws = call.input(w ?? gradOut, 0, wantIn ? O * C * 9 : 0);
  const xs = call.input(x ?? gradOut, 0, wantW ? N * C * H * W : 0);
  const [zs, us, vs] = [matrixStride(O, P), matrixStride(O, C), matrixStride(C, P)];
  const z = call.scratch(16 * zs);
  const u = call.scratch(wantIn ? 16 * us : 0);
  const dv = call.scratch(wantIn ? 16 * vs : 0);
  const v = call.scratch(wantW ? 16 * vs : 0);
  const du = call.scratch(wantW ? 16 * us : 0);
  const pad = call.scratch(paddedPlane(tH, tW));
  const gi = call.output(gradIn ?? gradOut, 0, wantIn ? N * C * H * W : 0, 'unset');
  const gw = call.output(gradW ?? gradOut, 0, wantW ? O * C * 9 : 0, 'unset');
  if (!call.place(T > 1)) return false;
  wasm().winogradGradOut(go.at, N, O, oH, oW, tH, tW, z.at, zs, pad.at);
  if (wantIn) wasm().winogradWeights(ws.at, O, C, u.at, us);
  if (wantW) wasm().winogradInput(xs.at, N, C, H, W, tH, tW, g.padTop, g.padLeft, v.at, vs, pad.at);
  runProducts(count, T, (k, t) => {
    const e = k % 16;
    // dV_e [C, P] = U_e^T [C, O] x Z_e [O, P] (U_e^T read through swapped strides), the input gradient's 16 first.
    if (wantIn && k < 16) return gemmStep(C, P, O, u.at + e * us * 4, 1, C, z.at + e * zs * 4, P, 1, dv.at + e * vs * 4, P, 0, t);
    // dU_e [O, C] = Z_e [O, P] x V_e^T [P, C] (V_e^T read through swapped strides): the batch sums inside.
    return gemmStep(O, C, P, z.at + e * zs * 4, P, 1, v.at + e * vs * 4, 1, P, du.at + e * us * 4, C, 0, t);
  });
  if (wantIn) wasm().winogradGradInput(dv.at, vs, N, C, H, W, tH, tW, g.padTop, g.padLeft, gi.at, pad.at);
  if (wantW) wasm().winogradWeightGrad(du.at, O, C, gw.at, us);
  call.finish();
  return true;
}
