// Cross entropy and negative log likelihood over class dim 1 ([N, C] or [N, C, d1, ...]; [C] unbatched),
// with class-index targets (int32, ignoreIndex, class weights, label smoothing) or probability targets.
import { where as selectWhere, type TensorLike, type Variable } from '@minigrad/autograd';
import { IndexError, ShapeError, Tensor, checkIndexDType, isFloat, where, fmtShape, sameShape } from '@minigrad/tensor';
import { guardedRead } from '@minigrad/tensor/internal';
import { asVariable, checkFloat, checkTensorLike, lossOptions, reduce, tensorOf, type Reduction } from './reduction.js';

/** Options of `nllLoss` and `NLLLoss`. */
export interface NLLLossOptions {
  /** One rescaling weight per class, shape [C]. */
  weight?: Variable | Tensor | null;
  /** Targets equal to it contribute nothing, to the loss or to the mean's denominator. */
  ignoreIndex?: number;
  /** How the per-element losses are combined: 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Options of `crossEntropy` and `CrossEntropyLoss`. */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** e in [0, 1]: the target becomes (1 - e) one-hot + e / C uniform. */
  labelSmoothing?: number;
}

export const NLL_OPTIONS = ['weight', 'ignoreIndex', 'reduction'] as const;
export const CROSS_ENTROPY_OPTIONS = [...NLL_OPTIONS, 'labelSmoothing'] as const;

/** [C] with a 0-d target is one unbatched sample: treat it as a batch of one. */
function batched(op: string, input: TensorLike, target: Variable | Tensor): [Variable, Variable | Tensor, boolean] {
  const x = asVariable(checkTensorLike(op, 'input', input));
  checkTensorLike(op, 'target', target);
  if (x.ndim !== 1) return [x, target, false];
  const t = target.ndim === 0 ? target.unsqueeze(0) : target.ndim === 1 && target.dtype !== 'int32' ? target.unsqueeze(0) : target;
  return [x.unsqueeze(0), t, true];
}

function checkWeight(op: string, weight: Variable | Tensor | null, c: number): Tensor | null {
  if (weight === null) return null;
  checkFloat(op, 'weight', weight);
  if (weight.ndim !== 1 || weight.shape[0] !== c) {
    throw new ShapeError(op, `weight has shape ${fmtShape(weight.shape)}, expected one value per class [${c}]`);
  }
  return tensorOf(weight);
}

/**
 * Throws unless target holds int32 class indices of shape [N, d1, ...] in [0, C) or equal to ignoreIndex;
 * returns whether every target is ignoreIndex.
 */
function checkClassTarget(op: string, input: Variable, target: Tensor, ignoreIndex: number): boolean {
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(target.shape, expected)) {
    throw new ShapeError(
      op,
      `target of shape ${fmtShape(target.shape)} does not fit input ${fmtShape(input.shape)}: expected class indices of shape ${fmtShape(expected)}`,
    );
  }
  const c = input.shape[1];
  // A captured step (compile) checks the values of every replay's target again.
  return guardedRead(`${op}'s target values`, () => {
    const values = target.toTypedArray();
    let ignored = 0;
    for (let i = 0; i < values.length; i++) {
      const t = values[i];
      if (t === ignoreIndex) ignored++;
      else if (t < 0 || t >= c) throw new IndexError(op, `target ${t} is out of range for ${c} classes (input ${fmtShape(input.shape)})`);
    }
    return ignored === values.length;
  }, [target.storage]);
}

/**
 * The loss of class-index targets from log-probabilities logp [N, C, *]: -w_y log p_y per element, with
 * label smoothing e mixed in as (1 - e) * that + (e / C) * sum_c -w_c log p_c; ignored elements count 0.
 * 'mean' divides by the summed weights w_y of the elements not ignored (their number without weights).
 */
