// Single-precision matrix multiply for the WebAssembly backend (AssemblyScript, v128 SIMD).
//
// Same contract and scheme as src/kernels/js/gemm.ts (Goto/BLIS): B is cut into KC x NC blocks packed into
// NR-wide column panels, A into MC x KC blocks packed into MR-tall row panels, and a register-blocked
// micro-kernel multiplies one A panel by one B panel into an MR x NR tile of C. Packing absorbs the strides
// and zero-pads ragged edges, so the micro-kernel never branches.
//
// Tile shape 2 x 16 (8 f32x4 accumulators), one k step per loop iteration. Why not bigger: V8 (TurboFan, x64)
// has 15 allocatable vector registers and schedules every load of a loop body ahead of the arithmetic, so
// all of an iteration's B vectors and A broadcasts are live at once next to the accumulators. 2 x 16 needs
// 8 + 4 + 2 = 14 and runs without a spill; 6 x 8 (12 + 2 + 6), 4 x 12, 3 x 16, or any tile with two k steps
// per iteration spill accumulators to the stack every iteration and ran at ~0.55-0.7x the speed (measured:
// sgemm 512 one thread, 6x8 ~25 GFLOP/s). Why 2 x 16 rather than 4 x 8 (same registers, same arithmetic):
// a broadcast load (v128.load32_splat) appears to take a slot of the vector pipes that the multiplies and
// adds need, a plain vector load does not; 2 x 16 has 2 broadcasts per 16 multiply/add instructions, 4 x 8
// has 4 (measured, best of 21 alternating rounds: sgemm 512 47-49 vs 43-45 GFLOP/s). 8 accumulators are
// enough to keep the two add pipes busy. A last panel of at most 4 columns (N = 98 or 196: the Winograd
// products and convolutions of a 14x14 map) takes edgeKernel, 8 rows x 4 columns, instead of full tiles of
// which it would use 1-4 columns in 16 (measured alone: those products 4.7-8% faster).
//
// Accumulation is in float32 in a fixed order (k ascending within each KC block, each block's sum added to C
// in block order), so results do not depend on how the caller splits M or N.
//
// Memory is laid out by the caller (src/kernels/wasm/instance.ts): all pointers are byte addresses in this
// module's memory, all strides and sizes are in elements.

const MR: i32 = 2;
const NR: i32 = 16;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** First byte the caller may use (after this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes of scratch sgemm needs at `scratch`: the two packing buffers and one edge tile. */
export function scratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 2;
}

/**
 * C[i*ldc + j] (+)= sum_k A[i*ars + k*acs] * B[k*brs + j*bcs] for 0 <= i < M, 0 <= j < N (ldc >= N).
 * accumulate = 0 overwrites C. `scratch` holds scratchBytes() bytes.
 */
export function sgemm(
  M: i32, N: i32, K: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, accumulate: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) for (let i = 0; i < M; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, <usize>N << 2);
    return;
  }
  const aPack = scratch;
  const bPack = aPack + (<usize>(MC * KC) << 2);
  const tile = bPack + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const add = accumulate != 0 || pc > 0;
      packB(kc, nc, b + (<usize>(pc * brs + jc * bcs) << 2), brs, bcs, bPack);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(mc, kc, a + (<usize>(ic * ars + pc * acs) << 2), ars, acs, aPack);
        multiplyBlock(mc, nc, kc, aPack, bPack, tile, c + (<usize>(ic * ldc + jc) << 2), ldc, add);
      }
    }
  }
}

/**
 * Stores the transpose of the 4 x 4 block whose rows are r0..r3: row q of the result (lane q of each r) goes
 * to dst + q * step bytes.
 */
