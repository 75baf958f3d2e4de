// The transforms of Winograd F(2x2, 3x3) convolution for the wasm backend: src/kernels/js/conv-winograd.ts
// explains the algorithm and the layouts ([16, rows, cols] matrices, one per element of a 4x4 transform, tiles
// numbered over the batch), each of the 16 matrices `stride` floats after the previous one. The tile transforms
// work on N samples from the addresses given, whose tiles are the first N tH tW of the matrices' P columns: a
// thread given a run of samples passes addresses past the samples and the tiles before them. Each function is its js twin operation for operation in float32, so both backends
// give the same bits. All pointers are byte addresses; sizes in elements.

/** Element `i` (a float index) of the float32 array at byte address `base`. */
// @ts-ignore: decorator
@inline
function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

const HALF: f32 = 0.5;

/** U [16, O, C] = G w G^T for each (o, c) of w [O, C, 3, 3]. */
export function winogradWeights(w: usize, O: i32, C: i32, u: usize, stride: i32): void {
  for (let oc = 0; oc < O * C; oc++) {
    const g = at(w, oc * 9);
    // a = G g, 4 x 3 (rows of g combined per column j).
    const g00 = load<f32>(g), g01 = load<f32>(g, 4), g02 = load<f32>(g, 8);
    const g10 = load<f32>(g, 12), g11 = load<f32>(g, 16), g12 = load<f32>(g, 20);
    const g20 = load<f32>(g, 24), g21 = load<f32>(g, 28), g22 = load<f32>(g, 32);
    const a10 = (g00 + g10 + g20) * HALF, a11 = (g01 + g11 + g21) * HALF, a12 = (g02 + g12 + g22) * HALF;
    const a20 = (g00 - g10 + g20) * HALF, a21 = (g01 - g11 + g21) * HALF, a22 = (g02 - g12 + g22) * HALF;
    weightRow(u, 0, stride, oc, g00, g01, g02);
    weightRow(u, 1, stride, oc, a10, a11, a12);
    weightRow(u, 2, stride, oc, a20, a21, a22);
    weightRow(u, 3, stride, oc, g20, g21, g22);
  }
}

/** Row i of U = a G^T from row i of a (three values). */
// @ts-ignore: decorator
@inline
function weightRow(u: usize, i: i32, stride: i32, oc: i32, a0: f32, a1: f32, a2: f32): void {
  const e = 4 * i * stride + oc;
  store<f32>(at(u, e), a0);
  store<f32>(at(u, e + stride), (a0 + a1 + a2) * HALF);
  store<f32>(at(u, e + 2 * stride), (a0 - a1 + a2) * HALF);
  store<f32>(at(u, e + 3 * stride), a2);
}

/** dw [O, C, 3, 3] = G^T dU G for each (o, c) of dU [16, O, C]. */
export function winogradWeightGrad(du: usize, O: i32, C: i32, dw: usize, stride: i32): void {
  for (let oc = 0; oc < O * C; oc++) {
    // b = G^T dU, 3 x 4, built one column j at a time; then dw = b G row by row.
    let b00: f32 = 0, b01: f32 = 0, b02: f32 = 0, b03: f32 = 0;
    let b10: f32 = 0, b11: f32 = 0, b12: f32 = 0, b13: f32 = 0;
    let b20: f32 = 0, b21: f32 = 0, b22: f32 = 0, b23: f32 = 0;
    for (let j = 0; j < 4; j++) {
      const u0 = load<f32>(at(du, j * stride + oc)), u1 = load<f32>(at(du, (4 + j) * stride + oc));
      const u2 = load<f32>(at(du, (8 + j) * stride + oc)), u3 = load<f32>(at(du, (12 + j) * stride + oc));
      const half = (u1 + u2) * HALF;
      const c0 = u0 + half, c1 = (u1 - u2) * HALF, c2 = half + u3;
      if (j == 0) { b00 = c0; b10 = c1; b20 = c2; }
      else if (j == 1) { b01 = c0; b11 = c1; b21 = c2; }
      else if (j == 2) { b02 = c0; b12 = c1; b22 = c2; }
      else { b03 = c0; b13 = c1; b23 = c2; }
    }
    const out = at(dw, oc * 9);
    weightGradRow(out, b00, b01, b02, b03);
    weightGradRow(out + 12, b10, b11, b12, b13);
    weightGradRow(out + 24, b20, b21, b22, b23);
  }
}

