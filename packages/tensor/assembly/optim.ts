// Fused optimizer updates over contiguous float32 arrays at byte addresses (kernels/wasm/optim-*.ts copy the
// operands in and out), reproducing the JS reference kernels (src/kernels/js/optim-*.ts) bit for bit:
// - a product, quotient, square root or sum of two floats rounded to float (JS: the double op, then
//   Math.fround or a Float32Array store) is the f32x4 op: the double result is exact (products) or rounding
//   it twice is innocuous (53 >= 2*24 + 2 bits), so both give the correctly rounded float;
// - `x + y*z` computed in double and rounded to float once (JS: `Math.fround(x + y * z)` or
//   `p[i] += y * z` on a Float32Array) is computed the same way here, in f64x2 lanes (mulAdd).
// Every loop runs over whole vectors: the arena regions are padded to 4 floats, so the last vector's extra
// lanes compute on padding that is never copied out.

/** The low two floats of v as doubles. */
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** The high two floats of v as doubles. */
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Four floats from two pairs of doubles (each rounded to nearest, as Math.fround). */
@inline function narrow(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Per lane, float(x + y*z) with the product and the sum in double (y is a splat double, x and z floats). */
@inline function mulAdd(x: v128, y: v128, z: v128): v128 {
  return narrow(f64x2.add(low(x), f64x2.mul(y, low(z))), f64x2.add(high(x), f64x2.mul(y, high(z))));
}

const SGD_FIRST = 1;
const SGD_MOMENTUM = 2;
const SGD_NESTEROV = 4;
const SGD_DECAY = 8;

/**
 * SGD over n floats of p, g and (with SGD_MOMENTUM) the momentum buffer b, as kernels/js/optim-sgd.ts:
 * `d = sign*g`, with SGD_DECAY `d = float(d + wd*p)`; with momentum `b = SGD_FIRST ? d : float(float(b*m) +
 * gradShare*d)` and `d = SGD_NESTEROV ? float(d + m*b) : b`; `p = float(p + scale*d)`.
 */
export function sgdF32(
  p: usize, g: usize, b: usize, n: i32, flags: i32,
  sign: f32, wd: f64, m: f32, gradShare: f64, scale: f64,
): void {
  // The common case gets loops of its own, without the option tests. With gradShare 1 (no dampening),
  // float(x + gradShare*d) is the float sum of two floats.
  if (flags == SGD_MOMENTUM) {
    if (gradShare == 1) sgdMomentumLoop(p, g, b, n, sign, m, gradShare, scale, true);
    else sgdMomentumLoop(p, g, b, n, sign, m, gradShare, scale, false);
    return;
  }
  const first = (flags & SGD_FIRST) != 0;
  const momentum = (flags & SGD_MOMENTUM) != 0;
  const nesterov = (flags & SGD_NESTEROV) != 0;
  const decay = (flags & SGD_DECAY) != 0;
  const sign4 = f32x4.splat(sign);
  const wd2 = f64x2.splat(wd);
  const m4 = f32x4.splat(m);
  const m2 = f64x2.splat(<f64>m);
  const share2 = f64x2.splat(gradShare);
  const scale2 = f64x2.splat(scale);
  const end = p + ((<usize>n + 3) >> 2 << 4);
  while (p < end) {
    const pv = v128.load(p);
    let d = f32x4.mul(sign4, v128.load(g));
    if (decay) d = mulAdd(d, wd2, pv);
    if (momentum) {
      const bv = first ? d : mulAdd(f32x4.mul(v128.load(b), m4), share2, d);
      v128.store(b, bv);
      d = nesterov ? mulAdd(d, m2, bv) : bv;
      b += 16;
    }
    v128.store(p, mulAdd(pv, scale2, d));
    p += 16;
    g += 16;
  }
}

/** sgdF32 with only SGD_MOMENTUM set; `unitShare`: gradShare is 1. */
@inline function sgdMomentumLoop(p: usize, g: usize, b: usize, n: i32, sign: f32, m: f32, gradShare: f64, scale: f64, unitShare: bool): void {
  const sign4 = f32x4.splat(sign);
  const m4 = f32x4.splat(m);
  const share2 = f64x2.splat(gradShare);
  const scale2 = f64x2.splat(scale);
  const bytes = (<usize>n + 3) >> 2 << 4;
  for (let i: usize = 0; i < bytes; i += 16) {
    const d = f32x4.mul(sign4, v128.load(g + i));
    const bm = f32x4.mul(v128.load(b + i), m4);
    const bv = unitShare ? f32x4.add(bm, d) : mulAdd(bm, share2, d);
    v128.store(b + i, bv);
    v128.store(p + i, mulAdd(v128.load(p + i), scale2, bv));
  }
}

const ADAM_SHRINK = 1;
const ADAM_L2 = 2;
const ADAM_AMSGRAD = 4;

/**
 * Adam/AdamW over n floats of p, g, the moments m and v and (with ADAM_AMSGRAD) v's running max x, as
 * kernels/js/optim-adam.ts: ADAM_SHRINK `p = float(p*shrink)`; `d = sign*g`, ADAM_L2 `d = float(d + wd*p)`;
 * `m = float(float(m*b1) + c1*d)`; `v = float(v*b2) + float(float(c2*d)*d)` (amsgrad: `v = x = max(x, v)`);
 * `p += float(scale*m) / (sqrt(v)/bc2 + eps)`, each op rounded to float.
 */
export function adamF32(
  p: usize, g: usize, m: usize, v: usize, x: usize, n: i32, flags: i32,
  sign: f32, wd: f64, shrink: f32, b1: f32, c1: f64, b2: f32, c2: f32, bc2: f32, eps: f32, scale: f32,
): void {
  const shrinkWeights = (flags & ADAM_SHRINK) != 0;
  const l2 = (flags & ADAM_L2) != 0;
  const amsgrad = (flags & ADAM_AMSGRAD) != 0;
  const sign4 = f32x4.splat(sign);
  const wd2 = f64x2.splat(wd);
  const shrink4 = f32x4.splat(shrink);
  const b14 = f32x4.splat(b1);
  const c12 = f64x2.splat(c1);
  const b24 = f32x4.splat(b2);
  const c24 = f32x4.splat(c2);
  const bc24 = f32x4.splat(bc2);
  const eps4 = f32x4.splat(eps);
  const scale4 = f32x4.splat(scale);
  const end = p + ((<usize>n + 3) >> 2 << 4);
  while (p < end) {
    let pv = v128.load(p);
    if (shrinkWeights) pv = f32x4.mul(pv, shrink4);
    let d = f32x4.mul(sign4, v128.load(g));
    if (l2) d = mulAdd(d, wd2, pv);
    const mv = mulAdd(f32x4.mul(v128.load(m), b14), c12, d);
    v128.store(m, mv);
    let vv = f32x4.add(f32x4.mul(v128.load(v), b24), f32x4.mul(f32x4.mul(c24, d), d));
    v128.store(v, vv);
    if (amsgrad) {
      vv = f32x4.max(v128.load(x), vv);
      v128.store(x, vv);
      x += 16;
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), bc24), eps4);
    v128.store(p, f32x4.add(pv, f32x4.div(f32x4.mul(scale4, mv), denom)));
    p += 16;
    g += 16;
    m += 16;
    v += 16;
  }
}

