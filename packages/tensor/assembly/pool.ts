// Max pooling for the wasm backend: the same windows, tie and NaN rules as src/kernels/js/pool.ts (see
// there), over float32 planes at byte addresses.

/** Smallest t >= 0 with start + t*step >= 0 (the first window tap inside the image). */
// @ts-ignore: decorator
@inline
function firstInside(start: i32, step: i32): i32 {
  return start >= 0 ? start : start + ((-start + step - 1) / step) * step;
}

/** values = max over each window (padding is -inf), indices = its argmax in the input plane (ih*W + iw). */
export function maxPool2d(
  x: usize, planes: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, values: usize, indices: usize,
): void {
  const planeBytes = <usize>(H * W) << 2;
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const base = x + <usize>p * planeBytes;
    for (let oh = 0; oh < oH; oh++) {
      const hStart = oh * strideH - padH;
      const hEnd = min(hStart + (kH - 1) * dilationH + 1, H);
      const h0 = firstInside(hStart, dilationH);
      for (let ow = 0; ow < oW; ow++) {
        const wStart = ow * strideW - padW;
        const wEnd = min(wStart + (kW - 1) * dilationW + 1, W);
        const w0 = firstInside(wStart, dilationW);
        let best = <f32>-Infinity;
        let bestIndex = h0 * W + w0;
        for (let ih = h0; ih < hEnd; ih += dilationH) {
          for (let iw = w0; iw < wEnd; iw += dilationW) {
            const idx = ih * W + iw;
            const v = load<f32>(base + (<usize>idx << 2));
            if (v > best || v != v) {
              best = v;
              bestIndex = idx;
            }
          }
        }
        store<f32>(values + (o << 2), best);
        store<i32>(indices + (o << 2), bestIndex);
        o++;
      }
    }
  }
}
