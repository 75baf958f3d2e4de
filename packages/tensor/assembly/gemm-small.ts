// Matrix products with few rows (M <= 8: a linear layer at batch size 2), without packing.
//
// Packing B pays off when its panels are reused by many row panels of A; with a handful of rows it costs
// more than the product itself (a 3136 x 128 weight is packed to be used by 2 rows). These kernels stream B
// once per 4 rows of A instead, in the two layouts a linear layer produces:
// - sgemmAxpy: B rows contiguous (bcs = 1): C[i, j..j+8] += A[i, k] * B[k, j..j+8],
// - sgemmDot: B columns and A rows contiguous (brs = acs = 1): C[i, j] = dot(A[i, :], B[:, j]), 4 lanes of k.
// Both sum k in a fixed order. Pointers are byte addresses, strides in elements; C has row stride ldc.

/** C (+)= A B for M rows, B rows contiguous (bcs = 1). */
export function sgemmAxpy(
  M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, c: usize, ldc: i32, accumulate: i32,
): void {
  const aStep = <usize>acs << 2;
  const bStep = <usize>brs << 2;
  for (let i0 = 0; i0 < M; i0 += 4) {
    const rows = min(4, M - i0);
    // Rows past M repeat row i0 (computed, never stored), so the loops below need no row branches.
    const a0 = a + (<usize>(i0 * ars) << 2);
    const a1 = rows > 1 ? a0 + (<usize>ars << 2) : a0;
    const a2 = rows > 2 ? a0 + (<usize>(2 * ars) << 2) : a0;
    const a3 = rows > 3 ? a0 + (<usize>(3 * ars) << 2) : a0;
    const c0 = c + (<usize>(i0 * ldc) << 2);
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      let pb = b + (<usize>j << 2);
      let ka: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let x = v128.load32_splat(a0 + ka);
        s00 = f32x4.add(s00, f32x4.mul(x, b0)); s01 = f32x4.add(s01, f32x4.mul(x, b1));
        x = v128.load32_splat(a1 + ka);
        s10 = f32x4.add(s10, f32x4.mul(x, b0)); s11 = f32x4.add(s11, f32x4.mul(x, b1));
        x = v128.load32_splat(a2 + ka);
        s20 = f32x4.add(s20, f32x4.mul(x, b0)); s21 = f32x4.add(s21, f32x4.mul(x, b1));
        x = v128.load32_splat(a3 + ka);
        s30 = f32x4.add(s30, f32x4.mul(x, b0)); s31 = f32x4.add(s31, f32x4.mul(x, b1));
        pb += bStep;
        ka += aStep;
      }
      const cj = c0 + (<usize>j << 2);
      store8(cj, s00, s01, accumulate);
      if (rows > 1) store8(cj + (<usize>ldc << 2), s10, s11, accumulate);
      if (rows > 2) store8(cj + (<usize>(2 * ldc) << 2), s20, s21, accumulate);
      if (rows > 3) store8(cj + (<usize>(3 * ldc) << 2), s30, s31, accumulate);
    }
    // Columns past the last multiple of 8: one at a time.
    for (; j < N; j++) {
      let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
      let pb = b + (<usize>j << 2);
      let ka: usize = 0;
      for (let k = 0; k < K; k++) {
        const v = load<f32>(pb);
        t0 += load<f32>(a0 + ka) * v;
        t1 += load<f32>(a1 + ka) * v;
        t2 += load<f32>(a2 + ka) * v;
        t3 += load<f32>(a3 + ka) * v;
        pb += bStep;
        ka += aStep;
      }
      const cj = c0 + (<usize>j << 2);
      store1(cj, t0, accumulate);
      if (rows > 1) store1(cj + (<usize>ldc << 2), t1, accumulate);
      if (rows > 2) store1(cj + (<usize>(2 * ldc) << 2), t2, accumulate);
      if (rows > 3) store1(cj + (<usize>(3 * ldc) << 2), t3, accumulate);
    }
  }
}