function classTargetLoss(
  logp: Variable,
  target: Tensor,
  weight: Tensor | null,
  ignoreIndex: number,
  smoothing: number,
  reduction: Reduction,
  allIgnored: boolean,
): Variable {
  const keep = target.ne(ignoreIndex);
  const safeTarget = where(keep, target, 0);
  const keepF = keep.to(logp.dtype);
  const classWeightOfTarget = weight === null ? null : weight.to(logp.dtype).indexSelect(0, safeTarget.flatten()).reshape(target.shape);
  const weightOfTarget = classWeightOfTarget === null ? keepF : classWeightOfTarget.mul(keepF);
  const picked = logp.gather(1, safeTarget.unsqueeze(1)).squeeze(1);
  // ignored elements are selected away, not multiplied by 0: a -inf log-probability there must not give NaN
  let loss = classWeightOfTarget === null ? picked.neg() : picked.mul(classWeightOfTarget).neg();
  if (smoothing > 0) {
    const c = logp.shape[1];
    const classWeights = weight === null ? logp : logp.mul(weight.to(logp.dtype).reshape([1, c, ...logp.shape.slice(2).map(() => 1)]));
    loss = loss.mul(1 - smoothing).add(classWeights.sum(1).neg().mul(smoothing / c));
  }
  loss = selectWhere(keep, loss, 0);
  if (reduction !== 'mean') return reduce(loss, reduction);
  const totalWeight = weightOfTarget.sum();
  // every target ignored: PyTorch returns 0/0 = NaN with a zero gradient (dividing would make it NaN too)
  // (without class weights the total is zero exactly when every target is ignored: no value read back)
  if (weight === null ? allIgnored : totalWeight.item() === 0) return loss.sum().mul(0).add(NaN);
  return loss.sum().div(totalWeight);
}

/** Probability targets (the input's shape, checked by the caller): -sum_c w_c q_c log p_c; 'mean' divides by N * d1 * ... */
function probabilityTargetLoss(
  logp: Variable,
  target: Variable | Tensor,
  weight: Tensor | null,
  smoothing: number,
  reduction: Reduction,
): Variable {
  const c = logp.shape[1];
  let q = asVariable(target);
  if (smoothing > 0) q = q.mul(1 - smoothing).add(smoothing / c);
  let terms = logp.mul(q);
  if (weight !== null) terms = terms.mul(weight.to(logp.dtype).reshape([1, c, ...logp.shape.slice(2).map(() => 1)]));
  if (reduction === 'none') return terms.sum(1).neg();
  const total = terms.sum().neg();
  return reduction === 'sum' ? total : total.div(logp.numel() / c);
}

function checkInput(op: string, input: Variable): void {
  if (input.ndim < 2) throw new ShapeError(op, `expected an input of shape [N, C, *] or [C], got ${fmtShape(input.shape)}`);
  checkFloat(op, 'input', input);
}

/**
 * Cross entropy between logits `input` and class indices (int32) or class probabilities (float, the
 * input's shape): log-softmax over dim 1, then the negative log likelihood of the target.
 */
export function crossEntropy(
  input: TensorLike,
  target: Variable | Tensor,
  opts: CrossEntropyOptions = {},
): Variable {
  const op = 'crossEntropy';
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = lossOptions(op, opts, CROSS_ENTROPY_OPTIONS);
  const [x, t, unbatched] = batched(op, input, target);
  checkInput(op, x);
  const w = checkWeight(op, weight, x.shape[1]);
  const logp = x.logSoftmax(1);
  let loss: Variable;
  if (t.dtype === 'int32') {
    const allIgnored = checkClassTarget(op, x, tensorOf(t), ignoreIndex);
    loss = classTargetLoss(logp, tensorOf(t), w, ignoreIndex, labelSmoothing, reduction, allIgnored);
  } else {
    // A float target of the input's shape holds class probabilities; any other is class labels of the wrong dtype.
    if (!isFloat(t.dtype) || !sameShape(t.shape, x.shape)) {
      checkIndexDType(op, 'target', t, 'class indices', ` — or pass class probabilities of the input's shape ${fmtShape(x.shape)}`);
    }
    loss = probabilityTargetLoss(logp, t, w, labelSmoothing, reduction);
  }
  return unbatched && reduction === 'none' ? loss.squeeze(0) : loss;
}

/** Negative log likelihood of class indices (int32) given log-probabilities `input` over dim 1. */
export function nllLoss(
  input: TensorLike,
  target: Variable | Tensor,
  opts: NLLLossOptions = {},
): Variable {
  const op = 'nllLoss';
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = lossOptions(op, opts, NLL_OPTIONS);
  const [x, t, unbatched] = batched(op, input, target);
  checkInput(op, x);
  checkIndexDType(op, 'target', t, 'class indices');
  const w = checkWeight(op, weight, x.shape[1]);
  const allIgnored = checkClassTarget(op, x, tensorOf(t), ignoreIndex);
  const loss = classTargetLoss(x, tensorOf(t), w, ignoreIndex, 0, reduction, allIgnored);
  return unbatched && reduction === 'none' ? loss.squeeze(0) : loss;
}
