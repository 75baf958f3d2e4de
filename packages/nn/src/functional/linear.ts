// Linear maps: y = x W^T + b, and the bilinear form y_k = x1^T A_k x2 + b_k.
import { ShapeError, fmtShape } from '@minigrad/tensor';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';
import { fitsLinearOp, linearFused } from './linear-op.js';

/** x `[..., in]`, weight `[out, in]`, bias `[out]` -> `[..., out]`. */
export function linear(x: TensorLike, weight: TensorLike, bias: TensorLike | null = null): Variable {
  x = asVariable(x, 'linear', 'input');
  weight = asVariable(weight, 'linear', 'weight');
  if (bias !== null) bias = asVariable(bias, 'linear', 'bias');
  const inF = weight.shape[weight.shape.length - 1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError('linear', `input ${fmtShape(x.shape)} does not end in ${inF} features (weight ${fmtShape(weight.shape)})`);
  }
  if (fitsLinearOp(x, weight, bias)) return linearFused(x, weight, bias);
  const y = x.matmul(weight.t());
  return bias === null ? y : y.add(bias);
}

/** x1 `[..., in1]`, x2 `[..., in2]`, weight `[out, in1, in2]`, bias `[out]` -> `[..., out]`. */
export function bilinear(x1: TensorLike, x2: TensorLike, weight: TensorLike, bias: TensorLike | null = null): Variable {
  x1 = asVariable(x1, 'bilinear', 'input1');
  x2 = asVariable(x2, 'bilinear', 'input2');
  weight = asVariable(weight, 'bilinear', 'weight');
  if (bias !== null) bias = asVariable(bias, 'bilinear', 'bias');
  if (weight.ndim !== 3) throw new ShapeError('bilinear', `weight ${fmtShape(weight.shape)} must be 3-d [out, in1, in2]`);
  const [outF, in1, in2] = weight.shape;
  const lead = x1.shape.slice(0, -1);
  if (x1.shape[x1.ndim - 1] !== in1 || x2.shape[x2.ndim - 1] !== in2 || fmtShape(lead) !== fmtShape(x2.shape.slice(0, -1))) {
    throw new ShapeError(
      'bilinear',
      `inputs ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} do not fit weight ${fmtShape(weight.shape)}`,
    );
  }
  // (x1 [B, in1]) @ (W viewed as [in1, out*in2]) -> [B, out, in2], then contract in2 with x2.
  const b = lead.reduce((a, s) => a * s, 1);
  const left = x1.reshape([b, in1]).matmul(weight.permute([1, 0, 2]).reshape([in1, outF * in2])).reshape([b, outF, in2]);
  let y = left.mul(x2.reshape([b, 1, in2])).sum(2);
  if (bias !== null) y = y.add(bias);
  return y.reshape([...lead, outF]);
}
