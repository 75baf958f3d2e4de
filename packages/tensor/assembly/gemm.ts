// Single-precision matrix multiply for the WebAssembly backend (AssemblyScript, v128 SIMD).
//
// Same contract and scheme as src/kernels/js/gemm.ts (Goto/BLIS): B is cut into KC x NC blocks packed into
// NR-wide column panels, A into MC x KC blocks packed into MR-tall row panels, and a register-blocked
// micro-kernel multiplies one A panel by one B panel into an MR x NR tile of C. Packing absorbs the strides
// and zero-pads ragged edges, so the micro-kernel never branches.
//
// Tile shape 4 x 8 (8 f32x4 accumulators), one k step per loop iteration. Why not bigger: V8 (TurboFan, x64)
// has 15 allocatable vector registers and schedules every load of a loop body ahead of the arithmetic, so
// all of an iteration's B vectors and A broadcasts are live at once next to the accumulators. 4 x 8 needs
// 8 + 2 + 4 = 14 and runs without a spill; 6 x 8 (12 + 2 + 6), 4 x 12, 3 x 16, or 4 x 8 with two k steps
// per iteration spill accumulators to the stack every iteration and ran at ~0.55-0.7x the speed (measured:
// sgemm 512 one thread, 6x8 ~25 GFLOP/s, 4x8 ~44). 8 accumulators are enough to keep the two add pipes busy.
//
// Accumulation is in float32 in a fixed order (k ascending within each KC block, each block's sum added to C
// in block order), so results do not depend on how the caller splits M or N.
//
// Memory is laid out by the caller (src/kernels/wasm/instance.ts): all pointers are byte addresses in this
// module's memory, all strides and sizes are in elements.

const MR: i32 = 4;
const NR: i32 = 8;
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
      // Column-major A (a transposed operand): each k step of the panel is one contiguous vector.
      for (; p < kc; p++) {
        v128.store(dst, v128.load(panel + (<usize>p) * csB));
        dst += MR << 2;
      }
    } else if (rows == MR && cs == 1) {
      // Row-major A: 4 k steps of the 4 rows are a 4 x 4 block to transpose.
      for (; p + 4 <= kc; p += 4) {
        const s = panel + (<usize>p << 2);
        storeTransposed4(v128.load(s), v128.load(s + rsB), v128.load(s + 2 * rsB), v128.load(s + 3 * rsB), dst, MR << 2);
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
      // Row-major B: each k step of the panel is two contiguous vectors.
      for (; p < kc; p++) {
        const s = panel + (<usize>p) * rsB;
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        dst += NR << 2;
      }
    } else if (cols == NR && rs == 1) {
      // Column-major B (a transposed operand): 4 k steps of 4 columns are a 4 x 4 block to transpose.
      for (; p + 4 <= kc; p += 4) {
        const s = panel + (<usize>p << 2);
        storeTransposed4(v128.load(s), v128.load(s + csB), v128.load(s + 2 * csB), v128.load(s + 3 * csB), dst, NR << 2);
        const s4 = s + 4 * csB;
        storeTransposed4(v128.load(s4), v128.load(s4 + csB), v128.load(s4 + 2 * csB), v128.load(s4 + 3 * csB), dst + 16, NR << 2);
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

/** The 4 x 8 tile at c (row stride ldc bytes) (+)= A panel (kc x 4) times B panel (kc x 8). */
// @ts-ignore: decorator
@inline
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += MR << 2;
    pb += NR << 2;
  }
  if (add) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16)); c += ldc;
    c10 = f32x4.add(c10, v128.load(c)); c11 = f32x4.add(c11, v128.load(c, 16)); c += ldc;
    c20 = f32x4.add(c20, v128.load(c)); c21 = f32x4.add(c21, v128.load(c, 16)); c += ldc;
    c30 = f32x4.add(c30, v128.load(c)); c31 = f32x4.add(c31, v128.load(c, 16));
    c -= 3 * ldc;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}
