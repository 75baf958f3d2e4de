// Winograd F(2x2, 3x3) convolution (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016),
// the opt-in algorithm of setConvAlgorithm('winograd') for 3x3 convs with stride 1, dilation 1 and one group.
//
// The output is cut into 2x2 tiles; tile p reads the 4x4 input patch d that covers it. With
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],  A^T = [1 1 1 0; 0 1 -1 -1],
// the tile is y = A^T [(G g G^T) . (B^T d B)] A for each pair of channels, so the 16 elements e of the 4x4
// transforms turn the conv into 16 independent products over channels: M_e [O, P] = U_e [O, C] x V_e [C, P],
// with U = G g G^T (weights), V = B^T d B (input tiles, P of them over the whole batch). A tile costs 16
// multiplies per channel pair against the direct 36: 2.25x fewer, for a few additions in the transforms.
// The gradients are the transposes of the same linear maps:
//   input:  dV_e [C, P] = U_e^T x Z_e with Z = A dy A^T (the output gradient's tiles), then dx += B dV B^T;
//   weight: dU_e [O, C] = Z_e x V_e^T (the batch summed inside the product), then dg = G^T dU G.
//
// The rounding differs from the im2col kernels (conv.ts): other operations in another order, so it is opt-in.
// Every transform here is spelled out operation by operation, each float32 result rounded (Math.fround), in the
// order the wasm twins (assembly/winograd.ts) use, so the transforms give the same bits on both backends; the
// products are the gemm kernel's, whose float32 sums differ between backends (docs/ARCHITECTURE.md), as the
// im2col convs' do. Float64 runs the same code without the rounding.
import type { ConvGeometry } from './conv.js';
import { type GemmArray, gemm } from './gemm.js';
import { scratchPair } from './scratch.js';

/**
 * Fewest input and output channels for Winograd: with fewer, its 16 products are too thin (K or M of a few) and
 * the transforms cost more than the multiplies they save (measured: 1 -> 32 channels ran 4-7x slower).
 */
export const WINOGRAD_MIN_CHANNELS = 8;

/**
 * Whether a conv is computed by Winograd F(2x2, 3x3) under setConvAlgorithm('winograd'): 3x3 kernel, stride 1,
 * dilation 1, one group, at least WINOGRAD_MIN_CHANNELS input and output channels.
 */
export function hasWinogradForm(g: ConvGeometry): boolean {
  return g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1 && g.groups === 1 &&
    g.C >= WINOGRAD_MIN_CHANNELS && g.O >= WINOGRAD_MIN_CHANNELS;
}

/** Tile rows and columns per sample (2x2 output tiles, the last ones cropped) and tiles over the batch (P). */
export function winogradTiles(g: ConvGeometry): { tH: number; tW: number; P: number } {
  const tH = (g.oH + 1) >> 1;
  const tW = (g.oW + 1) >> 1;
  return { tH, tW, P: g.N * tH * tW };
}

type Round = (v: number) => number;
const keep: Round = (v) => v;
const roundFor = (a: GemmArray): Round => (a instanceof Float32Array ? Math.fround : keep);

/** U [16, O, C] = G w G^T for each (o, c) of w [O, C, 3, 3]. */
export function winogradWeights(w: GemmArray, O: number, C: number, u: GemmArray): void {
  const r = roundFor(u);
  const stride = O * C;
  const a = new Array<number>(12);
  for (let oc = 0; oc < stride; oc++) {
    const g = oc * 9;
    // a = G g: rows of g combined, one column j at a time.
    for (let j = 0; j < 3; j++) {
      const g0 = w[g + j], g1 = w[g + 3 + j], g2 = w[g + 6 + j];
      a[j] = g0;
      a[3 + j] = r(r(r(g0 + g1) + g2) * 0.5);
      a[6 + j] = r(r(r(g0 - g1) + g2) * 0.5);
      a[9 + j] = g2;
    }
    // U = a G^T: columns of a combined, one row i at a time.
    for (let i = 0; i < 4; i++) {
      const a0 = a[3 * i], a1 = a[3 * i + 1], a2 = a[3 * i + 2];
      const e = 4 * i * stride + oc;
      u[e] = a0;
      u[e + stride] = r(r(r(a0 + a1) + a2) * 0.5);
      u[e + 2 * stride] = r(r(r(a0 - a1) + a2) * 0.5);
      u[e + 3 * stride] = a2;
    }
  }
}

