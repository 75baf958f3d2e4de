// Normalization kernels for the wasm backend: the computation of src/kernels/js/norm.ts (read its comments
// for the layout and the formulas) over float32 data at byte addresses, with float64 statistics and
// float64 accumulation. Every float64 operation is the js kernel's, in the same order: a reduction's P
// partial sums are the lanes of P / 2 f64x2 vectors ((p0, p1), (p2, p3), ...), a ragged tail goes to p0, and
// they combine pairwise as in the js kernel. Plain SIMD has no fused multiply-add, so the results are
// bit-identical to the js kernel's (test/norm-wasm.test.ts checks it).
//
// Why float64 rather than float32 arithmetic: x - mean must not round when the mean is large against the
// spread (a float32 mean of 10000 is off by up to 5e-4, as large as a small spread), and float32 sums of
// thousands of elements lose the two-pass accuracy. Measured on 50176 elements, an f32x4 normalize pass costs
// 0.25 ns per element against 0.32 for f64x2, and a statistics pass about 0.2 ns per element (bound by the
// float32-to-float64 conversions): float32 would buy little.

/** Lanes 0 and 1 of four float32s, as float64. */
// @ts-ignore: decorator
@inline
function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 of four float32s, as float64. */
// @ts-ignore: decorator
@inline
function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 1));
}

/** Two float64 pairs rounded to four float32s: (a0, a1, b0, b1). */
// @ts-ignore: decorator
@inline
function demote(a: v128, b: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 2);
}

