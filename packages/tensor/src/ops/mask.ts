// Boolean-mask ops: maskedFill (out of place) and maskedSelect. The mask broadcasts with the input, as in
// PyTorch, so the result of maskedFill has the broadcast shape and maskedSelect walks it in row-major order.
import { refuseCapture } from '../capture/recording.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { describeValue } from '../validate.js';
import { to } from './convert.js';
import { checkTensor, where } from './elementwise.js';
import { contiguous, expand } from './views.js';
import { roundToDType } from '../dtype.js';

/** Throws unless mask is a bool tensor; the message says how to get one. */
export function checkMask(op: string, mask: unknown): asserts mask is Tensor {
  checkTensor(op, mask, 'mask');
  if (mask.dtype !== 'bool') {
    throw new DTypeError(op, `mask must be a bool tensor, got ${mask.dtype} (shape ${fmtShape(mask.shape)}); use a comparison (x.gt(0)) or mask.bool()`);
  }
}

/** x with `value` where mask is true (x's dtype; the shape of x and mask broadcast together). */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  checkTensor('maskedFill', x, 'input');
  checkMask('maskedFill', mask);
  let fillWith: number | Tensor;
  if (typeof value === 'number') fillWith = roundToDType(value, x.dtype);
  else if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new ShapeError('maskedFill', `value must be a number or a 0-d tensor, got a tensor of shape ${fmtShape(value.shape)}`);
    fillWith = to(value, x.dtype);
  } else {
    throw new DTypeError('maskedFill', `value must be a number or a 0-d tensor, got ${describeValue(value)}`);
  }
  broadcastShapes('maskedFill', x.shape, mask.shape);
  const out = where(mask, fillWith, x);
  return out.dtype === x.dtype ? out : to(out, x.dtype);
}

/** The elements of x where mask is true, as a 1-D tensor (x and mask broadcast together; row-major order). */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensor('maskedSelect', x, 'input');
  checkMask('maskedSelect', mask);
  refuseCapture('maskedSelect: the size of its result depends on the values');
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const xs = contiguous(expand(x, shape, 'maskedSelect'));
  const ms = contiguous(expand(mask, shape, 'maskedSelect'));
  const md = ms.data;
  const n = xs.numel();
  let count = 0;
  for (let i = 0; i < n; i++) count += md[ms.offset + i];
  const out = Tensor.zeros([count], x.dtype);
  const xd = xs.data;
  const od = out.data;
  for (let i = 0, k = 0; i < n; i++) if (md[ms.offset + i] !== 0) od[k++] = xd[xs.offset + i];
  return out;
}