/** dw [O, C, 3, 3] = G^T dU G for each (o, c) of dU [16, O, C]. */
export function winogradWeightGrad(du: GemmArray, O: number, C: number, dw: GemmArray): void {
  const r = roundFor(dw);
  const stride = O * C;
  const b = new Array<number>(12);
  for (let oc = 0; oc < stride; oc++) {
    // b = G^T dU: rows combined, one column j at a time (b is 3 x 4).
    for (let j = 0; j < 4; j++) {
      const u0 = du[j * stride + oc], u1 = du[(4 + j) * stride + oc], u2 = du[(8 + j) * stride + oc], u3 = du[(12 + j) * stride + oc];
      const half = r(r(u1 + u2) * 0.5);
      b[j] = r(u0 + half);
      b[4 + j] = r(r(u1 - u2) * 0.5);
      b[8 + j] = r(half + u3);
    }
    // dw = b G: columns combined, one row i at a time.
    for (let i = 0; i < 3; i++) {
      const b0 = b[4 * i], b1 = b[4 * i + 1], b2 = b[4 * i + 2], b3 = b[4 * i + 3];
      const half = r(r(b1 + b2) * 0.5);
      const at = oc * 9 + 3 * i;
      dw[at] = r(b0 + half);
      dw[at + 1] = r(r(b1 - b2) * 0.5);
      dw[at + 2] = r(half + b3);
    }
  }
}

/**
 * Calls visit(channel, n, th, tw, col) for every tile of `channels` channels: channel by channel, then sample,
 * row and column of tiles (the order in which the input gradient's overlapping tiles add up); col is the tile's
 * column in its channel's row of the [16, channels, P] matrices.
 */
function forEachTile(g: ConvGeometry, channels: number, visit: (ch: number, n: number, th: number, tw: number, col: number) => void): void {
  const { tH, tW, P } = winogradTiles(g);
  for (let ch = 0; ch < channels; ch++) {
    for (let n = 0; n < g.N; n++) {
      for (let th = 0; th < tH; th++) {
        for (let tw = 0; tw < tW; tw++) visit(ch, n, th, tw, ch * P + (n * tH + th) * tW + tw);
      }
    }
  }
}

/** V [16, C, P] = B^T d B for the 4x4 input patch d of every tile and channel of x [N, C, H, W] (zeros outside). */
export function winogradInput(g: ConvGeometry, x: GemmArray, v: GemmArray): void {
  const r = roundFor(v);
  const { C, H, W } = g;
  const stride = C * winogradTiles(g).P;
  const d = new Array<number>(16);
  const t = new Array<number>(16);
  forEachTile(g, C, (c, n, th, tw, col) => {
    const plane = (n * C + c) * H * W;
    const y0 = 2 * th - g.padTop;
    const x0 = 2 * tw - g.padLeft;
    for (let i = 0; i < 4; i++) {
      const y = y0 + i;
      for (let j = 0; j < 4; j++) {
        const xx = x0 + j;
        d[4 * i + j] = y >= 0 && y < H && xx >= 0 && xx < W ? x[plane + y * W + xx] : 0;
      }
    }
    // t = B^T d (rows), then V = t B (columns).
    for (let j = 0; j < 4; j++) {
      const d0 = d[j], d1 = d[4 + j], d2 = d[8 + j], d3 = d[12 + j];
      t[j] = r(d0 - d2);
      t[4 + j] = r(d1 + d2);
      t[8 + j] = r(d2 - d1);
      t[12 + j] = r(d1 - d3);
    }
    for (let i = 0; i < 4; i++) {
      const t0 = t[4 * i], t1 = t[4 * i + 1], t2 = t[4 * i + 2], t3 = t[4 * i + 3];
      const e = 4 * i * stride + col;
      v[e] = r(t0 - t2);
      v[e + stride] = r(t1 + t2);
      v[e + 2 * stride] = r(t2 - t1);
      v[e + 3 * stride] = r(t1 - t3);
    }
  });
}

