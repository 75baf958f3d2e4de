// Max pooling for the wasm backend: the same windows, tie and NaN rules as src/kernels/js/pool.ts (see
// there), over float32 planes at byte addresses.

/** Smallest t >= 0 with start + t*step >= 0 (the first window tap inside the image). */
// @ts-ignore: decorator
@inline
function firstInside(start: i32, step: i32): i32 {
  return start >= 0 ? start : start + ((-start + step - 1) / step) * step;
}

/**
 * values = max over each window (padding is -inf), indices = its argmax in the input plane (ih*W + iw).
 * Windows of 2x2, stride 2, no padding or dilation (a CNN's pooling) take maxPool2x2.
 */
export function maxPool2d(
  x: usize, planes: i32, H: i32, W: i32, oH: i32, oW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, values: usize, indices: usize,
): void {
  const plain = kH == 2 && kW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0 && dilationH == 1 && dilationW == 1;
  if (plain && oW >= 4 && 2 * oH <= H && 2 * oW <= W) {
    maxPool2x2(x, planes, H, W, oH, oW, values, indices);
    return;
  }
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
            // Selects, not a branch: on real activations the comparison is a coin flip.
            const take = <bool>(<i32>(v > best) | <i32>(v != v));
            best = select<f32>(v, best, take);
            bestIndex = select<i32>(idx, bestIndex, take);
          }
        }
        store<f32>(values + (o << 2), best);
        store<i32>(indices + (o << 2), bestIndex);
        o++;
      }
    }
  }
}

/**
 * 2x2 windows with stride 2 (all inside the image, oW >= 4), four outputs per step: two rows of eight inputs
 * split into the four taps of each window (even and odd columns), then folded in the scalar loop's order
 * (top-left, top-right, bottom-left, bottom-right) with its rule (take v if v > best or v is NaN), lane-wise.
 * A row's last step starts at oW - 4, redoing up to three outputs with the same results.
 */
function maxPool2x2(x: usize, planes: i32, H: i32, W: i32, oH: i32, oW: i32, values: usize, indices: usize): void {
  const rowBytes = <usize>W << 2;
  const even = i32x4(0, 2, 4, 6);
  const one = i32x4.splat(1);
  const below = i32x4.splat(W);
  for (let p = 0; p < planes; p++) {
    const plane = x + <usize>p * <usize>(H * W) * 4;
    for (let oh = 0; oh < oH; oh++) {
      const top = plane + <usize>(2 * oh) * rowBytes;
      const bottom = top + rowBytes;
      const outRow = <usize>((p * oH + oh) * oW);
      for (let ow = 0; ow < oW; ow += 4) {
        const q = min(ow, oW - 4);
        const col = <usize>(2 * q) << 2;
        const t0 = v128.load(top + col), t1 = v128.load(top + col + 16);
        const b0 = v128.load(bottom + col), b1 = v128.load(bottom + col + 16);
        const iTopLeft = i32x4.add(i32x4.splat(2 * oh * W + 2 * q), even);
        let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
        let bestIndex = iTopLeft;
        let v = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        let take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, take);
        bestIndex = v128.bitselect(i32x4.add(iTopLeft, one), bestIndex, take);
        const iBottomLeft = i32x4.add(iTopLeft, below);
        v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, take);
        bestIndex = v128.bitselect(iBottomLeft, bestIndex, take);
        v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, take);
        bestIndex = v128.bitselect(i32x4.add(iBottomLeft, one), bestIndex, take);
        const at = (outRow + <usize>q) << 2;
        v128.store(values + at, best);
        v128.store(indices + at, bestIndex);
      }
    }
  }
}

/**
 * gradIn [planes, inPlane] (zeroed by the caller) += gradOut [planes, outPlane] routed to the argmax indices, in
 * order; returns -1, or the position of the first index outside [0, inPlane) (the caller throws).
 */
export function maxPool2dBackward(planes: i32, inPlane: i32, outPlane: i32, gradOut: usize, indices: usize, gradIn: usize): i32 {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = gradIn + <usize>p * <usize>inPlane * 4;
    for (const end = o + outPlane; o < end; o++) {
      const j = load<i32>(indices + (<usize>o << 2));
      if (<u32>j >= <u32>inPlane) return o;
      const at = base + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(gradOut + (<usize>o << 2)));
    }
  }
  return -1;
}
