// Elementwise kernels for the wasm backend, over contiguous float32 at byte addresses.

/** out[i] = x[i] < 0 ? 0 : x[i] (NaN and -0 pass through), branch-free: a mask clears the negative lanes. */
export function relu(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = x + (<usize>n << 2);
  const end4 = x + (<usize>(n & ~3) << 2);
  while (x < end4) {
    const v = v128.load(x);
    v128.store(out, v128.andnot(v, f32x4.lt(v, zero)));
    x += 16;
    out += 16;
  }
  while (x < end) {
    const v = load<f32>(x);
    store<f32>(out, v < 0 ? 0 : v);
    x += 4;
    out += 4;
  }
}

/**
 * out[i] = y[i] > 0 ? g[i] : +0 (relu's gradient from its saved output y), as the JS kernel computes it: g's
 * bits ANDed with the comparison mask (a NaN y masks to +0; NaN and Inf in g pass where y > 0).
 */
export function reluBackward(g: usize, y: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = g + (<usize>n << 2);
  const end4 = g + (<usize>(n & ~3) << 2);
  while (g < end4) {
    v128.store(out, v128.and(v128.load(g), f32x4.gt(v128.load(y), zero)));
    g += 16;
    y += 16;
    out += 16;
  }
  while (g < end) {
    store<i32>(out, load<i32>(g) & -(<i32>(load<f32>(y) > 0)));
    g += 4;
    y += 4;
    out += 4;
  }
}
