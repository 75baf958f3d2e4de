// im2col / col2im for the wasm conv kernels: the same unfolding as src/kernels/js/conv-im2col.ts (see there),
// over float32 byte addresses. For each kernel tap the range of output columns inside the image is computed
// once, so the inner loops test no bounds. im2col and col2im repeat that walk on purpose (here and in JS): one
// walker with a direction flag or a per-row callback would put a test or a call in the conv's hot path.
// With stride 1 along the width (every layer of the bench CNN) a row segment is contiguous in the image and
// in the columns, and its copy (im2col) or sum (col2im) runs four floats at a time: each element still
// gets the same float32 value or the same float32 additions in the same order, so the result is the
// scalar loop's bit for bit.

/** Zeroes n floats from byte address dst. */
// @ts-ignore: decorator
@inline
function zeroFloats(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** Copies n floats from byte address src to dst (the two ranges do not overlap). */
// @ts-ignore: decorator
@inline
function copyFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[i] += src[i] for n floats from byte addresses dst and src (float32 sums, as the scalar loop). */
// @ts-ignore: decorator
@inline
function addFloats(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d = dst + (<usize>i << 2);
    v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    const d = dst + (<usize>i << 2);
    store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
  }
}

/** First output column whose tap (input column ow*stride + base) is >= lo, clamped to [0, oW]. */
// @ts-ignore: decorator
@inline
function firstColumnAtLeast(lo: i32, base: i32, stride: i32, oW: i32): i32 {
  const d = lo - base;
  // ceil(d / stride) for any sign of d.
  const q = d > 0 ? (d + stride - 1) / stride : -((-d) / stride);
  return min(oW, max(0, q));
}

/** col[(c*kH*kW + kh*kW + kw)*L + oh*oW + ow] = x[c*H*W + ih*W + iw], 0 where the tap is in the padding. */
export function im2col(
  x: usize, channels: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, col: usize,
): void {
  const plane = H * W;
  let dst = col;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const base = kw * dilationW - padLeft;
        const lo = firstColumnAtLeast(0, base, strideW, oW);
        const hi = max(lo, firstColumnAtLeast(W, base, strideW, oW));
        for (let oh = 0; oh < oH; oh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= H) {
            zeroFloats(dst, oW);
          } else {
            for (let ow = 0; ow < lo; ow++) store<f32>(dst + (<usize>ow << 2), 0);
            const src = x + (<usize>(c * plane + ih * W + base) << 2);
            if (strideW == 1) {
              copyFloats(dst + (<usize>lo << 2), src + (<usize>lo << 2), hi - lo);
            } else {
              for (let ow = lo; ow < hi; ow++) store<f32>(dst + (<usize>ow << 2), load<f32>(src + (<usize>(ow * strideW) << 2)));
            }
            for (let ow = hi; ow < oW; ow++) store<f32>(dst + (<usize>ow << 2), 0);
          }
          dst += <usize>oW << 2;
        }
      }
    }
  }
}

/** The adjoint of im2col: img[c*H*W + ih*W + iw] += every col entry that im2col read from there. */
export function col2im(
  col: usize, channels: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, img: usize,
): void {
  const plane = H * W;
  let src = col;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const base = kw * dilationW - padLeft;
        const lo = firstColumnAtLeast(0, base, strideW, oW);
        const hi = max(lo, firstColumnAtLeast(W, base, strideW, oW));
        for (let oh = 0; oh < oH; oh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih >= 0 && ih < H) {
            const dst = img + (<usize>(c * plane + ih * W + base) << 2);
            if (strideW == 1) {
              addFloats(dst + (<usize>lo << 2), src + (<usize>lo << 2), hi - lo);
            } else {
              for (let ow = lo; ow < hi; ow++) {
                const d = dst + (<usize>(ow * strideW) << 2);
                store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ow << 2)));
              }
            }
          }
          src += <usize>oW << 2;
        }
      }
    }
  }
}