const RMSPROP_DECAY = 1;
const RMSPROP_CENTERED = 2;
const RMSPROP_MOMENTUM = 4;

/**
 * RMSprop over n floats of p, g, the square average s and (RMSPROP_CENTERED) the gradient average a and
 * (RMSPROP_MOMENTUM) the momentum buffer b, as kernels/js/optim-rmsprop.ts: `d = sign*g`, RMSPROP_DECAY
 * `d = float(d + wd*p)`; `s = float(s*alpha) + float(float(keep*d)*d)`; centered `a = float(float(a*alpha) +
 * keep*d)`, `avg = sqrt(s - a*a)`, else `avg = sqrt(s)`; `avg += eps`; momentum `b = float(b*m) + d/avg`,
 * `p = float(p + scale*b)`, else `p += float(scale*d) / avg`, each op rounded to float.
 */
export function rmspropF32(
  p: usize, g: usize, s: usize, a: usize, b: usize, n: i32, flags: i32,
  sign: f32, wd: f64, alpha: f32, keep: f32, eps: f32, m: f32, scale: f32,
): void {
  const decay = (flags & RMSPROP_DECAY) != 0;
  const centered = (flags & RMSPROP_CENTERED) != 0;
  const momentum = (flags & RMSPROP_MOMENTUM) != 0;
  const sign4 = f32x4.splat(sign);
  const wd2 = f64x2.splat(wd);
  const alpha4 = f32x4.splat(alpha);
  const keep4 = f32x4.splat(keep);
  const keep2 = f64x2.splat(<f64>keep);
  const eps4 = f32x4.splat(eps);
  const m4 = f32x4.splat(m);
  const scale4 = f32x4.splat(scale);
  const scale2 = f64x2.splat(<f64>scale);
  const bytes = (<usize>n + 3) >> 2 << 4;
  for (let i: usize = 0; i < bytes; i += 16) {
    const pv = v128.load(p + i);
    let d = f32x4.mul(sign4, v128.load(g + i));
    if (decay) d = mulAdd(d, wd2, pv);
    const sv = f32x4.add(f32x4.mul(v128.load(s + i), alpha4), f32x4.mul(f32x4.mul(keep4, d), d));
    v128.store(s + i, sv);
    let avg: v128;
    if (centered) {
      const av = mulAdd(f32x4.mul(v128.load(a + i), alpha4), keep2, d);
      v128.store(a + i, av);
      avg = f32x4.sqrt(f32x4.sub(sv, f32x4.mul(av, av)));
    } else {
      avg = f32x4.sqrt(sv);
    }
    avg = f32x4.add(avg, eps4);
    if (momentum) {
      const bv = f32x4.add(f32x4.mul(v128.load(b + i), m4), f32x4.div(d, avg));
      v128.store(b + i, bv);
      v128.store(p + i, mulAdd(pv, scale2, bv));
    } else {
      v128.store(p + i, f32x4.add(pv, f32x4.div(f32x4.mul(scale4, d), avg)));
    }
  }
}