/** out [N, O, oH, oW] (overwritten) = A^T m A for the 4x4 m of every tile and channel of M [16, O, P], cropped. */
export function winogradOutput(g: ConvGeometry, m: GemmArray, out: GemmArray): void {
  const r = roundFor(out);
  const { O, oH, oW } = g;
  const stride = O * winogradTiles(g).P;
  const s = new Array<number>(8);
  forEachTile(g, O, (o, n, th, tw, col) => {
    // s = A^T m (rows), 2 x 4.
    for (let j = 0; j < 4; j++) {
      const m0 = m[j * stride + col], m1 = m[(4 + j) * stride + col], m2 = m[(8 + j) * stride + col], m3 = m[(12 + j) * stride + col];
      s[j] = r(r(m0 + m1) + m2);
      s[4 + j] = r(r(m1 - m2) - m3);
    }
    // y = s A (columns), 2 x 2, cropped to the output.
    const plane = (n * O + o) * oH * oW;
    for (let i = 0; i < 2; i++) {
      const y = 2 * th + i;
      if (y >= oH) break;
      const s0 = s[4 * i], s1 = s[4 * i + 1], s2 = s[4 * i + 2], s3 = s[4 * i + 3];
      const row = plane + y * oW + 2 * tw;
      out[row] = r(r(s0 + s1) + s2);
      if (2 * tw + 1 < oW) out[row + 1] = r(r(s1 - s2) - s3);
    }
  });
}

/** Z [16, O, P] = A dy A^T for the 2x2 output gradient dy of every tile and channel of gradOut (zeros outside). */
export function winogradGradOut(g: ConvGeometry, gradOut: GemmArray, z: GemmArray): void {
  const r = roundFor(z);
  const { O, oH, oW } = g;
  const stride = O * winogradTiles(g).P;
  const s = new Array<number>(8);
  forEachTile(g, O, (o, n, th, tw, col) => {
    const y = 2 * th, x0 = 2 * tw;
    const right = x0 + 1 < oW, below = y + 1 < oH;
    const at = (n * O + o) * oH * oW + y * oW + x0;
    const d00 = gradOut[at], d01 = right ? gradOut[at + 1] : 0;
    const d10 = below ? gradOut[at + oW] : 0, d11 = below && right ? gradOut[at + oW + 1] : 0;
    // s = A dy (rows), 4 x 2: column j of dy is (d0j, d1j).
    for (let j = 0; j < 2; j++) {
      const a0 = j === 0 ? d00 : d01, a1 = j === 0 ? d10 : d11;
      s[j] = a0;
      s[2 + j] = r(a0 + a1);
      s[4 + j] = r(a0 - a1);
      s[6 + j] = -a1;
    }
    // Z = s A^T (columns), 4 x 4.
    for (let i = 0; i < 4; i++) {
      const s0 = s[2 * i], s1 = s[2 * i + 1];
      const e = 4 * i * stride + col;
      z[e] = s0;
      z[e + stride] = r(s0 + s1);
      z[e + 2 * stride] = r(s0 - s1);
      z[e + 3 * stride] = -s1;
    }
  });
}

/**
 * gradIn [N, C, H, W] (zero-filled: tiles overlap, their parts add up) += B dv B^T for the 4x4 dv of every tile
 * and channel of dV [16, C, P], the parts that fall on padding dropped. Tiles add in order (sample, row, column).
 */