// @ts-ignore: decorator
@inline
function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/** Packs an mc x kc block of A into MR-row panels: panel-major, then k, then the MR rows. */
function packA(mc: i32, kc: i32, src: usize, rs: i32, cs: i32, dst: usize): void {
  const rsB = <usize>rs << 2;
  const csB = <usize>cs << 2;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const panel = src + (<usize>i0) * rsB;
    let p = 0;
    if (rows == MR && rs == 1) {
      // Column-major A (a transposed operand): each k step of the panel is one contiguous pair.
      for (; p < kc; p++) {
        store<u64>(dst, load<u64>(panel + (<usize>p) * csB));
        dst += MR << 2;
      }
    } else if (rows == MR && cs == 1) {
      // Row-major A: 4 k steps of the 2 rows, interleaved.
      for (; p + 4 <= kc; p += 4) {
        const s = panel + (<usize>p << 2);
        const r0 = v128.load(s), r1 = v128.load(s + rsB);
        v128.store(dst, i32x4.shuffle(r0, r1, 0, 4, 1, 5));
        v128.store(dst, i32x4.shuffle(r0, r1, 2, 6, 3, 7), 16);
        dst += 4 * (MR << 2);
      }
    }
    // The rest (odd strides, the last k steps, a ragged last panel zero-padded to MR rows): one value at a time.
    for (; p < kc; p++) {
      let s = panel + (<usize>p) * csB;
      for (let r = 0; r < MR; r++) {
        let v: f32 = 0;
        if (r < rows) v = load<f32>(s);
        store<f32>(dst, v);
        s += rsB;
        dst += 4;
      }
    }
  }
}

/** Packs a kc x nc block of B into NR-column panels: panel-major, then k, then the NR columns. */
function packB(kc: i32, nc: i32, src: usize, rs: i32, cs: i32, dst: usize): void {
  const rsB = <usize>rs << 2;
  const csB = <usize>cs << 2;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panel = src + (<usize>j0) * csB;
    let p = 0;
    if (cols == NR && cs == 1) {
      // Row-major B: each k step of the panel is four contiguous vectors.
      for (; p < kc; p++) {
        const s = panel + (<usize>p) * rsB;
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        v128.store(dst, v128.load(s, 32), 32);
        v128.store(dst, v128.load(s, 48), 48);
        dst += NR << 2;
      }
    } else if (cols == NR && rs == 1) {
      // Column-major B (a transposed operand): 4 k steps of 4 columns are a 4 x 4 block to transpose.
      for (; p + 4 <= kc; p += 4) {
        for (let q: usize = 0; q < 4; q++) {
          const s = panel + (<usize>p << 2) + 4 * q * csB;
          storeTransposed4(v128.load(s), v128.load(s + csB), v128.load(s + 2 * csB), v128.load(s + 3 * csB), dst + 16 * q, NR << 2);
        }
        dst += 4 * (NR << 2);
      }
    }
    // The rest (odd strides, the last k steps, a ragged last panel zero-padded to NR columns): one at a time.
    for (; p < kc; p++) {
      let s = panel + (<usize>p) * rsB;
      for (let q = 0; q < NR; q++) {
        let v: f32 = 0;
        if (q < cols) v = load<f32>(s);
        store<f32>(dst, v);
        s += csB;
        dst += 4;
      }
    }
  }
}

/** C block (row stride ldc) (+)= packed A block (mc x kc) times packed B block (kc x nc). */
function multiplyBlock(mc: i32, nc: i32, kc: i32, aPack: usize, bPack: usize, tile: usize, c: usize, ldc: i32, add: bool): void {
  const ldcBytes = <usize>ldc << 2;
  const panelBytes = <usize>(MR * kc) << 2;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const pb = bPack + (<usize>(j0 * kc) << 2);
    const cols = min(NR, nc - j0);
    let i0 = 0;
    if (cols <= EDGE_COLS) {
      // A last panel of at most 4 columns (N = 98, 196, ...): eight rows at a time by the narrow kernel, which
      // does a quarter of a full tile's arithmetic per row instead of all of it.
      for (; i0 + EDGE_ROWS <= mc; i0 += EDGE_ROWS) {
        edgeKernel(kc, aPack + <usize>i0 * (<usize>kc << 2), panelBytes, pb, tile);
        copyCorner(tile, EDGE_COLS, c + (<usize>i0) * ldcBytes + (<usize>j0 << 2), ldcBytes, EDGE_ROWS, cols, add);
      }
    }
    for (; i0 < mc; i0 += MR) {
      const pa = aPack + (<usize>(i0 * kc) << 2);
      const rows = min(MR, mc - i0);
      const ct = c + (<usize>i0) * ldcBytes + (<usize>j0 << 2);
      if (rows == MR && cols == NR) {
        microKernel(kc, pa, pb, ct, ldcBytes, add);
      } else {
        // Ragged edge: compute the full tile into scratch, then copy the valid corner.
        microKernel(kc, pa, pb, tile, NR << 2, false);
        copyCorner(tile, NR, ct, ldcBytes, rows, cols, add);
      }
    }
  }
}