/** One row of dw = b G from a row of b (four values). */
// @ts-ignore: decorator
@inline
function weightGradRow(out: usize, b0: f32, b1: f32, b2: f32, b3: f32): void {
  const half = (b1 + b2) * HALF;
  store<f32>(out, b0 + half);
  store<f32>(out, (b1 - b2) * HALF, 4);
  store<f32>(out, half + b3, 8);
}

/** Columns of the padded planes the tile transforms work in: whole groups of 4 tiles, plus 2 (padPlane). */
export function paddedWidth(tW: i32): i32 {
  return 2 * ((tW + 3) & ~3) + 2;
}

/** Stores the first k (1 to 4) lanes of vec at ptr: a group of tiles cut short by the end of a row of tiles. */
// @ts-ignore: decorator
@inline
function storeLanes(ptr: usize, vec: v128, k: i32): void {
  if (k >= 4) {
    v128.store(ptr, vec);
    return;
  }
  v128.store32_lane(ptr, vec, 0);
  if (k > 1) v128.store32_lane(ptr, vec, 1, 4);
  if (k > 2) v128.store32_lane(ptr, vec, 2, 8);
}

/** Lanes 0, 2, 4, 6 of the 8 floats a:b (even columns). */
// @ts-ignore: decorator
@inline
function evens(a: v128, b: v128): v128 {
  return i32x4.shuffle(a, b, 0, 2, 4, 6);
}

/** Lanes 1, 3, 5, 7 of the 8 floats a:b (odd columns). */
// @ts-ignore: decorator
@inline
function odds(a: v128, b: v128): v128 {
  return i32x4.shuffle(a, b, 1, 3, 5, 7);
}

/** Copies n floats from src to dst (four at a time, then one at a time). */
// @ts-ignore: decorator
@inline
function copyFloats(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), v128.load(at(src, i)));
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
}

/** Zeros n floats at dst. */
// @ts-ignore: decorator
@inline
function zeroFloats(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), f32x4.splat(0));
  for (; i < n; i++) store<f32>(at(dst, i), 0);
}

/**
 * Copies rows x cols of the H x W plane at `src` into `dst` (cols floats per row), where it sits top rows down
 * and left columns right, zeros around.
 */
function padPlane(src: usize, H: i32, W: i32, rows: i32, cols: i32, top: i32, left: i32, dst: usize): void {
  // The columns of the plane that land inside dst: [x0, x1) of each source row, at column x0 + left.
  const x0 = max(0, -left), x1 = min(W, cols - left);
  for (let r = 0; r < rows; r++) {
    const y = r - top;
    const row = at(dst, r * cols);
    if (y < 0 || y >= H || x1 <= x0) {
      zeroFloats(row, cols);
      continue;
    }
    zeroFloats(row, x0 + left);
    copyFloats(at(src, y * W + x0), at(row, x0 + left), x1 - x0);
    zeroFloats(at(row, x1 + left), cols - x1 - left);
  }
}

/**
 * V [16, C, P] = B^T d B for the 4x4 input patch d of every tile and channel of x [N, C, H, W] (zeros outside);
 * `pad` is scratch for one padded plane of (2 tH + 2) x paddedWidth(tW) floats. Four tiles of a row at a
 * time, one per lane: each lane computes what the js kernel computes for its tile.
 */
