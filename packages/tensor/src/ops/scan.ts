// Scans along one dim: cumsum.
import { type DType, isDType, unknownDTypeMessage } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import { getKernel } from '../kernels/registry.js';
import { Tensor } from '../tensor.js';
import { checkOptions } from '../validate.js';
import { alongDim } from './along-dim.js';
import { to } from './convert.js';
import { checkTensor } from './elementwise.js';

/** Options of `cumsum`. */
export interface CumsumOptions {
  /** Converts the input to this dtype first (as PyTorch's dtype argument). */
  dtype?: DType;
}

/**
 * Running sums along dim. bool and int32 inputs sum in int32 (PyTorch's int64), floats keep their dtype; with
 * `dtype`, the input is converted first.
 */
export function cumsum(x: Tensor, dim: number, opts?: CumsumOptions): Tensor {
  checkTensor('cumsum', x, 'input');
  const { dtype } = checkOptions('cumsum', opts, ['dtype']);
  if (dtype !== undefined && !isDType(dtype)) throw new ArgumentError('cumsum', unknownDTypeMessage(dtype));
  if (dtype === 'bool') throw new ArgumentError('cumsum', "dtype must be 'float32', 'float64' or 'int32', got 'bool'");
  const outDtype = dtype ?? (x.dtype === 'bool' ? 'int32' : x.dtype);
  const src = outDtype === x.dtype ? x : to(x, outDtype);
  const l = alongDim('cumsum', src, dim);
  const out = Tensor.zeros(x.shape, outDtype);
  if (x.numel() > 0) getKernel('cumsum')(l.outer, l.R, l.inner, l.src.data, l.src.offset, out.data);
  return out;
}
