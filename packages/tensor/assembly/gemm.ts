// Single-precision matrix multiply for the WebAssembly backend (AssemblyScript, v128 SIMD).
//
// Same contract and scheme as src/kernels/js/gemm.ts (Goto/BLIS): B is cut into KC x NC blocks packed into
// NR-wide column panels, A into MC x KC blocks packed into MR-tall row panels, and a register-blocked
// micro-kernel multiplies one A panel by one B panel into an MR x NR tile of C. Packing absorbs the strides
// and zero-pads ragged edges, so the micro-kernel never branches.
//
// Tile shape: 6 x 8 = 12 f32x4 accumulators + 2 B vectors + 1 broadcast A value = 15 of the 16 vector
// registers V8 allocates on x64. Accumulation is in float32 in a fixed order (k ascending within each KC
// block, blocks in order), so results do not depend on how the caller splits M or N.
//
// Memory is laid out by the caller (src/kernels/wasm/instance.ts): all pointers are byte addresses in this
// module's memory, all strides and sizes are in elements.

const MR: i32 = 6;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 72;
const NC: i32 = 2048;

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

/** Packs an mc x kc block of A into MR-row panels: panel-major, then k, then the MR rows. */
function packA(mc: i32, kc: i32, src: usize, rs: i32, cs: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const panel = src + (<usize>(i0 * rs) << 2);
    if (rows == MR) {
      for (let p = 0; p < kc; p++) {
        let s = panel + (<usize>(p * cs) << 2);
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, load<f32>(s));
          s += <usize>rs << 2;
          dst += 4;
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        let s = panel + (<usize>(p * cs) << 2);
        for (let r = 0; r < MR; r++) {
          let v: f32 = 0;
          if (r < rows) v = load<f32>(s);
          store<f32>(dst, v);
          s += <usize>rs << 2;
          dst += 4;
        }
      }
    }
  }
}

/** Packs a kc x nc block of B into NR-column panels: panel-major, then k, then the NR columns. */
function packB(kc: i32, nc: i32, src: usize, rs: i32, cs: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panel = src + (<usize>(j0 * cs) << 2);
    if (cols == NR && cs == 1) {
      // Row-major B: each k step of the panel is two contiguous vectors.
      for (let p = 0; p < kc; p++) {
        const s = panel + (<usize>(p * rs) << 2);
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        dst += NR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        let s = panel + (<usize>(p * rs) << 2);
        for (let c = 0; c < NR; c++) {
          let v: f32 = 0;
          if (c < cols) v = load<f32>(s);
          store<f32>(dst, v);
          s += <usize>cs << 2;
          dst += 4;
        }
      }
    }
  }
}

/** C block (row stride ldc) (+)= packed A block (mc x kc) times packed B block (kc x nc). */
function multiplyBlock(mc: i32, nc: i32, kc: i32, aPack: usize, bPack: usize, tile: usize, c: usize, ldc: i32, add: bool): void {
  const ldcBytes = <usize>ldc << 2;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const pb = bPack + (<usize>(j0 * kc) << 2);
    const cols = min(NR, nc - j0);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const pa = aPack + (<usize>(i0 * kc) << 2);
      const rows = min(MR, mc - i0);
      const ct = c + (<usize>i0) * ldcBytes + (<usize>j0 << 2);
      if (rows == MR && cols == NR) {
        microKernel(kc, pa, pb, ct, ldcBytes, add);
      } else {
        // Ragged edge: compute the full tile into scratch, then copy the valid corner.
        microKernel(kc, pa, pb, tile, NR << 2, false);
        for (let r = 0; r < rows; r++) {
          const dst = ct + (<usize>r) * ldcBytes;
          const src = tile + (<usize>(r * NR) << 2);
          for (let q = 0; q < cols; q++) {
            const d = dst + (<usize>q << 2);
            const v = load<f32>(src + (<usize>q << 2));
            store<f32>(d, add ? load<f32>(d) + v : v);
          }
        }
      }
    }
  }
}

/** The 6 x 8 tile at c (row stride ldc bytes) (+)= A panel (kc x 6) times B panel (kc x 8). */
// @ts-ignore: decorator
@inline
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let b0: v128, b1: v128, a: v128;
  let p = 0;
  for (; p + 1 < kc; p += 2) {
    b0 = v128.load(pb, 0);
    b1 = v128.load(pb, 16);
    a = v128.load32_splat(pa, 0);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 16);
    c40 = f32x4.add(c40, f32x4.mul(a, b0)); c41 = f32x4.add(c41, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 20);
    c50 = f32x4.add(c50, f32x4.mul(a, b0)); c51 = f32x4.add(c51, f32x4.mul(a, b1));
    b0 = v128.load(pb, 32);
    b1 = v128.load(pb, 48);
    a = v128.load32_splat(pa, 24);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 28);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 32);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 36);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 40);
    c40 = f32x4.add(c40, f32x4.mul(a, b0)); c41 = f32x4.add(c41, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 44);
    c50 = f32x4.add(c50, f32x4.mul(a, b0)); c51 = f32x4.add(c51, f32x4.mul(a, b1));
    pa += 2 * (MR << 2);
    pb += 2 * (NR << 2);
  }
  // Odd kc: one more step, a copy of the loop's first half (deliberate: the 12 accumulators must stay locals,
  // i.e. registers, which no shared helper could update; the same goes for the load and store rows below).
  if (p < kc) {
    b0 = v128.load(pb, 0);
    b1 = v128.load(pb, 16);
    a = v128.load32_splat(pa, 0);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 16);
    c40 = f32x4.add(c40, f32x4.mul(a, b0)); c41 = f32x4.add(c41, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 20);
    c50 = f32x4.add(c50, f32x4.mul(a, b0)); c51 = f32x4.add(c51, f32x4.mul(a, b1));
    pa += MR << 2;
    pb += NR << 2;
  }
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16)); c += ldc;
    c10 = f32x4.add(c10, v128.load(c)); c11 = f32x4.add(c11, v128.load(c, 16)); c += ldc;
    c20 = f32x4.add(c20, v128.load(c)); c21 = f32x4.add(c21, v128.load(c, 16)); c += ldc;
    c30 = f32x4.add(c30, v128.load(c)); c31 = f32x4.add(c31, v128.load(c, 16)); c += ldc;
    c40 = f32x4.add(c40, v128.load(c)); c41 = f32x4.add(c41, v128.load(c, 16)); c += ldc;
    c50 = f32x4.add(c50, v128.load(c)); c51 = f32x4.add(c51, v128.load(c, 16));
    c -= 5 * ldc;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
  v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
  v128.store(c, c50); v128.store(c, c51, 16);
}