export function winogradInput(
  x: usize, N: i32, C: i32, H: i32, W: i32, tH: i32, tW: i32, padTop: i32, padLeft: i32, v: usize, stride: i32, pad: usize, P: i32,
): void {
  const PW = paddedWidth(tW);
  const rowBytes = <usize>PW << 2;
  const eBytes = <usize>stride << 2;
  for (let c = 0; c < C; c++) {
    for (let n = 0; n < N; n++) {
      padPlane(at(x, (n * C + c) * H * W), H, W, 2 * tH + 2, PW, padTop, padLeft, pad);
      for (let th = 0; th < tH; th++) {
        for (let tw = 0; tw < tW; tw += 4) {
          const k = min(4, tW - tw);
          // d_ij: element (i, j) of the four tiles' patches; tile q's column j is the row's column 2q + j.
          const r0 = at(pad, 2 * th * PW + 2 * tw), r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
          let a = v128.load(r0), b = v128.load(r0, 16), e = v128.load(r0, 8), f = v128.load(r0, 24);
          const d00 = evens(a, b), d01 = odds(a, b), d02 = evens(e, f), d03 = odds(e, f);
          a = v128.load(r1); b = v128.load(r1, 16); e = v128.load(r1, 8); f = v128.load(r1, 24);
          const d10 = evens(a, b), d11 = odds(a, b), d12 = evens(e, f), d13 = odds(e, f);
          a = v128.load(r2); b = v128.load(r2, 16); e = v128.load(r2, 8); f = v128.load(r2, 24);
          const d20 = evens(a, b), d21 = odds(a, b), d22 = evens(e, f), d23 = odds(e, f);
          a = v128.load(r3); b = v128.load(r3, 16); e = v128.load(r3, 8); f = v128.load(r3, 24);
          const d30 = evens(a, b), d31 = odds(a, b), d32 = evens(e, f), d33 = odds(e, f);
          // t = B^T d: rows (d0 - d2, d1 + d2, d2 - d1, d1 - d3); then row i of V = t B.
          const out = at(v, c * P + (n * tH + th) * tW + tw);
          inputRow(out, 0, eBytes, k, f32x4.sub(d00, d20), f32x4.sub(d01, d21), f32x4.sub(d02, d22), f32x4.sub(d03, d23));
          inputRow(out, 1, eBytes, k, f32x4.add(d10, d20), f32x4.add(d11, d21), f32x4.add(d12, d22), f32x4.add(d13, d23));
          inputRow(out, 2, eBytes, k, f32x4.sub(d20, d10), f32x4.sub(d21, d11), f32x4.sub(d22, d12), f32x4.sub(d23, d13));
          inputRow(out, 3, eBytes, k, f32x4.sub(d10, d30), f32x4.sub(d11, d31), f32x4.sub(d12, d32), f32x4.sub(d13, d33));
        }
      }
    }
  }
}

/** Row i of V = t B (from row i of t) for k tiles at `out` (matrix e at out + e * eBytes). */
// @ts-ignore: decorator
@inline
function inputRow(out: usize, i: i32, eBytes: usize, k: i32, t0: v128, t1: v128, t2: v128, t3: v128): void {
  const p = out + <usize>(4 * i) * eBytes;
  storeLanes(p, f32x4.sub(t0, t2), k);
  storeLanes(p + eBytes, f32x4.add(t1, t2), k);
  storeLanes(p + 2 * eBytes, f32x4.sub(t2, t1), k);
  storeLanes(p + 3 * eBytes, f32x4.sub(t1, t3), k);
}

/** Copies rows x cols of the plane at `src` (row stride srcCols) to `dst` (row stride dstCols). */
function copyPlane(src: usize, srcCols: i32, rows: i32, cols: i32, dst: usize, dstCols: i32): void {
  for (let y = 0; y < rows; y++) copyFloats(at(src, y * srcCols), at(dst, y * dstCols), cols);
}

/**
 * out [N, O, oH, oW] (overwritten) = A^T m A for the 4x4 m of every tile and channel of M [16, O, P], cropped;
 * `pad` is scratch for one plane of 2 tH x paddedWidth(tW) floats, where four tiles at a time are written whole.
 */
