// Zero-filling a float32 region in wasm: the JS `fill` of a view of a shared memory (worker threads) goes through
// relaxed atomic stores, about 10x slower than a plain fill (src/kernels/wasm/instance.ts).

/** Zeroes n floats from byte address `at` (a multiple of 4). */
export function zeroF32(at: usize, n: i32): void {
  const end = at + (<usize>n << 2);
  const body = at + (<usize>(n & ~15) << 2);
  const zero = f32x4.splat(0);
  let p = at;
  for (; p < body; p += 64) {
    v128.store(p, zero);
    v128.store(p, zero, 16);
    v128.store(p, zero, 32);
    v128.store(p, zero, 48);
  }
  for (; p < end; p += 4) store<f32>(p, 0);
}
