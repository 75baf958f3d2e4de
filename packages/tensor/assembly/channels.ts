// Per-channel kernels over a contiguous [N, C, L] float32 block at byte addresses: the conv bias gradient's sum
// and the conv forward's bias add (src/kernels/js/reduce.ts and conv.ts hold the JS twins).

/**
 * acc[c] (float64, C of them, overwritten) = sum over n of (sum over i of x[(n*C + c)*L + i]): each (n, c) run
 * summed from 0 in a double in i order, then added to its channel's total in n order, exactly as the JS
 * kernel does. The runs are independent sums, so eight advance together (eight dependency chains instead
 * of one); each keeps its own order, so the totals are bit-identical to the JS kernel's.
 */
export function sumChannels(x: usize, N: i32, C: i32, L: i32, acc: usize): void {
  for (let c = 0; c < C; c++) store<f64>(acc + (<usize>c << 3), 0);
  const runs = N * C;
  const run = <usize>L << 2;
  let r = 0;
  let c = 0;
  for (; r + 8 <= runs; r += 8) {
    let p = x + <usize>r * run;
    const end = p + run;
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    for (; p < end; p += 4) {
      s0 += <f64>load<f32>(p);
      s1 += <f64>load<f32>(p + run);
      s2 += <f64>load<f32>(p + 2 * run);
      s3 += <f64>load<f32>(p + 3 * run);
      s4 += <f64>load<f32>(p + 4 * run);
      s5 += <f64>load<f32>(p + 5 * run);
      s6 += <f64>load<f32>(p + 6 * run);
      s7 += <f64>load<f32>(p + 7 * run);
    }
    c = addToChannel(acc, c, C, s0);
    c = addToChannel(acc, c, C, s1);
    c = addToChannel(acc, c, C, s2);
    c = addToChannel(acc, c, C, s3);
    c = addToChannel(acc, c, C, s4);
    c = addToChannel(acc, c, C, s5);
    c = addToChannel(acc, c, C, s6);
    c = addToChannel(acc, c, C, s7);
  }
  for (; r < runs; r++) {
    let p = x + <usize>r * run;
    const end = p + run;
    let s = 0.0;
    for (; p < end; p += 4) s += <f64>load<f32>(p);
    c = addToChannel(acc, c, C, s);
  }
}

/** acc[c] += s; returns the next run's channel. */
// @ts-ignore: decorator
@inline
function addToChannel(acc: usize, c: i32, C: i32, s: f64): i32 {
  const at = acc + (<usize>c << 3);
  store<f64>(at, load<f64>(at) + s);
  return c + 1 == C ? 0 : c + 1;
}

/**
 * out[(n*C + c)*L + i] += bias[c]. A float32 add equals the JS kernel's (the double sum of two floats rounds
 * to the same float32), so this is bit-identical to it.
 */
export function addChannelBias(N: i32, C: i32, L: i32, bias: usize, out: usize): void {
  const L4 = L & ~3;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const bs = load<f32>(bias + (<usize>c << 2));
      const b = f32x4.splat(bs);
      let p = out + (<usize>(n * C + c) * <usize>L << 2);
      const end4 = p + (<usize>L4 << 2);
      const end = p + (<usize>L << 2);
      for (; p < end4; p += 16) v128.store(p, f32x4.add(v128.load(p), b));
      for (; p < end; p += 4) store<f32>(p, load<f32>(p) + bs);
    }
  }
}