/** C (+)= A B for M rows, A rows and B columns contiguous (acs = brs = 1). */
export function sgemmDot(
  M: i32, N: i32, K: i32, a: usize, ars: i32, b: usize, bcs: i32, c: usize, ldc: i32, accumulate: i32,
): void {
  const K4 = K & ~3;
  for (let i0 = 0; i0 < M; i0 += 4) {
    const rows = min(4, M - i0);
    // The row setup of sgemmAxpy again: four pointers stay locals (an AssemblyScript helper returns one value).
    const a0 = a + (<usize>(i0 * ars) << 2);
    const a1 = rows > 1 ? a0 + (<usize>ars << 2) : a0;
    const a2 = rows > 2 ? a0 + (<usize>(2 * ars) << 2) : a0;
    const a3 = rows > 3 ? a0 + (<usize>(3 * ars) << 2) : a0;
    const c0 = c + (<usize>(i0 * ldc) << 2);
    for (let j = 0; j < N; j += 2) {
      const two = j + 1 < N;
      const b0 = b + (<usize>(j * bcs) << 2);
      const b1 = two ? b0 + (<usize>bcs << 2) : b0;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let k: usize = 0; k < <usize>(K4 << 2); k += 16) {
        const v0 = v128.load(b0 + k);
        const v1 = v128.load(b1 + k);
        let x = v128.load(a0 + k);
        s00 = f32x4.add(s00, f32x4.mul(x, v0)); s01 = f32x4.add(s01, f32x4.mul(x, v1));
        x = v128.load(a1 + k);
        s10 = f32x4.add(s10, f32x4.mul(x, v0)); s11 = f32x4.add(s11, f32x4.mul(x, v1));
        x = v128.load(a2 + k);
        s20 = f32x4.add(s20, f32x4.mul(x, v0)); s21 = f32x4.add(s21, f32x4.mul(x, v1));
        x = v128.load(a3 + k);
        s30 = f32x4.add(s30, f32x4.mul(x, v0)); s31 = f32x4.add(s31, f32x4.mul(x, v1));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
      let t20 = hsum(s20), t21 = hsum(s21), t30 = hsum(s30), t31 = hsum(s31);
      for (let k = K4; k < K; k++) {
        const o = <usize>k << 2;
        const v0 = load<f32>(b0 + o);
        const v1 = load<f32>(b1 + o);
        const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o), x2 = load<f32>(a2 + o), x3 = load<f32>(a3 + o);
        t00 += x0 * v0; t01 += x0 * v1; t10 += x1 * v0; t11 += x1 * v1;
        t20 += x2 * v0; t21 += x2 * v1; t30 += x3 * v0; t31 += x3 * v1;
      }
      const cj = c0 + (<usize>j << 2);
      const ld = <usize>ldc << 2;
      store1(cj, t00, accumulate);
      if (two) store1(cj + 4, t01, accumulate);
      if (rows > 1) { store1(cj + ld, t10, accumulate); if (two) store1(cj + ld + 4, t11, accumulate); }
      if (rows > 2) { store1(cj + 2 * ld, t20, accumulate); if (two) store1(cj + 2 * ld + 4, t21, accumulate); }
      if (rows > 3) { store1(cj + 3 * ld, t30, accumulate); if (two) store1(cj + 3 * ld + 4, t31, accumulate); }
    }
  }
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline
function store8(p: usize, lo: v128, hi: v128, accumulate: i32): void {
  if (accumulate) {
    lo = f32x4.add(lo, v128.load(p));
    hi = f32x4.add(hi, v128.load(p, 16));
  }
  v128.store(p, lo);
  v128.store(p, hi, 16);
}

// @ts-ignore: decorator
@inline
function store1(p: usize, v: f32, accumulate: i32): void {
  store<f32>(p, accumulate ? load<f32>(p) + v : v);
}
