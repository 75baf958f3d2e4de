// General matrix multiply over typed arrays: C (+)= A * B with arbitrary strides on A and B.
//
// Layout (the Goto/BLIS scheme):
// - B is cut into KC x NC blocks and packed into NR-wide column panels (kc rows of NR values each),
// - A is cut into MC x KC blocks and packed into MR-tall row panels (kc columns of MR values each),
// - a micro-kernel multiplies one A panel by one B panel into an MR x NR tile.
// Packing absorbs any strides (transposed operands cost nothing extra) and zero-pads ragged edges, so the
// micro-kernel never branches. Packs are always Float64Array: the micro-kernel sees one array type only
// (monomorphic for V8) and accumulates in double precision; only packing and the tile write-back touch the
// caller's Float32Array/Float64Array.
//
// Why the tile lives in a module-level Float64Array rather than in local variables: V8 (TurboFan) hoists
// all products of a loop body ahead of the additions, so local accumulators spill to the stack anyway, with
// more memory traffic than a load-add-store on the tile. Referencing the module constant directly lets V8
// drop the bounds checks on the constant tile indices. Each tile update folds two k steps (a0*b0 + a1*b1),
// which halves the tile traffic per multiply-add; packing pads kc to an even count with zeros so the loop has
// no odd tail. Measured for sgemm 512 on one core: ~4.8 GFLOP/s with local accumulators (best shape 4x8),
// ~7 with an 8x8 memory tile and one k step per update, ~9 with this 16x8 tile and two.

export type GemmArray = Float32Array | Float64Array;

const MR = 16;
const NR = 8;
const KC = 256;
const MC = 64;
const NC = 512;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL = 4096;

// Packing buffers are reused across calls and grown when a larger block is needed.
let aPack = new Float64Array(MC * KC);
let bPack = new Float64Array(KC * NC);
const tile = new Float64Array(MR * NR);

/**
 * C[cOffset + i*N + j] (+)= sum_k A[aOffset + i*aRowStride + k*aColStride] * B[bOffset + k*bRowStride + j*bColStride]
 * for 0 <= i < M, 0 <= j < N. C is contiguous row-major M x N. accumulate=false overwrites C.
 */
export function gemm(
  M: number, N: number, K: number,
  A: GemmArray, aOffset: number, aRowStride: number, aColStride: number,
  B: GemmArray, bOffset: number, bRowStride: number, bColStride: number,
  C: GemmArray, cOffset: number, accumulate: boolean,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) C.fill(0, cOffset, cOffset + M * N);
    return;
  }
  if (M === 1 || N === 1 || M * N * K < SMALL) {
    gemmDirect(M, N, K, A, aOffset, aRowStride, aColStride, B, bOffset, bRowStride, bColStride, C, cOffset, accumulate);
    return;
  }
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      const addToC = accumulate || pc > 0;
      packB(kc, nc, B, bOffset + pc * bRowStride + jc * bColStride, bRowStride, bColStride);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packA(mc, kc, A, aOffset + ic * aRowStride + pc * aColStride, aRowStride, aColStride);
        multiplyBlock(mc, nc, kc, C, cOffset + ic * N + jc, N, addToC);
      }
    }
  }
}

/** Dot products straight from the strided operands: for vectors and tiny products, where packing dominates. */
function gemmDirect(
  M: number, N: number, K: number,
  A: GemmArray, aOff: number, ars: number, acs: number,
  B: GemmArray, bOff: number, brs: number, bcs: number,
  C: GemmArray, cOff: number, accumulate: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const aRow = aOff + i * ars;
    const cRow = cOff + i * N;
    for (let j = 0; j < N; j++) {
      let s = 0;
      let ai = aRow;
      let bi = bOff + j * bcs;
      for (let k = 0; k < K; k++) {
        s += A[ai] * B[bi];
        ai += acs;
        bi += brs;
      }
      C[cRow + j] = accumulate ? C[cRow + j] + s : s;
    }
  }
}

/** kc rounded up to even: the packed panels get a zero step so the micro-kernel can take k two at a time. */
function paddedDepth(kc: number): number {
  return kc + (kc & 1);
}