/** C (row stride ldc bytes) (+)= the rows x cols corner of the tile at `tile` (row stride `width` floats). */
function copyCorner(tile: usize, width: i32, c: usize, ldc: usize, rows: i32, cols: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    const dst = c + (<usize>r) * ldc;
    const src = tile + (<usize>(r * width) << 2);
    for (let q = 0; q < cols; q++) {
      const d = dst + (<usize>q << 2);
      const v = load<f32>(src + (<usize>q << 2));
      store<f32>(d, add ? load<f32>(d) + v : v);
    }
  }
}

const EDGE_ROWS: i32 = 8;
const EDGE_COLS: i32 = 4;

/**
 * The 8 x 4 tile at `tile` (row stride 4 floats) = four A panels (8 rows, panelBytes apart) times the first four
 * columns of a B panel: one f32x4 of B and eight broadcasts per k step, eight accumulators. Each element is
 * summed as microKernel sums it (acc = acc + a*b in k order, from 0), so the bits are the same.
 */
// @ts-ignore: decorator
@inline
function edgeKernel(kc: i32, pa: usize, panelBytes: usize, pb: usize, tile: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  let p1 = pa + panelBytes;
  let p2 = p1 + panelBytes;
  let p3 = p2 + panelBytes;
  for (let p = 0; p < kc; p++) {
    const b = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa, 4), b));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(p1), b));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(p1, 4), b));
    c4 = f32x4.add(c4, f32x4.mul(v128.load32_splat(p2), b));
    c5 = f32x4.add(c5, f32x4.mul(v128.load32_splat(p2, 4), b));
    c6 = f32x4.add(c6, f32x4.mul(v128.load32_splat(p3), b));
    c7 = f32x4.add(c7, f32x4.mul(v128.load32_splat(p3, 4), b));
    pa += MR << 2;
    p1 += MR << 2;
    p2 += MR << 2;
    p3 += MR << 2;
    pb += NR << 2;
  }
  v128.store(tile, c0); v128.store(tile, c1, 16); v128.store(tile, c2, 32); v128.store(tile, c3, 48);
  v128.store(tile, c4, 64); v128.store(tile, c5, 80); v128.store(tile, c6, 96); v128.store(tile, c7, 112);
}

/** The 2 x 16 tile at c (row stride ldc bytes) (+)= A panel (kc x 2) times B panel (kc x 16). */
// @ts-ignore: decorator
@inline
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    c02 = f32x4.add(c02, f32x4.mul(a, b2)); c03 = f32x4.add(c03, f32x4.mul(a, b3));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    c12 = f32x4.add(c12, f32x4.mul(a, b2)); c13 = f32x4.add(c13, f32x4.mul(a, b3));
    pa += MR << 2;
    pb += NR << 2;
  }
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c02 = f32x4.add(c02, v128.load(c, 32)); c03 = f32x4.add(c03, v128.load(c, 48));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c12 = f32x4.add(c12, v128.load(c + ldc, 32)); c13 = f32x4.add(c13, v128.load(c + ldc, 48));
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c, c02, 32); v128.store(c, c03, 48);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16); v128.store(c + ldc, c12, 32); v128.store(c + ldc, c13, 48);
}