/** (p0 + p1) + (p2 + p3) of the partials in two vectors, p0 replaced by `p0`. */
// @ts-ignore: decorator
@inline
function combine(p0: f64, a: v128, b: v128): f64 {
  return p0 + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/** ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)) of eight partials in four vectors, p0 replaced by `p0`. */
// @ts-ignore: decorator
@inline
function combine8(p0: f64, a: v128, b: v128, c: v128, d: v128): f64 {
  return combine(p0, a, b) + combine(f64x2.extract_lane(c, 0), c, d);
}

/** Sum of the `len` float32s from address p, in eight partials. */
function blockSum(p: usize, len: i32): f64 {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = f64x2.splat(0);
  let d = f64x2.splat(0);
  const end8 = p + (<usize>(len & ~7) << 2);
  const end = p + (<usize>len << 2);
  for (; p < end8; p += 32) {
    const v = v128.load(p);
    const u = v128.load(p, 16);
    a = f64x2.add(a, low(v));
    b = f64x2.add(b, high(v));
    c = f64x2.add(c, low(u));
    d = f64x2.add(d, high(u));
  }
  let p0 = f64x2.extract_lane(a, 0);
  for (; p < end; p += 4) p0 += <f64>load<f32>(p);
  return combine8(p0, a, b, c, d);
}

/** Sum of (x - m)^2 over the `len` float32s x from address p, in eight partials. */
function blockSquaredDeviations(p: usize, len: i32, m: f64): f64 {
  const mv = f64x2.splat(m);
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = f64x2.splat(0);
  let d = f64x2.splat(0);
  const end8 = p + (<usize>(len & ~7) << 2);
  const end = p + (<usize>len << 2);
  for (; p < end8; p += 32) {
    const v = v128.load(p);
    const u = v128.load(p, 16);
    const d0 = f64x2.sub(low(v), mv);
    const d1 = f64x2.sub(high(v), mv);
    const d2 = f64x2.sub(low(u), mv);
    const d3 = f64x2.sub(high(u), mv);
    a = f64x2.add(a, f64x2.mul(d0, d0));
    b = f64x2.add(b, f64x2.mul(d1, d1));
    c = f64x2.add(c, f64x2.mul(d2, d2));
    d = f64x2.add(d, f64x2.mul(d3, d3));
  }
  let p0 = f64x2.extract_lane(a, 0);
  for (; p < end; p += 4) {
    const e = <f64>load<f32>(p) - m;
    p0 += e * e;
  }
  return combine8(p0, a, b, c, d);
}

/** Element index of slot k's first element (its group in its first row). */
// @ts-ignore: decorator
@inline
function slotStart(k: i32, c: i32, s: i32, groups: i32, acrossBatch: bool): usize {
  const row = acrossBatch ? 0 : k / groups;
  return <usize>(row * c + (k % groups) * (c / groups)) * <usize>s;
}

/** mean, biased variance and rstd (float64 arrays, one per slot) of x [n, c, s]: normStats of the js kernel. */
export function normStats(
  x: usize, n: i32, c: i32, s: i32, groups: i32, acrossBatch: bool, eps: f64, mean: usize, variance: usize, rstd: usize,
): void {
  const rows = acrossBatch ? n : 1;
  const len = (c / groups) * s;
  const rowBytes = <usize>(c * s) << 2;
  const count = <f64>rows * <f64>len;
  const slots = (acrossBatch ? 1 : n) * groups;
  for (let k = 0; k < slots; k++) {
    const first = x + (slotStart(k, c, s, groups, acrossBatch) << 2);
    let sum: f64 = 0;
    for (let r = 0; r < rows; r++) sum += blockSum(first + <usize>r * rowBytes, len);
    const m = sum / count;
    let m2: f64 = 0;
    for (let r = 0; r < rows; r++) m2 += blockSquaredDeviations(first + <usize>r * rowBytes, len, m);
    const v = m2 / count;
    const at = <usize>k << 3;
    store<f64>(mean + at, m);
    store<f64>(variance + at, v);
    store<f64>(rstd + at, 1 / Math.sqrt(v + eps));
  }
}

/**
 * out = (x - mean) * rstd * weight[c] + bias[c] (normApply of the js kernel); weight/bias 0 when absent, out
 * may be x.
 */
export function normApply(
  x: usize, n: i32, c: i32, s: i32, groups: i32, acrossBatch: bool,
  mean: usize, rstd: usize, weight: usize, bias: usize, out: usize,
): void {
  const perGroup = c / groups;
  for (let row = 0; row < n; row++) {
    for (let g = 0; g < groups; g++) {
      const k = (acrossBatch ? 0 : row * groups) + g;
      const m = load<f64>(mean + (<usize>k << 3));
      const r = load<f64>(rstd + (<usize>k << 3));
      const at = <usize>(row * c + g * perGroup) * <usize>s << 2;
      const ch0 = g * perGroup;
      if (s == 1) applyElements(x + at, out + at, ch0, perGroup, m, r, weight, bias);
      else applyChannels(x + at, out + at, ch0, perGroup, s, m, r, weight, bias);
    }
  }
}

/** One group of one row: perGroup channels of s float32s each. */
function applyChannels(
  x: usize, out: usize, ch0: i32, perGroup: i32, s: i32, m: f64, r: f64, weight: usize, bias: usize,
): void {
  const mv = f64x2.splat(m);
  const body = <usize>(s & ~3) << 2;
  const runBytes = <usize>s << 2;
  for (let j = 0; j < perGroup; j++) {
    const ch = <usize>(ch0 + j) << 2;
    const scale = weight == 0 ? r : r * <f64>load<f32>(weight + ch);
    const shift: f64 = bias == 0 ? 0 : <f64>load<f32>(bias + ch);
    const sv = f64x2.splat(scale);
    const tv = f64x2.splat(shift);
    let i: usize = 0;
    for (; i < body; i += 16) {
      const v = v128.load(x + i);
      const a = f64x2.add(f64x2.mul(f64x2.sub(low(v), mv), sv), tv);
      const b = f64x2.add(f64x2.mul(f64x2.sub(high(v), mv), sv), tv);
      v128.store(out + i, demote(a, b));
    }
    for (; i < runBytes; i += 4) store<f32>(out + i, <f32>((<f64>load<f32>(x + i) - m) * scale + shift));
    x += runBytes;
    out += runBytes;
  }
}

/** One group of one row when every element is its own channel (s = 1): len float32s. */
function applyElements(x: usize, out: usize, ch0: i32, len: i32, m: f64, r: f64, weight: usize, bias: usize): void {
  const mv = f64x2.splat(m);
  const rv = f64x2.splat(r);
  const zero = f64x2.splat(0);
  const w0 = weight + (<usize>ch0 << 2);
  const b0 = bias + (<usize>ch0 << 2);
  const body = <usize>(len & ~3) << 2;
  const bytes = <usize>len << 2;
  let i: usize = 0;
  for (; i < body; i += 16) {
    const v = v128.load(x + i);
    let sa = rv;
    let sb = rv;
    if (weight != 0) {
      const w = v128.load(w0 + i);
      sa = f64x2.mul(rv, low(w));
      sb = f64x2.mul(rv, high(w));
    }
    let ta = zero;
    let tb = zero;
    if (bias != 0) {
      const t = v128.load(b0 + i);
      ta = low(t);
      tb = high(t);
    }
    const a = f64x2.add(f64x2.mul(f64x2.sub(low(v), mv), sa), ta);
    const b = f64x2.add(f64x2.mul(f64x2.sub(high(v), mv), sb), tb);
    v128.store(out + i, demote(a, b));
  }
  for (; i < bytes; i += 4) {
    const scale = weight == 0 ? r : r * <f64>load<f32>(w0 + i);
    const shift: f64 = bias == 0 ? 0 : <f64>load<f32>(b0 + i);
    store<f32>(out + i, <f32>((<f64>load<f32>(x + i) - m) * scale + shift));
  }
}

/**
 * normBackward of the js kernel. accW and accB (float64 [c]) receive the weight and bias gradients; dx is 0
 * when not needed and may be dy. work holds 3 * (c / groups) float64s.
 */
export function normBackward(
  x: usize, dy: usize, n: i32, c: i32, s: i32, groups: i32, acrossBatch: bool,
  mean: usize, rstd: usize, weight: usize, statsFromInput: bool, dx: usize, accW: usize, accB: usize, work: usize,
): void {
  const perGroup = c / groups;
  const rows = acrossBatch ? n : 1;
  const count = <f64>rows * <f64>perGroup * <f64>s;
  const slots = (acrossBatch ? 1 : n) * groups;
  const sumDy = work;
  const sumDyXc = work + (<usize>perGroup << 3);
  const w = sumDyXc + (<usize>perGroup << 3);
  memory.fill(accW, 0, <usize>c << 3);
  memory.fill(accB, 0, <usize>c << 3);
  for (let k = 0; k < slots; k++) {
    const g = k % groups;
    const first = slotStart(k, c, s, groups, acrossBatch) << 2;
    const m = load<f64>(mean + (<usize>k << 3));
    const r = load<f64>(rstd + (<usize>k << 3));
    if (s == 1 && !acrossBatch) {
      const dxAt: usize = dx == 0 ? 0 : dx + first;
      slotBackwardElements(x + first, dy + first, g * perGroup, perGroup, m, r, weight, statsFromInput, dxAt, accW, accB);
      continue;
    }
    slotChannelSums(x + first, dy + first, rows, <usize>(c * s) << 2, perGroup, s, m, sumDy, sumDyXc);
    let meanA: f64 = 0;
    let meanB: f64 = 0;
    for (let j = 0; j < perGroup; j++) {
      const ch = <usize>(g * perGroup + j);
      const wj: f64 = weight == 0 ? 1 : <f64>load<f32>(weight + (ch << 2));
      const sd = load<f64>(sumDy + (<usize>j << 3));
      const sdx = load<f64>(sumDyXc + (<usize>j << 3));
      store<f64>(w + (<usize>j << 3), wj);
      meanA += wj * sd;
      meanB += wj * sdx * r;
      store<f64>(accW + (ch << 3), load<f64>(accW + (ch << 3)) + sdx * r);
      store<f64>(accB + (ch << 3), load<f64>(accB + (ch << 3)) + sd);
    }
    if (dx == 0) continue;
    const a: f64 = statsFromInput ? meanA / count : 0;
    const b: f64 = statsFromInput ? meanB / count : 0;
    slotDx(x + first, dy + first, dx + first, rows, <usize>(c * s) << 2, perGroup, s, m, r, w, a, b);
  }
}

/** Per channel j of one slot: sumDy[j] = sum dy, sumDyXc[j] = sum dy * (x - m) (float64 arrays). */
function slotChannelSums(
  x: usize, dy: usize, rows: i32, rowBytes: usize, perGroup: i32, s: i32, m: f64, sumDy: usize, sumDyXc: usize,
): void {
  const mv = f64x2.splat(m);
  const body = <usize>(s & ~3) << 2;
  const runBytes = <usize>s << 2;
  memory.fill(sumDy, 0, <usize>perGroup << 3);
  memory.fill(sumDyXc, 0, <usize>perGroup << 3);
  for (let row = 0; row < rows; row++) {
    let i: usize = <usize>row * rowBytes;
    for (let j = 0; j < perGroup; j++) {
      let da = f64x2.splat(0);
      let db = f64x2.splat(0);
      let xa = f64x2.splat(0);
      let xb = f64x2.splat(0);
      const end4 = i + body;
      const end = i + runBytes;
      for (; i < end4; i += 16) {
        const d = v128.load(dy + i);
        const v = v128.load(x + i);
        const d0 = low(d);
        const d1 = high(d);
        da = f64x2.add(da, d0);
        db = f64x2.add(db, d1);
        xa = f64x2.add(xa, f64x2.mul(d0, f64x2.sub(low(v), mv)));
        xb = f64x2.add(xb, f64x2.mul(d1, f64x2.sub(high(v), mv)));
      }
      let d0 = f64x2.extract_lane(da, 0);
      let x0 = f64x2.extract_lane(xa, 0);
      for (; i < end; i += 4) {
        const d = <f64>load<f32>(dy + i);
        d0 += d;
        x0 += d * (<f64>load<f32>(x + i) - m);
      }
      const at = <usize>j << 3;
      store<f64>(sumDy + at, load<f64>(sumDy + at) + combine(d0, da, db));
      store<f64>(sumDyXc + at, load<f64>(sumDyXc + at) + combine(x0, xa, xb));
    }
  }
}

/** dx = rstd * (w[j]*dy - meanA - xhat * meanB) over one slot (w: float64 per channel of the slot). */
function slotDx(
  x: usize, dy: usize, dx: usize, rows: i32, rowBytes: usize, perGroup: i32, s: i32,
  m: f64, r: f64, w: usize, meanA: f64, meanB: f64,
): void {
  const mv = f64x2.splat(m);
  const rv = f64x2.splat(r);
  const av = f64x2.splat(meanA);
  const bv = f64x2.splat(meanB);
  const body = <usize>(s & ~3) << 2;
  const runBytes = <usize>s << 2;
  for (let row = 0; row < rows; row++) {
    let i: usize = <usize>row * rowBytes;
    for (let j = 0; j < perGroup; j++) {
      const wj = load<f64>(w + (<usize>j << 3));
      const wv = f64x2.splat(wj);
      const end4 = i + body;
      const end = i + runBytes;
      for (; i < end4; i += 16) {
        const d = v128.load(dy + i);
        const v = v128.load(x + i);
        const ha = f64x2.mul(f64x2.sub(low(v), mv), rv);
        const hb = f64x2.mul(f64x2.sub(high(v), mv), rv);
        const a = f64x2.mul(rv, f64x2.sub(f64x2.sub(f64x2.mul(wv, low(d)), av), f64x2.mul(ha, bv)));
        const b = f64x2.mul(rv, f64x2.sub(f64x2.sub(f64x2.mul(wv, high(d)), av), f64x2.mul(hb, bv)));
        v128.store(dx + i, demote(a, b));
      }
      for (; i < end; i += 4) {
        const xhat = (<f64>load<f32>(x + i) - m) * r;
        store<f32>(dx + i, <f32>(r * (wj * <f64>load<f32>(dy + i) - meanA - xhat * meanB)));
      }
    }
  }
}

/** The backward of one slot when every element is its own channel (s = 1, one row): slotBackwardElements. */
function slotBackwardElements(
  x: usize, dy: usize, ch0: i32, len: i32, m: f64, r: f64, weight: usize, statsFromInput: bool,
  dx: usize, accW: usize, accB: usize,
): void {
  const mv = f64x2.splat(m);
  const rv = f64x2.splat(r);
  const one = f64x2.splat(1);
  const w0 = weight + (<usize>ch0 << 2);
  const aw = accW + (<usize>ch0 << 3);
  const ab = accB + (<usize>ch0 << 3);
  const body = <usize>(len & ~3) << 2;
  const bytes = <usize>len << 2;
  let sa = f64x2.splat(0);
  let sb = f64x2.splat(0);
  let ta = f64x2.splat(0);
  let tb = f64x2.splat(0);
  let i: usize = 0;
  for (; i < body; i += 16) {
    const d = v128.load(dy + i);
    const v = v128.load(x + i);
    const d0 = low(d);
    const d1 = high(d);
    const c0 = f64x2.mul(d0, f64x2.sub(low(v), mv));
    const c1 = f64x2.mul(d1, f64x2.sub(high(v), mv));
    let w0v = one;
    let w1v = one;
    if (weight != 0) {
      const wq = v128.load(w0 + i);
      w0v = low(wq);
      w1v = high(wq);
    }
    sa = f64x2.add(sa, f64x2.mul(w0v, d0));
    sb = f64x2.add(sb, f64x2.mul(w1v, d1));
    ta = f64x2.add(ta, f64x2.mul(w0v, c0));
    tb = f64x2.add(tb, f64x2.mul(w1v, c1));
    const q = i << 1; // the float64 offset of element i / 4
    v128.store(aw + q, f64x2.add(v128.load(aw + q), f64x2.mul(c0, rv)));
    v128.store(aw + q + 16, f64x2.add(v128.load(aw + q + 16), f64x2.mul(c1, rv)));
    v128.store(ab + q, f64x2.add(v128.load(ab + q), d0));
    v128.store(ab + q + 16, f64x2.add(v128.load(ab + q + 16), d1));
  }
  let a0 = f64x2.extract_lane(sa, 0);
  let b0 = f64x2.extract_lane(ta, 0);
  for (; i < bytes; i += 4) {
    const d = <f64>load<f32>(dy + i);
    const dxc = d * (<f64>load<f32>(x + i) - m);
    const wj: f64 = weight == 0 ? 1 : <f64>load<f32>(w0 + i);
    a0 += wj * d;
    b0 += wj * dxc;
    const q = i << 1;
    store<f64>(aw + q, load<f64>(aw + q) + dxc * r);
    store<f64>(ab + q, load<f64>(ab + q) + d);
  }
  if (dx == 0) return;
  const meanA: f64 = statsFromInput ? combine(a0, sa, sb) / <f64>len : 0;
  const meanB: f64 = statsFromInput ? (combine(b0, ta, tb) * r) / <f64>len : 0;
  const av = f64x2.splat(meanA);
  const bv = f64x2.splat(meanB);
  for (i = 0; i < body; i += 16) {
    const d = v128.load(dy + i);
    const v = v128.load(x + i);
    let w0v = one;
    let w1v = one;
    if (weight != 0) {
      const wq = v128.load(w0 + i);
      w0v = low(wq);
      w1v = high(wq);
    }
    const ha = f64x2.mul(f64x2.sub(low(v), mv), rv);
    const hb = f64x2.mul(f64x2.sub(high(v), mv), rv);
    const a = f64x2.mul(rv, f64x2.sub(f64x2.sub(f64x2.mul(w0v, low(d)), av), f64x2.mul(ha, bv)));
    const b = f64x2.mul(rv, f64x2.sub(f64x2.sub(f64x2.mul(w1v, high(d)), av), f64x2.mul(hb, bv)));
    v128.store(dx + i, demote(a, b));
  }
  for (; i < bytes; i += 4) {
    const wj: f64 = weight == 0 ? 1 : <f64>load<f32>(w0 + i);
    const xhat = (<f64>load<f32>(x + i) - m) * r;
    store<f32>(dx + i, <f32>(r * (wj * <f64>load<f32>(dy + i) - meanA - xhat * meanB)));
  }
}