/** Packs an mc x kc block of A into MR-row panels: aPack[panel*kp*MR + p*MR + r], kp = paddedDepth(kc). */
function packA(mc: number, kc: number, A: GemmArray, off: number, rs: number, cs: number): void {
  const need = Math.ceil(mc / MR) * MR * paddedDepth(kc);
  if (aPack.length < need) aPack = new Float64Array(need);
  packPanels(mc, kc, A, off, rs, cs, MR, aPack);
}

/** Packs a kc x nc block of B into NR-column panels: bPack[panel*kp*NR + p*NR + c], kp = paddedDepth(kc). */
function packB(kc: number, nc: number, B: GemmArray, off: number, rs: number, cs: number): void {
  const need = Math.ceil(nc / NR) * NR * paddedDepth(kc);
  if (bPack.length < need) bPack = new Float64Array(need);
  packPanels(nc, kc, B, off, cs, rs, NR, bPack);
}

/**
 * The packing of both operands: `count` vectors of depth kc (rows of A, or columns of B), vector v's element p
 * at src[off + v*step + p*depthStep], go into panels of `width` vectors, dst[panel*kp*width + p*width + i];
 * the last panel and the depth (to kp = paddedDepth(kc)) are zero-padded.
 */
function packPanels(
  count: number, kc: number, src: GemmArray, off: number, step: number, depthStep: number, width: number, dst: Float64Array,
): void {
  const kp = paddedDepth(kc);
  let d = 0;
  for (let v0 = 0; v0 < count; v0 += width) {
    const n = Math.min(width, count - v0);
    for (let p = 0; p < kc; p++) {
      let s = off + v0 * step + p * depthStep;
      for (let i = 0; i < n; i++) {
        dst[d + i] = src[s];
        s += step;
      }
      for (let i = n; i < width; i++) dst[d + i] = 0;
      d += width;
    }
    if (kp > kc) {
      for (let i = 0; i < width; i++) dst[d + i] = 0;
      d += width;
    }
  }
}

/** Multiplies the packed mc x kc A block by the packed kc x nc B block into C (row stride ldc). */
function multiplyBlock(mc: number, nc: number, kc: number, C: GemmArray, cOff: number, ldc: number, addToC: boolean): void {
  const kp = paddedDepth(kc);
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bBase = (j0 / NR) * kp * NR;
    const cols = Math.min(NR, nc - j0);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      microKernel(kp, aPack, (i0 / MR) * kp * MR, bPack, bBase);
      storeTile(Math.min(MR, mc - i0), cols, C, cOff + i0 * ldc + j0, ldc, addToC);
    }
  }
}