export function winogradOutput(
  m: usize, stride: i32, N: i32, O: i32, oH: i32, oW: i32, tH: i32, tW: i32, out: usize, pad: usize, P: i32,
): void {
  const PW = paddedWidth(tW);
  const eBytes = <usize>stride << 2;
  for (let o = 0; o < O; o++) {
    for (let n = 0; n < N; n++) {
      for (let th = 0; th < tH; th++) {
        for (let tw = 0; tw < tW; tw += 4) {
          // Lanes past the row's last tile read the next tiles' values: they land in columns the crop drops.
          const src = at(m, o * P + (n * tH + th) * tW + tw);
          // s = A^T m: rows (m0 + m1 + m2, m1 - m2 - m3), one column j at a time.
          const s00 = outputColumn0(src, 0, eBytes), s01 = outputColumn0(src, 1, eBytes);
          const s02 = outputColumn0(src, 2, eBytes), s03 = outputColumn0(src, 3, eBytes);
          const s10 = outputColumn1(src, 0, eBytes), s11 = outputColumn1(src, 1, eBytes);
          const s12 = outputColumn1(src, 2, eBytes), s13 = outputColumn1(src, 3, eBytes);
          const row0 = at(pad, 2 * th * PW + 2 * tw);
          outputRow(row0, s00, s01, s02, s03);
          outputRow(row0 + (<usize>PW << 2), s10, s11, s12, s13);
        }
      }
      copyPlane(pad, PW, oH, oW, at(out, (n * O + o) * oH * oW), oW);
    }
  }
}

/** Row 0 of s = A^T m at column j: m0j + m1j + m2j (m_ij is matrix 4i + j). */
// @ts-ignore: decorator
@inline
function outputColumn0(src: usize, j: i32, eBytes: usize): v128 {
  const m0 = v128.load(src + <usize>j * eBytes), m1 = v128.load(src + <usize>(4 + j) * eBytes);
  const m2 = v128.load(src + <usize>(8 + j) * eBytes);
  return f32x4.add(f32x4.add(m0, m1), m2);
}

/** Row 1 of s = A^T m at column j: m1j - m2j - m3j. */
// @ts-ignore: decorator
@inline
function outputColumn1(src: usize, j: i32, eBytes: usize): v128 {
  const m1 = v128.load(src + <usize>(4 + j) * eBytes), m2 = v128.load(src + <usize>(8 + j) * eBytes);
  const m3 = v128.load(src + <usize>(12 + j) * eBytes);
  return f32x4.sub(f32x4.sub(m1, m2), m3);
}

/** One output row of four tiles, y = s A: (s0 + s1 + s2, s1 - s2 - s3) per tile, interleaved into 8 columns. */
// @ts-ignore: decorator
@inline
function outputRow(row: usize, s0: v128, s1: v128, s2: v128, s3: v128): void {
  const y0 = f32x4.add(f32x4.add(s0, s1), s2);
  const y1 = f32x4.sub(f32x4.sub(s1, s2), s3);
  v128.store(row, i32x4.shuffle(y0, y1, 0, 4, 1, 5));
  v128.store(row, i32x4.shuffle(y0, y1, 2, 6, 3, 7), 16);
}

/**
 * Z [16, O, P] = A dy A^T for the 2x2 output gradient dy of every tile and channel of gradOut (zeros outside);
 * `pad` is scratch for one plane of 2 tH x paddedWidth(tW) floats.
 */
export function winogradGradOut(
  gradOut: usize, N: i32, O: i32, oH: i32, oW: i32, tH: i32, tW: i32, z: usize, stride: i32, pad: usize, P: i32,
): void {
  const PW = paddedWidth(tW);
  const rowBytes = <usize>PW << 2;
  const eBytes = <usize>stride << 2;
  for (let o = 0; o < O; o++) {
    for (let n = 0; n < N; n++) {
      padPlane(at(gradOut, (n * O + o) * oH * oW), oH, oW, 2 * tH, PW, 0, 0, pad);
      for (let th = 0; th < tH; th++) {
        for (let tw = 0; tw < tW; tw += 4) {
          const k = min(4, tW - tw);
          const r0 = at(pad, 2 * th * PW + 2 * tw), r1 = r0 + rowBytes;
          const a = v128.load(r0), b = v128.load(r0, 16), e = v128.load(r1), f = v128.load(r1, 16);
          const d00 = evens(a, b), d01 = odds(a, b), d10 = evens(e, f), d11 = odds(e, f);
          // s = A dy: rows (d0, d0 + d1, d0 - d1, -d1); then row i of Z = s A^T.
          const dst = at(z, o * P + (n * tH + th) * tW + tw);
          gradOutRow(dst, 0, eBytes, k, d00, d01);
          gradOutRow(dst, 1, eBytes, k, f32x4.add(d00, d10), f32x4.add(d01, d11));
          gradOutRow(dst, 2, eBytes, k, f32x4.sub(d00, d10), f32x4.sub(d01, d11));
          gradOutRow(dst, 3, eBytes, k, f32x4.neg(d10), f32x4.neg(d11));
        }
      }
    }
  }
}

