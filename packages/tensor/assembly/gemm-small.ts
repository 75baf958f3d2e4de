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
    // One or two rows (a linear layer at batch size 1 or 2): 16 columns at a time, no rows computed in vain.
    let j = rows <= 2 ? axpyTwoRows(N, K, a0, a1, aStep, b, bStep, c0, c0 + (<usize>ldc << 2), rows == 2, accumulate) : 0;
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
    // One or two rows: 4 columns at a time, no rows computed in vain.
    let j = rows <= 2 ? dotTwoRows(N, K, a0, a1, b, bcs, c0, c0 + (<usize>ldc << 2), rows == 2, accumulate) : 0;
    for (; j < N; j += 2) {
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

/**
 * sgemmAxpy for the rows at a0 and a1 (a1 stored only if `two`), 16 columns at a time (each element summed
 * exactly as in sgemmAxpy's 8-column loop); returns the first column it left.
 */
function axpyTwoRows(
  N: i32, K: i32, a0: usize, a1: usize, aStep: usize, b: usize, bStep: usize, c0: usize, c1: usize, two: bool, accumulate: i32,
): i32 {
  let j = 0;
  for (; j + 16 <= N; j += 16) {
    let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
    let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
    let pb = b + (<usize>j << 2);
    let ka: usize = 0;
    for (let k = 0; k < K; k++) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      let x = v128.load32_splat(a0 + ka);
      s00 = f32x4.add(s00, f32x4.mul(x, b0)); s01 = f32x4.add(s01, f32x4.mul(x, b1));
      s02 = f32x4.add(s02, f32x4.mul(x, b2)); s03 = f32x4.add(s03, f32x4.mul(x, b3));
      x = v128.load32_splat(a1 + ka);
      s10 = f32x4.add(s10, f32x4.mul(x, b0)); s11 = f32x4.add(s11, f32x4.mul(x, b1));
      s12 = f32x4.add(s12, f32x4.mul(x, b2)); s13 = f32x4.add(s13, f32x4.mul(x, b3));
      pb += bStep;
      ka += aStep;
    }
    const cj = <usize>j << 2;
    store8(c0 + cj, s00, s01, accumulate);
    store8(c0 + cj + 32, s02, s03, accumulate);
    if (two) {
      store8(c1 + cj, s10, s11, accumulate);
      store8(c1 + cj + 32, s12, s13, accumulate);
    }
  }
  return j;
}

/**
 * sgemmDot for the rows at a0 and a1 (a1 stored only if `two`), 4 columns at a time (each element summed
 * exactly as in sgemmDot's 2-column loop); returns the first column it left.
 */
function dotTwoRows(
  N: i32, K: i32, a0: usize, a1: usize, b: usize, bcs: i32, c0: usize, c1: usize, two: bool, accumulate: i32,
): i32 {
  const K4 = K & ~3;
  const col = <usize>bcs << 2;
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    const b0 = b + (<usize>(j * bcs) << 2);
    let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
    let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
    for (let k: usize = 0; k < <usize>(K4 << 2); k += 16) {
      const v0 = v128.load(b0 + k);
      const v1 = v128.load(b0 + col + k);
      const v2 = v128.load(b0 + 2 * col + k);
      const v3 = v128.load(b0 + 3 * col + k);
      let x = v128.load(a0 + k);
      s00 = f32x4.add(s00, f32x4.mul(x, v0)); s01 = f32x4.add(s01, f32x4.mul(x, v1));
      s02 = f32x4.add(s02, f32x4.mul(x, v2)); s03 = f32x4.add(s03, f32x4.mul(x, v3));
      x = v128.load(a1 + k);
      s10 = f32x4.add(s10, f32x4.mul(x, v0)); s11 = f32x4.add(s11, f32x4.mul(x, v1));
      s12 = f32x4.add(s12, f32x4.mul(x, v2)); s13 = f32x4.add(s13, f32x4.mul(x, v3));
    }
    let t00 = hsum(s00), t01 = hsum(s01), t02 = hsum(s02), t03 = hsum(s03);
    let t10 = hsum(s10), t11 = hsum(s11), t12 = hsum(s12), t13 = hsum(s13);
    for (let k = K4; k < K; k++) {
      const o = <usize>k << 2;
      const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
      const v0 = load<f32>(b0 + o), v1 = load<f32>(b0 + col + o), v2 = load<f32>(b0 + 2 * col + o), v3 = load<f32>(b0 + 3 * col + o);
      t00 += x0 * v0; t01 += x0 * v1; t02 += x0 * v2; t03 += x0 * v3;
      t10 += x1 * v0; t11 += x1 * v1; t12 += x1 * v2; t13 += x1 * v3;
    }
    const cj = <usize>j << 2;
    store1(c0 + cj, t00, accumulate); store1(c0 + cj + 4, t01, accumulate);
    store1(c0 + cj + 8, t02, accumulate); store1(c0 + cj + 12, t03, accumulate);
    if (two) {
      store1(c1 + cj, t10, accumulate); store1(c1 + cj + 4, t11, accumulate);
      store1(c1 + cj + 8, t12, accumulate); store1(c1 + cj + 12, t13, accumulate);
    }
  }
  return j;
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
