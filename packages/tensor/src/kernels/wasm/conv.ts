// The conv kernels of the wasm backend: the JS kernels' scheme (im2col + gemm per sample and group, see
// kernels/js/conv.ts) with every step in wasm memory. Each call copies its inputs in once, unfolds and
// multiplies there, and copies its one output out once (the JS kernels around the wasm gemm alone would copy
// each sample's column matrix in and its product out). float64 goes to the JS kernels.
import {
  addChannelBias, type ConvGeometry, conv2dBackwardInput as jsBackwardInput, conv2dBackwardWeight as jsBackwardWeight,
  conv2dForward as jsForward, groupDims,
} from '../js/conv.js';
import type { GemmArray } from '../js/gemm.js';
import { sgemmAt } from './gemm.js';
import { arenaRegions, copyIn, copyOut, wasm, zeroFill } from './instance.js';

type Unfold = 'im2col' | 'col2im';

/** Calls im2col or col2im of geometry g on `channels` channels between two byte addresses. */
function unfold(op: Unfold, g: ConvGeometry, channels: number, from: number, to: number): void {
  wasm()[op](from, channels, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW, to);
}

function allFloat32(...arrays: GemmArray[]): boolean {
  return arrays.every((a) => a instanceof Float32Array);
}

/**
 * The arena of one conv call (byte addresses): inputs a and b copied in (their first aLen / bLen floats), the
 * column scratch, and the output region (zero-filled when the kernel accumulates into it).
 */
function stage(
  a: GemmArray, aLen: number, b: GemmArray, bLen: number, colLen: number, outLen: number, zeroOut: boolean,
): number[] {
  const at = arenaRegions(aLen, bLen, colLen, outLen);
  copyIn(a.subarray(0, aLen), at[0]);
  copyIn(b.subarray(0, bLen), at[1]);
  if (zeroOut) zeroFill(at[3], outLen);
  return at;
}

/** out (overwritten) = conv2d(x, w) + bias. All arrays contiguous, offset 0. */
export function conv2dForward(g: ConvGeometry, x: GemmArray, w: GemmArray, bias: GemmArray | null, out: GemmArray): void {
  if (!allFloat32(x, w, out)) return jsForward(g, x, w, bias, out);
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const outLen = g.N * g.O * L;
  const [xAt, wAt, colAt, outAt] = stage(x, g.N * g.C * plane, w, g.O * kg, direct ? 0 : kg * L, outLen, false);
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xg = xAt + (n * g.C + gi * cg) * plane * 4;
      if (!direct) unfold('im2col', g, cg, xg, colAt);
      sgemmAt(og, L, kg, wAt + gi * og * kg * 4, kg, 1, direct ? xg : colAt, L, 1, outAt + (n * g.O + gi * og) * L * 4, false);
    }
  }
  copyOut(outAt, outLen, out);
  if (bias !== null) addChannelBias(g.N, g.O, L, bias, out);
}

/** gradIn (overwritten) = gradient of conv2d w.r.t. its input. */
export function conv2dBackwardInput(g: ConvGeometry, gradOut: GemmArray, w: GemmArray, gradIn: GemmArray): void {
  if (!allFloat32(gradOut, w, gradIn)) return jsBackwardInput(g, gradOut, w, gradIn);
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const inLen = g.N * g.C * plane;
  const [goAt, wAt, colAt, inAt] = stage(gradOut, g.N * g.O * L, w, g.O * kg, direct ? 0 : kg * L, inLen, true);
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const ing = inAt + (n * g.C + gi * cg) * plane * 4;
      // col [kg, L] = w_g^T [kg, og] * gradOut_g [og, L]; w_g^T is read through swapped strides.
      sgemmAt(kg, L, og, wAt + gi * og * kg * 4, 1, kg, goAt + (n * g.O + gi * og) * L * 4, L, 1, direct ? ing : colAt, false);
      if (!direct) unfold('col2im', g, cg, colAt, ing);
    }
  }
  copyOut(inAt, inLen, gradIn);
}

/** gradW (overwritten) = gradient of conv2d w.r.t. its weight, summed over the batch. */
export function conv2dBackwardWeight(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, gradW: GemmArray): void {
  if (!allFloat32(gradOut, x, gradW)) return jsBackwardWeight(g, gradOut, x, gradW);
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const wLen = g.O * kg;
  const [goAt, xAt, colAt, gwAt] = stage(gradOut, g.N * g.O * L, x, g.N * g.C * plane, direct ? 0 : kg * L, wLen, true);
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xg = xAt + (n * g.C + gi * cg) * plane * 4;
      if (!direct) unfold('im2col', g, cg, xg, colAt);
      // gradW_g [og, kg] (+)= gradOut_g [og, L] * col^T [L, kg]; col^T is read through swapped strides.
      sgemmAt(og, kg, L, goAt + (n * g.O + gi * og) * L * 4, L, 1, direct ? xg : colAt, 1, L, gwAt + gi * og * kg * 4, n > 0);
    }
  }
  copyOut(gwAt, wLen, gradW);
}
