// The conv kernels of the wasm backend: the JS kernels' scheme (im2col + gemm per sample and group, see
// kernels/js/conv.ts) with every step in wasm memory. Each call copies its inputs in once, unfolds and
// multiplies there, and copies its one output out once (the JS kernels around the wasm gemm alone would copy
// each sample's column matrix in and its product out). float64 goes to the JS kernels.
import { addChannelBias, type ConvGeometry, conv2dBackwardInput as jsBackwardInput, conv2dBackwardWeight as jsBackwardWeight, conv2dForward as jsForward } from '../js/conv.js';
import { isPointwise } from '../js/conv-im2col.js';
import type { GemmArray } from '../js/gemm.js';
import { align4, sgemmAt } from './gemm.js';
import { f32, reserveArena, wasm } from './instance.js';

/** Float offsets of consecutive arena regions of the given lengths (16-byte aligned), then the total. */
function regions(...lengths: number[]): number[] {
  const at: number[] = [];
  let next = 0;
  for (const n of lengths) {
    at.push(next);
    next += align4(n);
  }
  at.push(next);
  return at;
}

type Unfold = 'im2col' | 'col2im';

/** Calls im2col or col2im of geometry g on `channels` channels between two byte addresses. */
function unfold(op: Unfold, g: ConvGeometry, channels: number, from: number, to: number): void {
  wasm()[op](from, channels, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW, to);
}

function allFloat32(...arrays: GemmArray[]): boolean {
  return arrays.every((a) => a instanceof Float32Array);
}

/** out (overwritten) = conv2d(x, w) + bias. All arrays contiguous, offset 0. */
export function conv2dForward(g: ConvGeometry, x: GemmArray, w: GemmArray, bias: GemmArray | null, out: GemmArray): void {
  if (!allFloat32(x, w, out)) return jsForward(g, x, w, bias, out);
  const cg = g.C / g.groups, og = g.O / g.groups, kg = cg * g.kH * g.kW, plane = g.H * g.W, L = g.oH * g.oW;
  const direct = isPointwise(g);
  const xLen = g.N * g.C * plane, wLen = g.O * kg, outLen = g.N * g.O * L;
  const [xAt, wAt, colAt, outAt, end] = regions(xLen, wLen, direct ? 0 : kg * L, outLen);
  const base = reserveArena(end * 4);
  const mem = f32();
  const first = base >> 2;
  mem.set(x.subarray(0, xLen), first + xAt);
  mem.set(w.subarray(0, wLen), first + wAt);
  const ptr = (at: number) => base + at * 4;
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xOff = (n * g.C + gi * cg) * plane;
      if (!direct) unfold('im2col', g, cg, ptr(xAt + xOff), ptr(colAt));
      const b = direct ? ptr(xAt + xOff) : ptr(colAt);
      sgemmAt(og, L, kg, ptr(wAt + gi * og * kg), kg, 1, b, L, 1, ptr(outAt + (n * g.O + gi * og) * L), false);
    }
  }
  out.set(mem.subarray(first + outAt, first + outAt + outLen));
  if (bias !== null) addChannelBias(g.N, g.O, L, bias, out);
}

/** gradIn (overwritten) = gradient of conv2d w.r.t. its input. */
export function conv2dBackwardInput(g: ConvGeometry, gradOut: GemmArray, w: GemmArray, gradIn: GemmArray): void {
  if (!allFloat32(gradOut, w, gradIn)) return jsBackwardInput(g, gradOut, w, gradIn);
  const cg = g.C / g.groups, og = g.O / g.groups, kg = cg * g.kH * g.kW, plane = g.H * g.W, L = g.oH * g.oW;
  const direct = isPointwise(g);
  const goLen = g.N * g.O * L, wLen = g.O * kg, inLen = g.N * g.C * plane;
  const [goAt, wAt, colAt, inAt, end] = regions(goLen, wLen, direct ? 0 : kg * L, inLen);
  const base = reserveArena(end * 4);
  const mem = f32();
  const first = base >> 2;
  mem.set(gradOut.subarray(0, goLen), first + goAt);
  mem.set(w.subarray(0, wLen), first + wAt);
  mem.fill(0, first + inAt, first + inAt + inLen);
  const ptr = (at: number) => base + at * 4;
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const inOff = (n * g.C + gi * cg) * plane;
      // col [kg, L] = w_g^T [kg, og] * gradOut_g [og, L]; w_g^T is read through swapped strides.
      const c = direct ? ptr(inAt + inOff) : ptr(colAt);
      sgemmAt(kg, L, og, ptr(wAt + gi * og * kg), 1, kg, ptr(goAt + (n * g.O + gi * og) * L), L, 1, c, false);
      if (!direct) unfold('col2im', g, cg, ptr(colAt), ptr(inAt + inOff));
    }
  }
  gradIn.set(mem.subarray(first + inAt, first + inAt + inLen));
}

/** gradW (overwritten) = gradient of conv2d w.r.t. its weight, summed over the batch. */
export function conv2dBackwardWeight(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, gradW: GemmArray): void {
  if (!allFloat32(gradOut, x, gradW)) return jsBackwardWeight(g, gradOut, x, gradW);
  const cg = g.C / g.groups, og = g.O / g.groups, kg = cg * g.kH * g.kW, plane = g.H * g.W, L = g.oH * g.oW;
  const direct = isPointwise(g);
  const goLen = g.N * g.O * L, xLen = g.N * g.C * plane, wLen = g.O * kg;
  const [goAt, xAt, colAt, gwAt, end] = regions(goLen, xLen, direct ? 0 : kg * L, wLen);
  const base = reserveArena(end * 4);
  const mem = f32();
  const first = base >> 2;
  mem.set(gradOut.subarray(0, goLen), first + goAt);
  mem.set(x.subarray(0, xLen), first + xAt);
  mem.fill(0, first + gwAt, first + gwAt + wLen);
  const ptr = (at: number) => base + at * 4;
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xOff = (n * g.C + gi * cg) * plane;
      if (!direct) unfold('im2col', g, cg, ptr(xAt + xOff), ptr(colAt));
      // gradW_g [og, kg] (+)= gradOut_g [og, L] * col^T [L, kg]; col^T is read through swapped strides.
      const b = direct ? ptr(xAt + xOff) : ptr(colAt);
      sgemmAt(og, kg, L, ptr(goAt + (n * g.O + gi * og) * L), L, 1, b, 1, L, ptr(gwAt + gi * og * kg), n > 0);
    }
  }
  gradW.set(mem.subarray(first + gwAt, first + gwAt + wLen));
}
