// Float64 working values handed back as float32 data: a kernel that accumulates in float64 (norm, channel
// sums) leaves its results for this, instead of JavaScript reading them out of wasm memory.

/**
 * dst[i] = float32(src[i] * scale) for n float64s at src and n float32s at dst (byte addresses): one rounding,
 * as JavaScript's store of `src[i] * scale` into a Float32Array.
 */
export function f64ToF32(src: usize, dst: usize, n: i32, scale: f64): void {
  const end = src + (<usize>n << 3);
  for (; src < end; src += 8, dst += 4) store<f32>(dst, <f32>(load<f64>(src) * scale));
}
