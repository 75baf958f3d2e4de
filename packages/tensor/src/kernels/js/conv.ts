// 2-D convolution kernels over contiguous NCHW typed arrays: im2col + gemm per group and sample.
// The three kernels are the forward pass and its two gradients; the transposed convolution reuses them with
// the roles of input and output swapped (see ops/conv.ts), so the geometry is always the forward conv's.
import { gemm, type GemmArray } from './gemm.js';
import { col2im, im2col, isPointwise } from './conv-im2col.js';
import type { WindowGeometry } from './window.js';
import { winogradBackwardInput, winogradBackwardWeight, winogradForward } from './conv-winograd.js';
import { scratchPair } from './scratch.js';

/** Shapes of one forward convolution: x [N, C, H, W] * w [O, C/groups, kH, kW] -> out [N, O, oH, oW]. */
export interface ConvGeometry extends WindowGeometry {
  N: number;
  C: number;
  O: number;
  /** Padding before the first row/column; the padding after is implied by oH/oW ('same' may be asymmetric). */
  padTop: number;
  padLeft: number;
  groups: number;
  /** Compute by Winograd F(2x2, 3x3) (conv-winograd.ts): set by the op under setConvAlgorithm('winograd'). */
  winograd?: boolean;
}

/**
 * The sizes every conv kernel walks per sample and group: input and output channels of a group (cg, og), rows
 * of its column matrix (kg), the input plane, the output plane (L), and whether the input plane already is the
 * column matrix (direct: no unfolding).
 */
export interface GroupDims {
  cg: number;
  og: number;
  kg: number;
  plane: number;
  L: number;
  direct: boolean;
}

export function groupDims(g: ConvGeometry): GroupDims {
  const cg = g.C / g.groups;
  return { cg, og: g.O / g.groups, kg: cg * g.kH * g.kW, plane: g.H * g.W, L: g.oH * g.oW, direct: isPointwise(g) };
}

/** The im2col scratch (one per float type: gemm wants operands of one type). */
const colBuffer = scratchPair();

/** out (zero-filled or not, it is overwritten) = conv2d(x, w) + bias. All arrays contiguous, offset 0. */
export function conv2dForward(g: ConvGeometry, x: GemmArray, w: GemmArray, bias: GemmArray | null, out: GemmArray): void {
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  if (g.winograd) {
    winogradForward(g, x, w, out);
    if (bias !== null) addChannelBias(g.N, g.O, L, bias, out);
    return;
  }
  const col = direct ? x : colBuffer(x, kg * L);
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xOff = (n * g.C + gi * cg) * plane;
      const outOff = (n * g.O + gi * og) * L;
      if (!direct) im2col(g, x, xOff, cg, col);
      gemm(og, L, kg, w, gi * og * kg, kg, 1, col, direct ? xOff : 0, L, 1, out, outOff, false);
    }
  }
  if (bias !== null) addChannelBias(g.N, g.O, L, bias, out);
}

/** out [N, C, L] += bias [C] broadcast over the batch and the plane. */
export function addChannelBias(N: number, C: number, L: number, bias: GemmArray, out: GemmArray): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const b = bias[c];
      const start = (n * C + c) * L;
      for (let i = start; i < start + L; i++) out[i] += b;
    }
  }
}

/** gradIn (must be zero-filled: col2im accumulates) = gradient of conv2d w.r.t. its input. */
export function conv2dBackwardInput(g: ConvGeometry, gradOut: GemmArray, w: GemmArray, gradIn: GemmArray): void {
  if (g.winograd) return winogradBackwardInput(g, gradOut, w, gradIn);
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const col = direct ? gradIn : colBuffer(gradOut, kg * L);
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const inOff = (n * g.C + gi * cg) * plane;
      const goOff = (n * g.O + gi * og) * L;
      // col [kg, L] = w_g^T [kg, og] * gradOut_g [og, L]; w_g^T is read through swapped strides.
      gemm(kg, L, og, w, gi * og * kg, 1, kg, gradOut, goOff, L, 1, col, direct ? inOff : 0, false);
      if (!direct) col2im(g, col, gradIn, inOff, cg);
    }
  }
}

/** gradW (overwritten) = gradient of conv2d w.r.t. its weight, summed over the batch. */
export function conv2dBackwardWeight(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, gradW: GemmArray): void {
  if (g.winograd) return winogradBackwardWeight(g, gradOut, x, gradW);
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const col = direct ? x : colBuffer(x, kg * L);
  if (g.N === 0) gradW.fill(0);
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xOff = (n * g.C + gi * cg) * plane;
      const goOff = (n * g.O + gi * og) * L;
      if (!direct) im2col(g, x, xOff, cg, col);
      // gradW_g [og, kg] (+)= gradOut_g [og, L] * col^T [L, kg]; col^T is read through swapped strides.
      gemm(og, kg, L, gradOut, goOff, L, 1, col, direct ? xOff : 0, 1, L, gradW, gi * og * kg, n > 0);
    }
  }
}

/** Both gradients of conv2d (gradIn must be zero-filled): the two kernels above in turn. */
export function conv2dBackward(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, w: GemmArray, gradIn: GemmArray, gradW: GemmArray): void {
  conv2dBackwardInput(g, gradOut, w, gradIn);
  conv2dBackwardWeight(g, gradOut, x, gradW);
}
