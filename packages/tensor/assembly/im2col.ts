// im2col / col2im for the wasm conv kernels: the same unfolding as src/kernels/js/conv-im2col.ts (see there),
// over float32 byte addresses. For each kernel tap the range of output columns inside the image is computed
// once, so the inner loops test no bounds. im2col and col2im repeat that walk on purpose (here and in JS): one
// walker with a direction flag or a per-row callback would put a test or a call in the conv's hot path.

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
            for (let ow = 0; ow < oW; ow++) store<f32>(dst + (<usize>ow << 2), 0);
          } else {
            for (let ow = 0; ow < lo; ow++) store<f32>(dst + (<usize>ow << 2), 0);
            const src = x + (<usize>(c * plane + ih * W + base) << 2);
            if (strideW == 1) {
              for (let ow = lo; ow < hi; ow++) store<f32>(dst + (<usize>ow << 2), load<f32>(src + (<usize>ow << 2)));
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
            for (let ow = lo; ow < hi; ow++) {
              const d = dst + (<usize>(ow * strideW) << 2);
              store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ow << 2)));
            }
          }
          src += <usize>oW << 2;
        }
      }
    }
  }
}
