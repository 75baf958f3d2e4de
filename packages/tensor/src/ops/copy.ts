// Strided copy with dtype conversion: the one routine behind clone, contiguous, to(dtype) and copyFrom.
import { getKernel } from '../kernels/registry.js';
import { broadcastStrides } from '../shape.js';
import { forEachRun } from '../iter.js';
import type { Tensor } from '../tensor.js';

/** Writes src (broadcast to dst's shape, cast to dst's dtype) into dst through dst's strides. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const kernel = getKernel(dst.dtype === 'bool' && src.dtype !== 'bool' ? 'unary.toBool' : 'unary.copy');
  const xd = src.data;
  const od = dst.data;
  if (dst.isContiguous() && src.isContiguous() && src.numel() === dst.numel()) {
    kernel(dst.numel(), xd, src.offset, 1, od, dst.offset, 1, 0, 0);
    return;
  }
  const sStrides = broadcastStrides(src.shape, src.strides, dst.shape);
  forEachRun(dst.shape, [dst.strides, sStrides], [dst.offset, src.offset], (o, n, s) =>
    kernel(n, xd, o[1], s[1], od, o[0], s[0], 0, 0),
  );
}