/**
 * Adagrad over n floats of p, g and the sum of squares s, as kernels/js/optim-adagrad.ts: `d = sign*g`,
 * decay (nonzero flags) `d = float(d + wd*p)`; `s += d*d`; `p += float(scale*d) / (sqrt(s) + eps)`, each op
 * rounded to float.
 */
export function adagradF32(p: usize, g: usize, s: usize, n: i32, decay: i32, sign: f32, wd: f64, eps: f32, scale: f32): void {
  const sign4 = f32x4.splat(sign);
  const wd2 = f64x2.splat(wd);
  const eps4 = f32x4.splat(eps);
  const scale4 = f32x4.splat(scale);
  const bytes = (<usize>n + 3) >> 2 << 4;
  for (let i: usize = 0; i < bytes; i += 16) {
    const pv = v128.load(p + i);
    let d = f32x4.mul(sign4, v128.load(g + i));
    if (decay != 0) d = mulAdd(d, wd2, pv);
    const sv = f32x4.add(v128.load(s + i), f32x4.mul(d, d));
    v128.store(s + i, sv);
    const std = f32x4.add(f32x4.sqrt(sv), eps4);
    v128.store(p + i, f32x4.add(pv, f32x4.div(f32x4.mul(scale4, d), std)));
  }
}
