// Fused optimizer updates on tensors (as PyTorch's torch._fused_sgd_ / _fused_adam_ / _fused_adagrad_): one kernel call per
// parameter updates it and its state in place, through the 'optim.*' kernels of the active backend. Every
// operand must be contiguous and of the parameter's float dtype; @minigrad/optim makes them so. Like the
// tensor in-place ops, each bumps storage.version of every tensor it writes.
import { bumpVersion } from '../capture/recording.js';
import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import type { AdagradHyper } from '../kernels/js/optim-adagrad.js';
import type { AdamHyper } from '../kernels/js/optim-adam.js';
import type { RmspropHyper } from '../kernels/js/optim-rmsprop.js';
import type { SgdHyper } from '../kernels/js/optim-sgd.js';
import { getKernel } from '../kernels/registry.js';
import type { FloatArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';

export type { AdagradHyper } from '../kernels/js/optim-adagrad.js';
export type { AdamHyper } from '../kernels/js/optim-adam.js';
export type { RmspropHyper } from '../kernels/js/optim-rmsprop.js';
export type { SgdHyper } from '../kernels/js/optim-sgd.js';

/** Throws unless `t` is a contiguous tensor of the parameter's dtype and size. */
function checkOperand(op: string, name: string, t: Tensor, param: Tensor): void {
  if (t.dtype !== param.dtype || !isFloat(t.dtype)) {
    throw new DTypeError(op, `${name} has dtype ${t.dtype}, expected a float dtype equal to the parameter's (${param.dtype})`);
  }
  if (t.numel() !== param.numel()) {
    throw new ShapeError(op, `${name} has shape ${fmtShape(t.shape)}, the parameter ${fmtShape(param.shape)}`);
  }
  if (!t.isContiguous()) throw new ShapeError(op, `${name} (shape ${fmtShape(t.shape)}) must be contiguous`);
}

/**
 * One SGD step of `param` in place (torch.optim.SGD): `g = grad + wd*param` (grad negated by maximize);
 * with a momentum buffer `buf = first ? g : momentum*buf + (1 - dampening)*g`, then
 * `param -= lr * (nesterov ? g + momentum*buf : buf)`; without one `param -= lr * g`. `first` marks the
 * buffer's first step (its contents are then ignored).
 */
export function sgdUpdate(param: Tensor, grad: Tensor, buf: Tensor | null, first: boolean, options: SgdHyper): void {
  const op = 'sgdUpdate';
  checkOperand(op, 'param', param, param);
  checkOperand(op, 'grad', grad, param);
  if (buf !== null) checkOperand(op, 'momentum buffer', buf, param);
  getKernel('optim.sgd')(
    param.numel(), param.data as FloatArray, param.offset, grad.data as FloatArray, grad.offset,
    buf === null ? null : (buf.data as FloatArray), buf === null ? 0 : buf.offset, first, options,
  );
  bumpVersion(param.storage);
  if (buf !== null) bumpVersion(buf.storage);
}

/**
 * One Adam (decoupled false) or AdamW (decoupled true) step of `param` in place, `step` counting from 1:
 * AdamW first shrinks `param *= 1 - lr*wd`, Adam adds `wd*param` to the gradient (negated by maximize);
 * `expAvg = b1*expAvg + (1-b1)*g`, `expAvgSq = b2*expAvgSq + (1-b2)*g^2`, with amsgrad (`maxExpAvgSq` given)
 * `maxExpAvgSq = max(maxExpAvgSq, expAvgSq)` is used in its place as v; `param -= lr/(1-b1^step) * expAvg /
 * (sqrt(v)/sqrt(1-b2^step) + eps)`. Each partial result is rounded to the dtype, as PyTorch's.
 */
export function adamUpdate(
  param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | null, step: number, decoupled: boolean,
  options: AdamHyper,
): void {
  const op = 'adamUpdate';
  checkOperand(op, 'param', param, param);
  checkOperand(op, 'grad', grad, param);
  checkOperand(op, 'expAvg', expAvg, param);
  checkOperand(op, 'expAvgSq', expAvgSq, param);
  if (maxExpAvgSq !== null) checkOperand(op, 'maxExpAvgSq', maxExpAvgSq, param);
  getKernel('optim.adam')(
    param.numel(), param.data as FloatArray, param.offset, grad.data as FloatArray, grad.offset,
    expAvg.data as FloatArray, expAvg.offset, expAvgSq.data as FloatArray, expAvgSq.offset,
    maxExpAvgSq === null ? null : (maxExpAvgSq.data as FloatArray), maxExpAvgSq === null ? 0 : maxExpAvgSq.offset,
    step, decoupled, options,
  );
  bumpVersion(param.storage);
  bumpVersion(expAvg.storage);
  bumpVersion(expAvgSq.storage);
  if (maxExpAvgSq !== null) bumpVersion(maxExpAvgSq.storage);
}

/**
 * One RMSprop step of `param` in place (torch.optim.RMSprop): `g = grad + wd*param` (grad negated by
 * maximize); `squareAvg = alpha*squareAvg + (1-alpha)*g^2`; centered (`gradAvg` given) `gradAvg = alpha*gradAvg +
 * (1-alpha)*g` and `avg = sqrt(squareAvg - gradAvg^2) + eps`, else `avg = sqrt(squareAvg) + eps`; with a momentum
 * buffer `buf = momentum*buf + g/avg`, `param -= lr*buf`, else `param -= lr*g/avg`.
 */
export function rmspropUpdate(
  param: Tensor, grad: Tensor, squareAvg: Tensor, gradAvg: Tensor | null, buf: Tensor | null, options: RmspropHyper,
): void {
  const op = 'rmspropUpdate';
  checkOperand(op, 'param', param, param);
  checkOperand(op, 'grad', grad, param);
  checkOperand(op, 'squareAvg', squareAvg, param);
  if (gradAvg !== null) checkOperand(op, 'gradAvg', gradAvg, param);
  if (buf !== null) checkOperand(op, 'momentum buffer', buf, param);
  getKernel('optim.rmsprop')(
    param.numel(), param.data as FloatArray, param.offset, grad.data as FloatArray, grad.offset,
    squareAvg.data as FloatArray, squareAvg.offset, gradAvg === null ? null : (gradAvg.data as FloatArray), gradAvg === null ? 0 : gradAvg.offset,
    buf === null ? null : (buf.data as FloatArray), buf === null ? 0 : buf.offset, options,
  );
  bumpVersion(param.storage);
  bumpVersion(squareAvg.storage);
  if (gradAvg !== null) bumpVersion(gradAvg.storage);
  if (buf !== null) bumpVersion(buf.storage);
}

/**
 * One Adagrad step (number `step`, from 1) of `param` in place (torch.optim.Adagrad): `g = grad + wd*param`
 * (grad negated by maximize), `sum += g^2`, `param -= lr/(1 + (step-1)*lrDecay) * g/(sqrt(sum) + eps)`.
 */
export function adagradUpdate(param: Tensor, grad: Tensor, sum: Tensor, step: number, options: AdagradHyper): void {
  const op = 'adagradUpdate';
  checkOperand(op, 'param', param, param);
  checkOperand(op, 'grad', grad, param);
  checkOperand(op, 'sum', sum, param);
  getKernel('optim.adagrad')(
    param.numel(), param.data as FloatArray, param.offset, grad.data as FloatArray, grad.offset, sum.data as FloatArray, sum.offset, step, options,
  );
  bumpVersion(param.storage);
  bumpVersion(sum.storage);
}