export function winogradGradInput(g: ConvGeometry, dv: GemmArray, gradIn: GemmArray): void {
  const r = roundFor(gradIn);
  const { C, H, W } = g;
  const stride = C * winogradTiles(g).P;
  const q = new Array<number>(16);
  forEachTile(g, C, (c, n, th, tw, col) => {
    // q = B dv (rows), 4 x 4.
    for (let j = 0; j < 4; j++) {
      const v0 = dv[j * stride + col], v1 = dv[(4 + j) * stride + col], v2 = dv[(8 + j) * stride + col], v3 = dv[(12 + j) * stride + col];
      q[j] = v0;
      q[4 + j] = r(r(v1 - v2) + v3);
      q[8 + j] = r(r(v1 + v2) - v0);
      q[12 + j] = -v3;
    }
    // dx = q B^T (columns), added where it lands inside the input.
    const plane = (n * C + c) * H * W;
    const y0 = 2 * th - g.padTop;
    const x0 = 2 * tw - g.padLeft;
    for (let i = 0; i < 4; i++) {
      const y = y0 + i;
      if (y < 0 || y >= H) continue;
      const q0 = q[4 * i], q1 = q[4 * i + 1], q2 = q[4 * i + 2], q3 = q[4 * i + 3];
      const parts = [q0, r(r(q1 - q2) + q3), r(r(q1 + q2) - q0), -q3];
      for (let j = 0; j < 4; j++) {
        const xx = x0 + j;
        if (xx >= 0 && xx < W) gradIn[plane + y * W + xx] = r(gradIn[plane + y * W + xx] + parts[j]);
      }
    }
  });
}

/** Scratch for the transforms and products (one per float type). */
const scratchFor = scratchPair();

/** A zero-copy window [offset, offset + length) of a scratch array. */
const part = (a: GemmArray, offset: number, length: number): GemmArray => a.subarray(offset, offset + length);

/** out (overwritten) = conv2d(x, w) by Winograd F(2x2, 3x3); the caller adds the bias. */
export function winogradForward(g: ConvGeometry, x: GemmArray, w: GemmArray, out: GemmArray): void {
  const { C, O } = g;
  const { P } = winogradTiles(g);
  const s = scratchFor(x, 16 * (O * C + C * P + O * P));
  const u = part(s, 0, 16 * O * C), v = part(s, 16 * O * C, 16 * C * P), m = part(s, 16 * (O * C + C * P), 16 * O * P);
  winogradWeights(w, O, C, u);
  winogradInput(g, x, v);
  for (let e = 0; e < 16; e++) gemm(O, P, C, u, e * O * C, C, 1, v, e * C * P, P, 1, m, e * O * P, false);
  winogradOutput(g, m, out);
}

/** gradIn (zero-filled) = gradient of conv2d w.r.t. its input, by Winograd F(2x2, 3x3). */
export function winogradBackwardInput(g: ConvGeometry, gradOut: GemmArray, w: GemmArray, gradIn: GemmArray): void {
  const { C, O } = g;
  const { P } = winogradTiles(g);
  const s = scratchFor(gradOut, 16 * (O * C + O * P + C * P));
  const u = part(s, 0, 16 * O * C), z = part(s, 16 * O * C, 16 * O * P), dv = part(s, 16 * (O * C + O * P), 16 * C * P);
  winogradWeights(w, O, C, u);
  winogradGradOut(g, gradOut, z);
  // dV_e [C, P] = U_e^T [C, O] x Z_e [O, P]; U_e^T is read through swapped strides.
  for (let e = 0; e < 16; e++) gemm(C, P, O, u, e * O * C, 1, C, z, e * O * P, P, 1, dv, e * C * P, false);
  winogradGradInput(g, dv, gradIn);
}

/** gradW (overwritten) = gradient of conv2d w.r.t. its weight, summed over the batch, by Winograd F(2x2, 3x3). */
export function winogradBackwardWeight(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, gradW: GemmArray): void {
  const { C, O } = g;
  const { P } = winogradTiles(g);
  const s = scratchFor(x, 16 * (O * P + C * P + O * C));
  const z = part(s, 0, 16 * O * P), v = part(s, 16 * O * P, 16 * C * P), du = part(s, 16 * (O * P + C * P), 16 * O * C);
  winogradGradOut(g, gradOut, z);
  winogradInput(g, x, v);
  // dU_e [O, C] = Z_e [O, P] x V_e^T [P, C]; V_e^T is read through swapped strides.
  for (let e = 0; e < 16; e++) gemm(O, C, P, z, e * O * P, P, 1, v, e * C * P, 1, P, du, e * O * C, false);
  winogradWeightGrad(du, O, C, gradW);
}
