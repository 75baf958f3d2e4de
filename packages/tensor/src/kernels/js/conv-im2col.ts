// im2col / col2im: unfold the receptive fields of a conv input into the columns of a [C*kH*kW, oH*oW]
// matrix (and fold such a matrix back, summing overlaps). For each kernel tap the range of output columns
// that reads inside the image is computed once, so the inner loops never test bounds. The two functions repeat
// that walk on purpose: one walker with a direction flag or a per-row callback would sit in the conv hot path.
import type { GemmArray } from './gemm.js';
import type { ConvGeometry } from './conv.js';

/** A 1x1 kernel with stride 1 and no padding: the input plane already is the column matrix. */
export function isPointwise(g: ConvGeometry): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 &&
    g.oH === g.H && g.oW === g.W;
}

/** First output column whose tap (at input column ow*stride + base) is >= lo, clamped to [0, oW]. */
function firstColumnAtLeast(lo: number, base: number, stride: number, oW: number): number {
  return Math.min(oW, Math.max(0, Math.ceil((lo - base) / stride)));
}

/** col[(c*kH*kW + kh*kW + kw)*L + oh*oW + ow] = x[xOff + c*H*W + ih*W + iw], 0 where the tap is in the padding. */
export function im2col(g: ConvGeometry, x: GemmArray, xOff: number, channels: number, col: GemmArray): void {
  const { H, W, oH, oW, kH, kW, strideH, strideW, padTop, padLeft, dilationH, dilationW } = g;
  const plane = H * W;
  const L = oH * oW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++, row++) {
        const base = kw * dilationW - padLeft;
        const lo = firstColumnAtLeast(0, base, strideW, oW);
        const hi = Math.max(lo, firstColumnAtLeast(W, base, strideW, oW));
        for (let oh = 0; oh < oH; oh++) {
          const dst = row * L + oh * oW;
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= H) {
            for (let ow = 0; ow < oW; ow++) col[dst + ow] = 0;
            continue;
          }
          for (let ow = 0; ow < lo; ow++) col[dst + ow] = 0;
          const src = xOff + c * plane + ih * W + base;
          if (strideW === 1) for (let ow = lo; ow < hi; ow++) col[dst + ow] = x[src + ow];
          else for (let ow = lo; ow < hi; ow++) col[dst + ow] = x[src + ow * strideW];
          for (let ow = hi; ow < oW; ow++) col[dst + ow] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: img[imgOff + c*H*W + ih*W + iw] += every col entry that im2col read from there. */
export function col2im(g: ConvGeometry, col: GemmArray, img: GemmArray, imgOff: number, channels: number): void {
  const { H, W, oH, oW, kH, kW, strideH, strideW, padTop, padLeft, dilationH, dilationW } = g;
  const plane = H * W;
  const L = oH * oW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++, row++) {
        const base = kw * dilationW - padLeft;
        const lo = firstColumnAtLeast(0, base, strideW, oW);
        const hi = Math.max(lo, firstColumnAtLeast(W, base, strideW, oW));
        for (let oh = 0; oh < oH; oh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= H) continue;
          const src = row * L + oh * oW;
          const dst = imgOff + c * plane + ih * W + base;
          if (strideW === 1) for (let ow = lo; ow < hi; ow++) img[dst + ow] += col[src + ow];
          else for (let ow = lo; ow < hi; ow++) img[dst + ow * strideW] += col[src + ow];
        }
      }
    }
  }
}
