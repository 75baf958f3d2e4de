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
