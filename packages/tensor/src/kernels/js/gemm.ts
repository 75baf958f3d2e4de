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
// Why the tile lives in a module-level Float64Array rather than in 64 local variables: V8 (TurboFan) hoists
// all products of a loop body ahead of the additions, so local accumulators spill to the stack anyway, with
// more memory traffic than a load-add-store on the tile. Referencing the module constant directly lets V8
// drop the bounds checks on the constant tile indices. Measured: ~4.8 GFLOP/s with locals (best shape 4x8),
// ~7 with this 8x8 memory tile, for sgemm 512 on one core.

export type GemmArray = Float32Array | Float64Array;

const MR = 8;
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

/** Packs an mc x kc block of A into MR-row panels: aPack[panel*kc*MR + p*MR + r]. */
function packA(mc: number, kc: number, A: GemmArray, off: number, rs: number, cs: number): void {
  const need = Math.ceil(mc / MR) * MR * kc;
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
  const need = Math.ceil(nc / NR) * NR * kc;
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
      microKernel(kc, aPack, (i0 / MR) * kc * MR, bPack, bBase);
      storeTile(Math.min(MR, mc - i0), cols, C, cOff + i0 * ldc + j0, ldc, addToC);
    }
  }
}

/** tile = A panel (kc x MR, packed) times B panel (kc x NR, packed). */
function microKernel(kc: number, a: Float64Array, ai: number, b: Float64Array, bi: number): void {
  tile.fill(0);
  let av = 0;
  for (let p = 0; p < kc; p++) {
    // The masks tell V8 the indices are small, so `ia + 7` needs no int32 overflow check.
    const ia = ai & 0x3fffffff;
    const ib = bi & 0x3fffffff;
    const b0 = b[ib], b1 = b[ib + 1], b2 = b[ib + 2], b3 = b[ib + 3];
    const b4 = b[ib + 4], b5 = b[ib + 5], b6 = b[ib + 6], b7 = b[ib + 7];
    av = a[ia];
    tile[0] += av * b0; tile[1] += av * b1; tile[2] += av * b2; tile[3] += av * b3; tile[4] += av * b4; tile[5] += av * b5; tile[6] += av * b6; tile[7] += av * b7;
    av = a[ia + 1];
    tile[8] += av * b0; tile[9] += av * b1; tile[10] += av * b2; tile[11] += av * b3; tile[12] += av * b4; tile[13] += av * b5; tile[14] += av * b6; tile[15] += av * b7;
    av = a[ia + 2];
    tile[16] += av * b0; tile[17] += av * b1; tile[18] += av * b2; tile[19] += av * b3; tile[20] += av * b4; tile[21] += av * b5; tile[22] += av * b6; tile[23] += av * b7;
    av = a[ia + 3];
    tile[24] += av * b0; tile[25] += av * b1; tile[26] += av * b2; tile[27] += av * b3; tile[28] += av * b4; tile[29] += av * b5; tile[30] += av * b6; tile[31] += av * b7;
    av = a[ia + 4];
    tile[32] += av * b0; tile[33] += av * b1; tile[34] += av * b2; tile[35] += av * b3; tile[36] += av * b4; tile[37] += av * b5; tile[38] += av * b6; tile[39] += av * b7;
    av = a[ia + 5];
    tile[40] += av * b0; tile[41] += av * b1; tile[42] += av * b2; tile[43] += av * b3; tile[44] += av * b4; tile[45] += av * b5; tile[46] += av * b6; tile[47] += av * b7;
    av = a[ia + 6];
    tile[48] += av * b0; tile[49] += av * b1; tile[50] += av * b2; tile[51] += av * b3; tile[52] += av * b4; tile[53] += av * b5; tile[54] += av * b6; tile[55] += av * b7;
    av = a[ia + 7];
    tile[56] += av * b0; tile[57] += av * b1; tile[58] += av * b2; tile[59] += av * b3; tile[60] += av * b4; tile[61] += av * b5; tile[62] += av * b6; tile[63] += av * b7;
    ai += MR;
    bi += NR;
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
