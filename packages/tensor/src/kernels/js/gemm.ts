// General matrix multiply over typed arrays: C (+)= A * B with arbitrary strides on A and B.
//
// Layout of the fast path (the classic Goto/BLIS scheme):
// - B is cut into KC x NC blocks and packed into NR-wide column panels (kc rows of NR values each),
// - A is cut into MC x KC blocks and packed into MR-tall row panels (kc columns of MR values each),
// - a register-blocked micro-kernel multiplies one A panel by one B panel into an MR x NR tile held in locals.
// Packing absorbs any strides (transposed operands cost nothing extra) and zero-pads ragged edges, so the
// micro-kernel never branches. Packs are always Float64Array: the micro-kernel sees one array type only
// (monomorphic for V8) and accumulates in double precision; only packing and the tile write-back touch the
// caller's Float32Array/Float64Array.

export type GemmArray = Float32Array | Float64Array;

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 64;
const NC = 1024;

// Packing buffers and the tile are reused across calls and grown when a larger block is needed.
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

/** Packs an mc x kc block of A into MR-row panels: aPack[panel*kc*MR + p*MR + r]. */
function packA(mc: number, kc: number, A: GemmArray, off: number, rs: number, cs: number): void {
  const panels = Math.ceil(mc / MR);
  const need = panels * MR * kc;
  if (aPack.length < need) aPack = new Float64Array(need);
  const dst = aPack;
  let d = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = Math.min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      let s = off + i0 * rs + p * cs;
      for (let r = 0; r < rows; r++) {
        dst[d + r] = A[s];
        s += rs;
      }
      for (let r = rows; r < MR; r++) dst[d + r] = 0;
      d += MR;
    }
  }
}

/** Packs a kc x nc block of B into NR-column panels: bPack[panel*kc*NR + p*NR + c]. */
function packB(kc: number, nc: number, B: GemmArray, off: number, rs: number, cs: number): void {
  const panels = Math.ceil(nc / NR);
  const need = panels * NR * kc;
  if (bPack.length < need) bPack = new Float64Array(need);
  const dst = bPack;
  let d = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = Math.min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      let s = off + p * rs + j0 * cs;
      for (let c = 0; c < cols; c++) {
        dst[d + c] = B[s];
        s += cs;
      }
      for (let c = cols; c < NR; c++) dst[d + c] = 0;
      d += NR;
    }
  }
}

/** Multiplies the packed mc x kc A block by the packed kc x nc B block into C (row stride ldc). */
function multiplyBlock(mc: number, nc: number, kc: number, C: GemmArray, cOff: number, ldc: number, addToC: boolean): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bBase = (j0 / NR) * kc * NR;
    const cols = Math.min(NR, nc - j0);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const aBase = (i0 / MR) * kc * MR;
      microKernel(kc, aPack, aBase, bPack, bBase, tile);
      storeTile(tile, Math.min(MR, mc - i0), cols, C, cOff + i0 * ldc + j0, ldc, addToC);
    }
  }
}

/** tile = A panel (kc x MR, packed) times B panel (kc x NR, packed); 32 accumulators live in locals. */
function microKernel(kc: number, a: Float64Array, ai: number, b: Float64Array, bi: number, out: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = a[ai], a1 = a[ai + 1], a2 = a[ai + 2], a3 = a[ai + 3];
    let bv = b[bi];
    c00 += a0 * bv; c10 += a1 * bv; c20 += a2 * bv; c30 += a3 * bv;
    bv = b[bi + 1];
    c01 += a0 * bv; c11 += a1 * bv; c21 += a2 * bv; c31 += a3 * bv;
    bv = b[bi + 2];
    c02 += a0 * bv; c12 += a1 * bv; c22 += a2 * bv; c32 += a3 * bv;
    bv = b[bi + 3];
    c03 += a0 * bv; c13 += a1 * bv; c23 += a2 * bv; c33 += a3 * bv;
    bv = b[bi + 4];
    c04 += a0 * bv; c14 += a1 * bv; c24 += a2 * bv; c34 += a3 * bv;
    bv = b[bi + 5];
    c05 += a0 * bv; c15 += a1 * bv; c25 += a2 * bv; c35 += a3 * bv;
    bv = b[bi + 6];
    c06 += a0 * bv; c16 += a1 * bv; c26 += a2 * bv; c36 += a3 * bv;
    bv = b[bi + 7];
    c07 += a0 * bv; c17 += a1 * bv; c27 += a2 * bv; c37 += a3 * bv;
    ai += MR;
    bi += NR;
  }
  out[0] = c00; out[1] = c01; out[2] = c02; out[3] = c03; out[4] = c04; out[5] = c05; out[6] = c06; out[7] = c07;
  out[8] = c10; out[9] = c11; out[10] = c12; out[11] = c13; out[12] = c14; out[13] = c15; out[14] = c16; out[15] = c17;
  out[16] = c20; out[17] = c21; out[18] = c22; out[19] = c23; out[20] = c24; out[21] = c25; out[22] = c26; out[23] = c27;
  out[24] = c30; out[25] = c31; out[26] = c32; out[27] = c33; out[28] = c34; out[29] = c35; out[30] = c36; out[31] = c37;
}

/** Writes (or adds) the valid rows x cols corner of the tile into C. */
function storeTile(t: Float64Array, rows: number, cols: number, C: GemmArray, cOff: number, ldc: number, add: boolean): void {
  for (let r = 0; r < rows; r++) {
    const row = cOff + r * ldc;
    const tr = r * NR;
    if (add) for (let c = 0; c < cols; c++) C[row + c] += t[tr + c];
    else for (let c = 0; c < cols; c++) C[row + c] = t[tr + c];
  }
}