/** Row i of Z = s A^T (from row i of s) for k tiles at `dst`: (s0, s0 + s1, s0 - s1, -s1). */
// @ts-ignore: decorator
@inline
function gradOutRow(dst: usize, i: i32, eBytes: usize, k: i32, s0: v128, s1: v128): void {
  const p = dst + <usize>(4 * i) * eBytes;
  storeLanes(p, s0, k);
  storeLanes(p + eBytes, f32x4.add(s0, s1), k);
  storeLanes(p + 2 * eBytes, f32x4.sub(s0, s1), k);
  storeLanes(p + 3 * eBytes, f32x4.neg(s1), k);
}

/**
 * gradIn [N, C, H, W] (overwritten) = the sum of B dv B^T over the tiles whose 4x4 patch covers each element, for
 * the dv of every tile and channel of dV [16, C, P]. The tiles add into `pad`, one padded plane of
 * (2 tH + 2) x paddedWidth(tW) floats starting at zero, whose inside is then the plane's gradient. Four tiles
 * at a time: each element still receives its tiles' parts in the js kernel's order (sample, row, column of
 * tiles), since a part a tile shares with the next group's first tile is held back (`carry`) and added first.
 */
export function winogradGradInput(
  dv: usize, stride: i32, N: i32, C: i32, H: i32, W: i32, tH: i32, tW: i32, padTop: i32, padLeft: i32, gradIn: usize, pad: usize, P: i32,
): void {
  const PH = 2 * tH + 2, PW = paddedWidth(tW);
  const rowBytes = <usize>PW << 2;
  const eBytes = <usize>stride << 2;
  for (let c = 0; c < C; c++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < PH * PW; i += 4) v128.store(at(pad, i), f32x4.splat(0));
      for (let th = 0; th < tH; th++) {
        // The parts 2 and 3 of each row of the previous group's last tile (lane 3), added before this group's.
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
        let e0 = f32x4.splat(0), e1 = f32x4.splat(0), e2 = f32x4.splat(0), e3 = f32x4.splat(0);
        let tw = 0;
        for (; tw < tW; tw += 4) {
          const k = min(4, tW - tw);
          // Lanes past the row's last tile are zeroed: adding zero leaves the plane unchanged.
          const keep = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(k));
          const src = at(dv, c * P + (n * tH + th) * tW + tw);
          // q = B dv: rows (v0, v1 - v2 + v3, v1 + v2 - v0, -v3), column j at a time (v_ij is matrix 4i + j).
          const q00 = gradInputColumn(src, 0, 0, eBytes, keep), q01 = gradInputColumn(src, 0, 1, eBytes, keep);
          const q02 = gradInputColumn(src, 0, 2, eBytes, keep), q03 = gradInputColumn(src, 0, 3, eBytes, keep);
          const q10 = gradInputColumn(src, 1, 0, eBytes, keep), q11 = gradInputColumn(src, 1, 1, eBytes, keep);
          const q12 = gradInputColumn(src, 1, 2, eBytes, keep), q13 = gradInputColumn(src, 1, 3, eBytes, keep);
          const q20 = gradInputColumn(src, 2, 0, eBytes, keep), q21 = gradInputColumn(src, 2, 1, eBytes, keep);
          const q22 = gradInputColumn(src, 2, 2, eBytes, keep), q23 = gradInputColumn(src, 2, 3, eBytes, keep);
          const q30 = gradInputColumn(src, 3, 0, eBytes, keep), q31 = gradInputColumn(src, 3, 1, eBytes, keep);
          const q32 = gradInputColumn(src, 3, 2, eBytes, keep), q33 = gradInputColumn(src, 3, 3, eBytes, keep);
          const r0 = at(pad, 2 * th * PW + 2 * tw), r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
          // dx = q B^T, row by row: parts (q0, q1 - q2 + q3, q1 + q2 - q0, -q3) at columns 2t .. 2t + 3 of tile t.
          let p2 = f32x4.sub(f32x4.add(q01, q02), q00);
          let p3 = f32x4.neg(q03);
          gradInputRow(r0, q00, f32x4.add(f32x4.sub(q01, q02), q03), c0, e0, p2, p3);
          c0 = p2; e0 = p3;
          p2 = f32x4.sub(f32x4.add(q11, q12), q10);
          p3 = f32x4.neg(q13);
          gradInputRow(r1, q10, f32x4.add(f32x4.sub(q11, q12), q13), c1, e1, p2, p3);
          c1 = p2; e1 = p3;
          p2 = f32x4.sub(f32x4.add(q21, q22), q20);
          p3 = f32x4.neg(q23);
          gradInputRow(r2, q20, f32x4.add(f32x4.sub(q21, q22), q23), c2, e2, p2, p3);
          c2 = p2; e2 = p3;
          p2 = f32x4.sub(f32x4.add(q31, q32), q30);
          p3 = f32x4.neg(q33);
          gradInputRow(r3, q30, f32x4.add(f32x4.sub(q31, q32), q33), c3, e3, p2, p3);
          c3 = p2; e3 = p3;
        }
        // The last group's last tile: its parts 2 and 3 (zero past the row's end) at the group's columns 8, 9.
        const last = at(pad, 2 * th * PW + 2 * (tw - 4) + 8);
        flushCarry(last, c0, e0);
        flushCarry(last + rowBytes, c1, e1);
        flushCarry(last + 2 * rowBytes, c2, e2);
        flushCarry(last + 3 * rowBytes, c3, e3);
      }
      const plane = at(gradIn, (n * C + c) * H * W);
      copyPlane(at(pad, padTop * PW + padLeft), PW, H, W, plane, W);
    }
  }
}