/** tile = A panel (kp x MR, packed) times B panel (kp x NR, packed); kp is even. */
function microKernel(kp: number, a: Float64Array, ai: number, b: Float64Array, bi: number): void {
  tile.fill(0);
  let a0 = 0, a1 = 0;
  for (let p = 0; p < kp; p += 2) {
    // The masks tell V8 the indices are small, so `ia + 31` needs no int32 overflow check.
    const ia = ai & 0x3fffffff;
    const ib = bi & 0x3fffffff;
    const b00 = b[ib], b01 = b[ib + 1], b02 = b[ib + 2], b03 = b[ib + 3];
    const b04 = b[ib + 4], b05 = b[ib + 5], b06 = b[ib + 6], b07 = b[ib + 7];
    const b10 = b[ib + 8], b11 = b[ib + 9], b12 = b[ib + 10], b13 = b[ib + 11];
    const b14 = b[ib + 12], b15 = b[ib + 13], b16 = b[ib + 14], b17 = b[ib + 15];
    a0 = a[ia]; a1 = a[ia + 16];
    tile[0] += a0 * b00 + a1 * b10; tile[1] += a0 * b01 + a1 * b11; tile[2] += a0 * b02 + a1 * b12; tile[3] += a0 * b03 + a1 * b13; tile[4] += a0 * b04 + a1 * b14; tile[5] += a0 * b05 + a1 * b15; tile[6] += a0 * b06 + a1 * b16; tile[7] += a0 * b07 + a1 * b17;
    a0 = a[ia + 1]; a1 = a[ia + 17];
    tile[8] += a0 * b00 + a1 * b10; tile[9] += a0 * b01 + a1 * b11; tile[10] += a0 * b02 + a1 * b12; tile[11] += a0 * b03 + a1 * b13; tile[12] += a0 * b04 + a1 * b14; tile[13] += a0 * b05 + a1 * b15; tile[14] += a0 * b06 + a1 * b16; tile[15] += a0 * b07 + a1 * b17;
    a0 = a[ia + 2]; a1 = a[ia + 18];
    tile[16] += a0 * b00 + a1 * b10; tile[17] += a0 * b01 + a1 * b11; tile[18] += a0 * b02 + a1 * b12; tile[19] += a0 * b03 + a1 * b13; tile[20] += a0 * b04 + a1 * b14; tile[21] += a0 * b05 + a1 * b15; tile[22] += a0 * b06 + a1 * b16; tile[23] += a0 * b07 + a1 * b17;
    a0 = a[ia + 3]; a1 = a[ia + 19];
    tile[24] += a0 * b00 + a1 * b10; tile[25] += a0 * b01 + a1 * b11; tile[26] += a0 * b02 + a1 * b12; tile[27] += a0 * b03 + a1 * b13; tile[28] += a0 * b04 + a1 * b14; tile[29] += a0 * b05 + a1 * b15; tile[30] += a0 * b06 + a1 * b16; tile[31] += a0 * b07 + a1 * b17;
    a0 = a[ia + 4]; a1 = a[ia + 20];
    tile[32] += a0 * b00 + a1 * b10; tile[33] += a0 * b01 + a1 * b11; tile[34] += a0 * b02 + a1 * b12; tile[35] += a0 * b03 + a1 * b13; tile[36] += a0 * b04 + a1 * b14; tile[37] += a0 * b05 + a1 * b15; tile[38] += a0 * b06 + a1 * b16; tile[39] += a0 * b07 + a1 * b17;
    a0 = a[ia + 5]; a1 = a[ia + 21];
    tile[40] += a0 * b00 + a1 * b10; tile[41] += a0 * b01 + a1 * b11; tile[42] += a0 * b02 + a1 * b12; tile[43] += a0 * b03 + a1 * b13; tile[44] += a0 * b04 + a1 * b14; tile[45] += a0 * b05 + a1 * b15; tile[46] += a0 * b06 + a1 * b16; tile[47] += a0 * b07 + a1 * b17;
    a0 = a[ia + 6]; a1 = a[ia + 22];
    tile[48] += a0 * b00 + a1 * b10; tile[49] += a0 * b01 + a1 * b11; tile[50] += a0 * b02 + a1 * b12; tile[51] += a0 * b03 + a1 * b13; tile[52] += a0 * b04 + a1 * b14; tile[53] += a0 * b05 + a1 * b15; tile[54] += a0 * b06 + a1 * b16; tile[55] += a0 * b07 + a1 * b17;
    a0 = a[ia + 7]; a1 = a[ia + 23];
    tile[56] += a0 * b00 + a1 * b10; tile[57] += a0 * b01 + a1 * b11; tile[58] += a0 * b02 + a1 * b12; tile[59] += a0 * b03 + a1 * b13; tile[60] += a0 * b04 + a1 * b14; tile[61] += a0 * b05 + a1 * b15; tile[62] += a0 * b06 + a1 * b16; tile[63] += a0 * b07 + a1 * b17;
    a0 = a[ia + 8]; a1 = a[ia + 24];
    tile[64] += a0 * b00 + a1 * b10; tile[65] += a0 * b01 + a1 * b11; tile[66] += a0 * b02 + a1 * b12; tile[67] += a0 * b03 + a1 * b13; tile[68] += a0 * b04 + a1 * b14; tile[69] += a0 * b05 + a1 * b15; tile[70] += a0 * b06 + a1 * b16; tile[71] += a0 * b07 + a1 * b17;
    a0 = a[ia + 9]; a1 = a[ia + 25];
    tile[72] += a0 * b00 + a1 * b10; tile[73] += a0 * b01 + a1 * b11; tile[74] += a0 * b02 + a1 * b12; tile[75] += a0 * b03 + a1 * b13; tile[76] += a0 * b04 + a1 * b14; tile[77] += a0 * b05 + a1 * b15; tile[78] += a0 * b06 + a1 * b16; tile[79] += a0 * b07 + a1 * b17;
    a0 = a[ia + 10]; a1 = a[ia + 26];
    tile[80] += a0 * b00 + a1 * b10; tile[81] += a0 * b01 + a1 * b11; tile[82] += a0 * b02 + a1 * b12; tile[83] += a0 * b03 + a1 * b13; tile[84] += a0 * b04 + a1 * b14; tile[85] += a0 * b05 + a1 * b15; tile[86] += a0 * b06 + a1 * b16; tile[87] += a0 * b07 + a1 * b17;
    a0 = a[ia + 11]; a1 = a[ia + 27];
    tile[88] += a0 * b00 + a1 * b10; tile[89] += a0 * b01 + a1 * b11; tile[90] += a0 * b02 + a1 * b12; tile[91] += a0 * b03 + a1 * b13; tile[92] += a0 * b04 + a1 * b14; tile[93] += a0 * b05 + a1 * b15; tile[94] += a0 * b06 + a1 * b16; tile[95] += a0 * b07 + a1 * b17;
    a0 = a[ia + 12]; a1 = a[ia + 28];
    tile[96] += a0 * b00 + a1 * b10; tile[97] += a0 * b01 + a1 * b11; tile[98] += a0 * b02 + a1 * b12; tile[99] += a0 * b03 + a1 * b13; tile[100] += a0 * b04 + a1 * b14; tile[101] += a0 * b05 + a1 * b15; tile[102] += a0 * b06 + a1 * b16; tile[103] += a0 * b07 + a1 * b17;
    a0 = a[ia + 13]; a1 = a[ia + 29];
    tile[104] += a0 * b00 + a1 * b10; tile[105] += a0 * b01 + a1 * b11; tile[106] += a0 * b02 + a1 * b12; tile[107] += a0 * b03 + a1 * b13; tile[108] += a0 * b04 + a1 * b14; tile[109] += a0 * b05 + a1 * b15; tile[110] += a0 * b06 + a1 * b16; tile[111] += a0 * b07 + a1 * b17;
    a0 = a[ia + 14]; a1 = a[ia + 30];
    tile[112] += a0 * b00 + a1 * b10; tile[113] += a0 * b01 + a1 * b11; tile[114] += a0 * b02 + a1 * b12; tile[115] += a0 * b03 + a1 * b13; tile[116] += a0 * b04 + a1 * b14; tile[117] += a0 * b05 + a1 * b15; tile[118] += a0 * b06 + a1 * b16; tile[119] += a0 * b07 + a1 * b17;
    a0 = a[ia + 15]; a1 = a[ia + 31];
    tile[120] += a0 * b00 + a1 * b10; tile[121] += a0 * b01 + a1 * b11; tile[122] += a0 * b02 + a1 * b12; tile[123] += a0 * b03 + a1 * b13; tile[124] += a0 * b04 + a1 * b14; tile[125] += a0 * b05 + a1 * b15; tile[126] += a0 * b06 + a1 * b16; tile[127] += a0 * b07 + a1 * b17;
    ai += 2 * MR;
    bi += 2 * NR;
  }
}

/** Writes (or adds) the valid rows x cols corner of the tile into C. */
function storeTile(rows: number, cols: number, C: GemmArray, cOff: number, ldc: number, add: boolean): void {
  for (let r = 0; r < rows; r++) {
    const row = cOff + r * ldc;
    const tr = r * NR;
    if (add) for (let c = 0; c < cols; c++) C[row + c] += tile[tr + c];
    else for (let c = 0; c < cols; c++) C[row + c] = tile[tr + c];
  }
}