/** Column j of row i of q = B dv for four tiles (lanes past the row's end zeroed by `keep`). */
// @ts-ignore: decorator
@inline
function gradInputColumn(src: usize, i: i32, j: i32, eBytes: usize, keep: v128): v128 {
  const v0 = v128.load(src + <usize>j * eBytes), v1 = v128.load(src + <usize>(4 + j) * eBytes);
  const v2 = v128.load(src + <usize>(8 + j) * eBytes), v3 = v128.load(src + <usize>(12 + j) * eBytes);
  let q: v128;
  if (i == 0) q = v0;
  else if (i == 1) q = f32x4.add(f32x4.sub(v1, v2), v3);
  else if (i == 2) q = f32x4.sub(f32x4.add(v1, v2), v0);
  else q = f32x4.neg(v3);
  return v128.and(q, keep);
}

/**
 * Adds one row of four tiles' parts into the padded row at `row` (8 columns from the group's first tile): even
 * columns 2t get the previous tile's part 2 and then tile t's part 0, odd columns its part 3 and then part 1;
 * (c2, c3) hold the previous group's last tile's parts 2 and 3 in lane 3.
 */
// @ts-ignore: decorator
@inline
function gradInputRow(row: usize, p0: v128, p1: v128, c2: v128, c3: v128, p2: v128, p3: v128): void {
  const lo = v128.load(row), hi = v128.load(row, 16);
  const even = f32x4.add(f32x4.add(evens(lo, hi), i32x4.shuffle(c2, p2, 3, 4, 5, 6)), p0);
  const odd = f32x4.add(f32x4.add(odds(lo, hi), i32x4.shuffle(c3, p3, 3, 4, 5, 6)), p1);
  v128.store(row, i32x4.shuffle(even, odd, 0, 4, 1, 5));
  v128.store(row, i32x4.shuffle(even, odd, 2, 6, 3, 7), 16);
}

/** Adds lane 3 of c2 and c3 (a group's last tile's parts 2 and 3) at `at` and the column after it. */
// @ts-ignore: decorator
@inline
function flushCarry(at: usize, c2: v128, c3: v128): void {
  store<f32>(at, load<f32>(at) + f32x4.extract_lane(c2, 3));
  store<f32>(at, load<f32>(at, 4) + f32x4.extract_lane(c3, 3), 4);
}
