// Variable: a Tensor plus what the tape needs (requiresGrad, gradFn, grad). Its methods mirror the Tensor
// surface; each differentiable method dispatches to the op registry (ops/*.ts).
import {
  ArgumentError, DISPATCH, DTypeError, ShapeError, Tensor, type TensorDispatch, checkBool, checkNumber, checkOptions, checkShape, describeValue, full, isFloat, keep,
  onesLike, promoteWithScalar, sameShape, type CumsumOptions, type DType, type SortOptions, type TopkOptions, type ValuesIndices, fmtShape,
} from '@minigrad/tensor';
import { recordEffect } from '@minigrad/tensor/internal';
import { givenSeed, graphOptions } from './seed.js';
import { apply1, apply2, applyOp, applyOpWithAux } from './dispatch.js';
import { runBackward } from './engine.js';
import { state } from './mode.js';
import { reduceTo } from './reduce-to.js';
import { formatVariable } from './format.js';
import type { GradHook, Node, RemovableHandle } from './tape-node.js';
import * as ew from './ops/elementwise.js';
import * as bin from './ops/binary.js';
import * as red from './ops/reduce.js';
import * as sm from './ops/softmax.js';
import * as la from './ops/linalg.js';
import * as vw from './ops/views.js';
import * as ix from './ops/indexing.js';
import { chunk, split } from './ops/split.js';
import * as mk from './ops/masked.js';
import { cumsumOp } from './ops/scan.js';
import { sortOp, topkOp } from './ops/sort.js';
import { runTensorOp } from './protocol.js';

/** A second operand: a Variable, a constant Tensor, or a JS number. */
export type Operand = Variable | Tensor | number;

/** What functions over Variables take as a tensor input: a Variable, or a plain Tensor as a constant. */
export type TensorLike = Variable | Tensor;

type ShapeArg = number[] | readonly number[] | number;

/** Turns `(shape)` or `(...sizes)` method arguments into one array. */
function shapeOf(first: ShapeArg | undefined, rest: number[]): number[] {
  if (Array.isArray(first)) return (first as number[]).slice();
  return first === undefined ? rest : [first as number].concat(rest);
}

const VAR_OPTIONS = ['correction', 'keepdim'] as const;

/** Options of `Variable.backward`. */
export interface BackwardOptions {
  /** Keep the saved tensors so the graph can be backpropagated again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

/**
 * A Tensor (`data`) plus what the tape needs: `requiresGrad`, the `gradFn` that produced it, the accumulated
 * `grad`. Its methods mirror the Tensor surface and record each differentiable op, so `backward()` can
 * compute gradients. Create one with `tensor()`, `randn()`, ... of this package or `variable(t)`.
 * PyTorch: `torch.Tensor` with `requires_grad`.
 */
export class Variable implements TensorDispatch<Variable> {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'Variable';
  /** The values. Optimizers update it in place with recording off. */
  data: Tensor;
  private _grad: Variable | null = null;
  /** Whether gradients are computed for this Variable (set on leaves; ops propagate it). PyTorch: `torch.Tensor.requires_grad`. */
  requiresGrad = false;
  /** The tape node that produced this Variable (null for leaves). */
  gradFn: Node | null = null;
  /** Optional label used in tape listings and graphs. */
  name: string | null = null;
  /** @internal Hooks of a leaf (non-leaf hooks live on the node). */
  hooks: GradHook[] | null = null;
  /** @internal Gradient accumulated for a leaf during one backward run. */
  gradBuf: Variable | null = null;
  /** @internal gradBuf was allocated by the running backward (safe to add into in place). */
  gradBufOwned = false;
  /**
   * @internal `.grad` holds a buffer that backward made for this leaf alone and nobody has read through the
   * `grad` getter since (see grad-ownership.ts): dropping it may hand its memory back to the backend.
   */
  gradUnseen = false;

  constructor(data: Tensor, requiresGrad = false) {
    if (!(data instanceof Tensor)) throw new ArgumentError('Variable', `data must be a Tensor, got ${describeValue(data)}`);
    this.data = data;
    if (checkBool('Variable', 'requiresGrad', requiresGrad)) {
      if (!isFloat(data.dtype)) {
        throw new DTypeError('Variable', `only floating point tensors can require gradients, got ${data.dtype}`);
      }
      this.requiresGrad = true;
      // A leaf that requires grad is a model's variable: it outlives any tidy() scope it was made in.
      keep(data);
    }
  }

  /** Accumulated gradient (set by backward on leaves and on retainGrad() non-leaves). */
  get grad(): Variable | null {
    // Whoever reads it may keep it: from now on it is never recycled.
    this.gradUnseen = false;
    return this._grad;
  }
  /** null, or a gradient of this Variable's shape and dtype (a plain Tensor is wrapped), as PyTorch checks. */
  set grad(g: Variable | Tensor | null) {
    this.gradUnseen = false;
    if (g === null) {
      recordEffect('grad', setGrad, [this, null]);
      return;
    }
    const v = g instanceof Tensor ? new Variable(g) : g;
    if (!(v instanceof Variable)) throw new ArgumentError('Variable.grad', `must be null, a Variable or a Tensor, got ${describeValue(g)}`);
    if (!sameShape(v.shape, this.shape)) {
      throw new ShapeError('Variable.grad', `assigned a gradient of shape ${fmtShape(v.shape)} to a Variable of shape ${fmtShape(this.shape)}`);
    }
    if (v.dtype !== this.dtype) {
      throw new DTypeError('Variable.grad', `assigned a ${v.dtype} gradient to a ${this.dtype} Variable of shape ${fmtShape(this.shape)}`);
    }
    // Recorded: a captured step (compile) sets .grad again in every replay.
    recordEffect('grad', setGrad, [this, v]);
  }

  /** @internal The gradient without marking it seen (for grad-ownership.ts: code that keeps no reference). */
  peekGrad(): Variable | null {
    return this._grad;
  }

  /** @internal Stores a gradient backward made for this leaf alone (shape and dtype already right), unseen. */
  installGrad(g: Variable | null): void {
    // Recorded: a captured step (compile) sets .grad again in every replay.
    recordEffect('installGrad', installGrad, [this, g]);
  }

  /**
   * The tensor package's dispatch protocol: a Tensor op handed this Variable runs as the Variable op (see
   * protocol.ts). Typed by the kind it returns; split/chunk and maxPool2d give arrays and objects of Variables.
   */
  [DISPATCH](op: string, args: unknown[]): Variable {
    return runTensorOp(op, args) as Variable;
  }

  /** True when no recorded op produced this Variable (gradFn is null). PyTorch: `torch.Tensor.is_leaf`. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** The size of each dimension. PyTorch: `torch.Tensor.shape`. */
  get shape(): number[] {
    return this.data.shape;
  }
  /** The element type: 'float32', 'float64', 'int32' or 'bool'. PyTorch: `torch.Tensor.dtype`. */
  get dtype(): DType {
    return this.data.dtype;
  }
  /** The number of dimensions. PyTorch: `torch.Tensor.ndim`. */
  get ndim(): number {
    return this.data.shape.length;
  }
  /** The number of dimensions. PyTorch: `torch.Tensor.dim`. */
  dim(): number {
    return this.data.shape.length;
  }
  /** The number of elements (the product of the shape). PyTorch: `torch.Tensor.numel`. */
  numel(): number {
    return this.data.numel();
  }
  /** The shape (a copy), or the size of one dim. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? this.data.size() : this.data.size(dim);
  }
  /** True when the elements are laid out row-major without gaps (from `offset`). */
  isContiguous(): boolean {
    return this.data.isContiguous();
  }
  /** The value of a one-element tensor as a JS number; throws for any other size. PyTorch: `torch.Tensor.item`. */
  item(): number {
    return this.data.item();
  }
  /** The elements as nested JS arrays (a number for a 0-d tensor; bools as 0/1). PyTorch: `torch.Tensor.tolist`. */
  toArray(): ReturnType<Tensor['toArray']> {
    return this.data.toArray();
  }
  /** A contiguous flat copy of the elements in row-major order. */
  toTypedArray(): ReturnType<Tensor['toTypedArray']> {
    return this.data.toTypedArray();
  }
  /** As PyTorch prints it: `tensor([1., 2.], requires_grad=True)`, `tensor([2., 4.], grad_fn=<MulBackward0>)`. */
  toString(): string {
    return formatVariable(this);
  }
  /** console.log in Node prints toString() (a well-known symbol: no node: import needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- autograd API ----

  /**
   * Computes the gradient of this Variable with respect to the leaves of its graph and accumulates it
   * into their `.grad`. A non-scalar needs `gradOutput` (the gradient of some scalar with respect to it).
   */
  backward(gradOutput?: Variable | Tensor | null, opts?: BackwardOptions): void;
  backward(opts: BackwardOptions): void;
  backward(first?: Variable | Tensor | BackwardOptions | null, second: BackwardOptions = {}): void {
    // backward({ retainGraph }) reads as the options of a scalar backward.
    const isGrad = first === undefined || first === null || first instanceof Variable || first instanceof Tensor;
    const gradOutput = isGrad ? (first as Variable | Tensor | null | undefined) : undefined;
    const { retainGraph, createGraph } = graphOptions('backward', isGrad ? second : (first as BackwardOptions));
    if (!this.requiresGrad) {
      throw new ArgumentError('backward', 'this Variable does not require grad and has no gradFn (was it created under noGrad, or from leaves without requiresGrad?)');
    }
    let seed: Variable;
    if (gradOutput === undefined || gradOutput === null) {
      if (this.numel() !== 1) {
        throw new ShapeError('backward', `a gradient can be created implicitly only for a single-element output, got shape ${fmtShape(this.shape)}; pass gradOutput`);
      }
      seed = new Variable(onesLike(this.data));
    } else {
      seed = givenSeed('backward', 'gradOutput', 'the output', this, gradOutput);
    }
    runBackward([this], [seed], { retainGraph, createGraph, inputs: null });
  }

  /** A Variable sharing this one's data, cut from the graph (requiresGrad false). */
  detach(): Variable {
    return new Variable(this.data);
  }

  /** Makes backward also fill `.grad` of this non-leaf (a no-op on leaves). */
  retainGrad(): this {
    if (!this.requiresGrad) throw new ArgumentError('retainGrad', 'cannot retain the gradient of a Variable that does not require grad');
    if (this.gradFn !== null) this.gradFn.retained = this;
    return this;
  }

  /**
   * Registers fn to run on this Variable's gradient during backward; fn may return a replacement of the
   * same shape. Returns a handle whose remove() unregisters it.
   */
  registerHook(fn: GradHook): RemovableHandle {
    if (!this.requiresGrad) throw new ArgumentError('registerHook', 'cannot register a hook on a Variable that does not require grad');
    const owner: { hooks: GradHook[] | null } = this.gradFn ?? this;
    (owner.hooks ??= []).push(fn);
    return {
      remove: () => {
        const list = owner.hooks;
        if (list === null) return;
        const at = list.indexOf(fn);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) owner.hooks = null;
      },
    };
  }

  /** Sets requiresGrad on a leaf in place. */
  requiresGrad_(requiresGrad = true): this {
    if (this.gradFn !== null && !requiresGrad) {
      throw new ArgumentError('requiresGrad_', 'cannot turn off requiresGrad of a non-leaf; use detach()');
    }
    if (requiresGrad && !isFloat(this.dtype)) {
      throw new DTypeError('requiresGrad_', `only floating point tensors can require gradients, got ${this.dtype}`);
    }
    this.requiresGrad = requiresGrad;
    if (requiresGrad && this.gradFn === null) keep(this.data);
    return this;
  }

  // ---- elementwise ----
  /** Elementwise `-x`. PyTorch: `torch.neg`. */
  neg(): Variable { return apply1(ew.negOp, this, undefined); }
  /** Elementwise absolute value. PyTorch: `torch.abs`. */
  abs(): Variable { return apply1(ew.absOp, this, undefined); }
  /** Elementwise `e^x` (int and bool inputs give float32). PyTorch: `torch.exp`. */
  exp(): Variable { return apply1(ew.expOp, this, undefined); }
  /** Elementwise natural logarithm. PyTorch: `torch.log`. */
  log(): Variable { return apply1(ew.logOp, this, undefined); }
  /** Elementwise square root. PyTorch: `torch.sqrt`. */
  sqrt(): Variable { return apply1(ew.sqrtOp, this, undefined); }
  /** Elementwise `1 / sqrt(x)`. PyTorch: `torch.rsqrt`. */
  rsqrt(): Variable { return apply1(ew.rsqrtOp, this, undefined); }
  /** Elementwise sine. PyTorch: `torch.sin`. */
  sin(): Variable { return apply1(ew.sinOp, this, undefined); }
  /** Elementwise cosine. PyTorch: `torch.cos`. */
  cos(): Variable { return apply1(ew.cosOp, this, undefined); }
  /** Elementwise hyperbolic tangent. PyTorch: `torch.tanh`. */
  tanh(): Variable { return apply1(ew.tanhOp, this, undefined); }
  /** Elementwise logistic function `1 / (1 + e^-x)`, without overflow for large inputs. PyTorch: `torch.sigmoid`. */
  sigmoid(): Variable { return apply1(ew.sigmoidOp, this, undefined); }
  /** Elementwise `max(x, 0)`. PyTorch: `torch.relu`. */
  relu(): Variable { return apply1(ew.reluOp, this, undefined); }
  /** Elementwise Gauss error function. PyTorch: `torch.erf`. */
  erf(): Variable { return apply1(ew.erfOp, this, undefined); }
  /** Elementwise sign: -1, 0 or 1. PyTorch: `torch.sign`. */
  sign(): Variable { return apply1(ew.signOp, this, undefined); }
  /** Elementwise `1 / x`. PyTorch: `torch.reciprocal`. */
  reciprocal(): Variable { return apply1(ew.reciprocalOp, this, undefined); }
  /** Elementwise `x x`. PyTorch: `torch.square`. */
  square(): Variable { return apply1(ew.squareOp, this, undefined); }
  /** Elementwise `x > 0 ? x : negativeSlope x`. PyTorch: `torch.nn.functional.leaky_relu`. */
  leakyRelu(negativeSlope = 0.01): Variable {
    return apply1(ew.leakyReluOp, this, { slope: negativeSlope });
  }
  /**
   * Elementwise GELU `x Phi(x)`: the exact erf form, or its tanh approximation. PyTorch:
   * `torch.nn.functional.gelu`.
   */
  gelu(approximate: 'none' | 'tanh' = 'none'): Variable {
    return apply1(ew.geluOp, this, { approximate });
  }
  /**
   * Elementwise `log(1 + e^(beta x)) / beta`, and `x` itself where `beta x > threshold`. PyTorch:
   * `torch.nn.functional.softplus`.
   */
  softplus(beta = 1, threshold = 20): Variable {
    return apply1(ew.softplusOp, this, { beta, threshold });
  }
  /**
   * Elementwise `min(max(x, min), max)`. Bounds are numbers, or Variables/Tensors broadcast with this one (then
   * each bound that requires grad gets the gradient where it clamps), null or undefined for none. PyTorch: `torch.clamp`.
   */
  clamp(min?: Operand | null, max?: Operand | null): Variable {
    const lo = min ?? null;
    const hi = max ?? null;
    if ((lo === null || typeof lo === 'number') && (hi === null || typeof hi === 'number')) {
      return apply1(ew.clampOp, this, { min: lo, max: hi });
    }
    const inputs: Variable[] = [this];
    if (lo !== null) inputs.push(clampBound(this, 'min', lo));
    if (hi !== null) inputs.push(clampBound(this, 'max', hi));
    return applyOp(mk.clampTensorOp, inputs, { hasMin: lo !== null, hasMax: hi !== null });
  }
  /** A copy converted to dtype (differentiable between float dtypes; int32 and bool results require no grad). */
  to(dtype: DType): Variable {
    if (dtype === this.dtype) return this;
    if (!this.requiresGrad || !isFloat(dtype)) return new Variable(this.data.to(dtype));
    return apply1(ew.toOp, this, { dtype: dtype as 'float32' | 'float64', from: this.dtype as 'float32' | 'float64' });
  }
  /** `to('float32')` (PyTorch's `.float()`). */
  float(): Variable {
    return this.to('float32');
  }
  /** `to('float64')`. */
  double(): Variable {
    return this.to('float64');
  }
  /** `to('int32')` (not differentiable: the result requires no grad). */
  int(): Variable {
    return this.to('int32');
  }
  /** `to('int32')` under PyTorch's name for labels (int32 stands for PyTorch's int64; not differentiable). */
  long(): Variable {
    return this.to('int32');
  }
  /** `to('bool')` (not differentiable). */
  bool(): Variable {
    return this.to('bool');
  }

  // ---- binary ----
  /** `this + alpha other`, broadcast, with type promotion. PyTorch: `torch.add`. */
  add(other: Operand, alpha = 1): Variable {
    if (alpha !== 1) checkNumber('add', 'alpha', alpha, { infinite: true });
    if (typeof other === 'number') return apply1(bin.addScalarOp, this, other * alpha);
    const o = asVariable(other);
    return apply2(bin.addOp, this, alpha === 1 ? o : o.mul(alpha), undefined);
  }
  /** `this - alpha other`, broadcast. PyTorch: `torch.sub`. */
  sub(other: Operand, alpha = 1): Variable {
    if (alpha !== 1) checkNumber('sub', 'alpha', alpha, { infinite: true });
    if (typeof other === 'number') return apply1(bin.subScalarOp, this, other * alpha);
    const o = asVariable(other);
    return apply2(bin.subOp, this, alpha === 1 ? o : o.mul(alpha), undefined);
  }
  /** other - this (other a number). */
  rsub(other: number): Variable {
    return apply1(bin.rsubScalarOp, this, other);
  }
  /** Elementwise product, broadcast. PyTorch: `torch.mul`. */
  mul(other: Operand): Variable {
    if (typeof other === 'number') return apply1(bin.mulScalarOp, this, other);
    return apply2(bin.mulOp, this, asVariable(other), undefined);
  }
  /** Elementwise true division (int inputs give float32), broadcast. PyTorch: `torch.div`. */
  div(other: Operand): Variable {
    if (typeof other === 'number') return apply1(bin.divScalarOp, this, other);
    return apply2(bin.divOp, this, asVariable(other), undefined);
  }
  /** Elementwise `this * exponent`, broadcast. PyTorch: `torch.pow`. */
  pow(exponent: Operand): Variable {
    if (typeof exponent === 'number') return apply1(bin.powScalarOp, this, exponent);
    return apply2(bin.powOp, this, asVariable(exponent), undefined);
  }
  /** Elementwise maximum of two operands, broadcast. PyTorch: `torch.maximum`. */
  maximum(other: Operand): Variable {
    if (typeof other === 'number') return this.clamp(other, null);
    return apply2(bin.maximumOp, this, asVariable(other), undefined);
  }
  /** Elementwise minimum of two operands, broadcast. PyTorch: `torch.minimum`. */
  minimum(other: Operand): Variable {
    if (typeof other === 'number') return this.clamp(null, other);
    return apply2(bin.minimumOp, this, asVariable(other), undefined);
  }

  // ---- comparisons and logic (no gradient: bool results) ----
  /**
   * Elementwise `==`, as a bool Variable. PyTorch: `torch.eq`. Not differentiable: the result does not require
   * grad.
   */
  eq(other: Operand): Variable { return new Variable(this.data.eq(rawOperand(other))); }
  /**
   * Elementwise `!=`, as a bool Variable. PyTorch: `torch.ne`. Not differentiable: the result does not require
   * grad.
   */
  ne(other: Operand): Variable { return new Variable(this.data.ne(rawOperand(other))); }
  /**
   * Elementwise `<`, as a bool Variable. PyTorch: `torch.lt`. Not differentiable: the result does not require
   * grad.
   */
  lt(other: Operand): Variable { return new Variable(this.data.lt(rawOperand(other))); }
  /**
   * Elementwise `<=`, as a bool Variable. PyTorch: `torch.le`. Not differentiable: the result does not require
   * grad.
   */
  le(other: Operand): Variable { return new Variable(this.data.le(rawOperand(other))); }
  /**
   * Elementwise `>`, as a bool Variable. PyTorch: `torch.gt`. Not differentiable: the result does not require
   * grad.
   */
  gt(other: Operand): Variable { return new Variable(this.data.gt(rawOperand(other))); }
  /**
   * Elementwise `>=`, as a bool Variable. PyTorch: `torch.ge`. Not differentiable: the result does not require
   * grad.
   */
  ge(other: Operand): Variable { return new Variable(this.data.ge(rawOperand(other))); }
  /**
   * Elementwise logical and (nonzero is true), as a bool Variable. PyTorch: `torch.logical_and`. Not
   * differentiable: the result does not require grad.
   */
  logicalAnd(other: Operand): Variable { return new Variable(this.data.logicalAnd(rawOperand(other))); }
  /**
   * Elementwise logical or (nonzero is true), as a bool Variable. PyTorch: `torch.logical_or`. Not
   * differentiable: the result does not require grad.
   */
  logicalOr(other: Operand): Variable { return new Variable(this.data.logicalOr(rawOperand(other))); }
  /**
   * Elementwise logical not (nonzero is true), as a bool Variable. PyTorch: `torch.logical_not`. Not
   * differentiable: the result does not require grad.
   */
  logicalNot(): Variable { return new Variable(this.data.logicalNot()); }

  /**
   * Whether every element over `dim` is nonzero, as a bool Variable. PyTorch: `torch.all`. Not differentiable:
   * the result does not require grad.
   */
  all(dim?: number | readonly number[], keepdim = false): Variable { return new Variable(this.data.all(dim, keepdim)); }
  /**
   * Whether some element over `dim` is nonzero, as a bool Variable. PyTorch: `torch.any`. Not differentiable:
   * the result does not require grad.
   */
  any(dim?: number | readonly number[], keepdim = false): Variable { return new Variable(this.data.any(dim, keepdim)); }

  // ---- reductions ----
  /**
   * Sum over `dim` (one or several dims; all when omitted), keeping them as size 1 with `keepdim`. PyTorch:
   * `torch.sum`.
   */
  sum(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.sumOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /** Mean over `dim` (all dims when omitted). PyTorch: `torch.mean`. */
  mean(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.meanOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /** Product over `dim` (all dims when omitted). PyTorch: `torch.prod`. */
  prod(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.prodOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /** Largest value over `dim` (all dims when omitted), without indices. PyTorch: `torch.amax`. */
  amax(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.amaxOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /** Smallest value over `dim` (all dims when omitted), without indices. PyTorch: `torch.amin`. */
  amin(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.aminOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /**
   * `log(sum(exp(x)))` over `dim`, with the max subtracted first so it does not overflow. PyTorch:
   * `torch.logsumexp`.
   */
  logsumexp(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.logsumexpOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /** max() over everything, or along a dim: `{ values, indices }` (int32 indices, no gradient). */
  max(): Variable;
  /** Without a dim: the largest element (0-d). With a dim: values and int32 indices (first max wins ties). */
  max(dim: number, keepdim?: boolean): ValuesIndices<Variable>;
  max(dim?: number, keepdim = false): Variable | ValuesIndices<Variable> {
    if (dim === undefined) return apply1(red.maxAllOp, this, { keepdim: false });
    const { out, aux } = applyOpWithAux(red.maxDimOp, [this], { dim, keepdim });
    return { values: out, indices: new Variable(aux) };
  }
  /**
   * Without a dim: the smallest element (0-d). With a dim: values and int32 indices (first min wins ties).
   * PyTorch: `torch.min`.
   */
  min(): Variable;
  min(dim: number, keepdim?: boolean): ValuesIndices<Variable>;
  min(dim?: number, keepdim = false): Variable | ValuesIndices<Variable> {
    if (dim === undefined) return apply1(red.minAllOp, this, { keepdim: false });
    const { out, aux } = applyOpWithAux(red.minDimOp, [this], { dim, keepdim });
    return { values: out, indices: new Variable(aux) };
  }
  /**
   * int32 index of the largest value along `dim` (of the flattened tensor when omitted). PyTorch:
   * `torch.argmax`. Not differentiable: the result does not require grad.
   */
  argmax(dim?: number, keepdim = false): Variable {
    return new Variable(this.data.argmax(dim, keepdim));
  }
  /**
   * int32 index of the smallest value along `dim` (of the flattened tensor when omitted). PyTorch:
   * `torch.argmin`. Not differentiable: the result does not require grad.
   */
  argmin(dim?: number, keepdim = false): Variable {
    return new Variable(this.data.argmin(dim, keepdim));
  }
  /** Variance over `dim`, unbiased by default (`correction` 1). PyTorch: `torch.var`. */
  var(dim?: number | readonly number[], opts: { correction?: number; keepdim?: boolean } = {}): Variable {
    checkOptions('var', opts, VAR_OPTIONS);
    return apply1(red.varOp, this, { dim: dim as number | number[] | undefined, correction: opts.correction ?? 1, keepdim: opts.keepdim ?? false });
  }
  /** Standard deviation over `dim`, unbiased by default (`correction` 1). PyTorch: `torch.std`. */
  std(dim?: number | readonly number[], opts: { correction?: number; keepdim?: boolean } = {}): Variable {
    checkOptions('std', opts, VAR_OPTIONS);
    return apply1(red.stdOp, this, { dim: dim as number | number[] | undefined, correction: opts.correction ?? 1, keepdim: opts.keepdim ?? false });
  }
  /** Running sums along dim; `dtype` converts first (differentiably between float dtypes). */
  cumsum(dim: number, opts?: CumsumOptions): Variable {
    const { dtype } = checkOptions('cumsum', opts, ['dtype']);
    const x = dtype === undefined ? this : this.to(dtype);
    return apply1(cumsumOp, x, { dim });
  }
  /** Sorted along dim (stable; NaN is the largest): values (differentiable) and int32 indices. */
  sort(dim = -1, opts?: SortOptions): ValuesIndices<Variable> {
    const { out, aux } = applyOpWithAux(sortOp, [this], { dim, opts });
    return { values: out, indices: new Variable(aux) };
  }
  /** The int32 indices that sort this Variable along dim (no gradient). */
  argsort(dim = -1, opts?: SortOptions): Variable {
    return new Variable(this.data.argsort(dim, opts));
  }
  /** The k largest (or smallest) elements along dim, sorted (ties: lower index first), and their int32 indices. */
  topk(k: number, dim = -1, opts?: TopkOptions): ValuesIndices<Variable> {
    const { out, aux } = applyOpWithAux(topkOp, [this], { k, dim, opts });
    return { values: out, indices: new Variable(aux) };
  }
  /** `exp(x) / sum(exp(x))` along `dim`, with the max subtracted first. PyTorch: `torch.softmax`. */
  softmax(dim: number): Variable {
    return apply1(sm.softmaxOp, this, { dim });
  }
  /** `x - logsumexp(x)` along `dim`. PyTorch: `torch.log_softmax`. */
  logSoftmax(dim: number): Variable {
    return apply1(sm.logSoftmaxOp, this, { dim });
  }

  // ---- linear algebra and indexing ----
  /** Matrix product with NumPy batching and the 1-D rules. PyTorch: `torch.matmul`. */
  matmul(other: Variable | Tensor): Variable {
    return apply2(la.matmulOp, this, asVariable(other), undefined);
  }
  /**
   * Picks along `dim` the elements at the int32 `index` positions (`out[i][j] = x[index[i][j]][j]` for dim 0).
   * PyTorch: `torch.gather`.
   */
  gather(dim: number, index: Variable | Tensor): Variable {
    return apply1(ix.gatherOp, this, { dim, index: rawIndex(index) });
  }
  /**
   * A copy of this tensor with `src` added at the `index` positions along `dim` (repeats accumulate). PyTorch:
   * `torch.scatter_add`.
   */
  scatterAdd(dim: number, index: Variable | Tensor, src: Variable | Tensor): Variable {
    return apply2(ix.scatterAddOp, this, asVariable(src), { dim, index: rawIndex(index) });
  }
  /**
   * The slices along `dim` at the int32 positions in the 1-D `index`, in that order. PyTorch:
   * `torch.index_select`.
   */
  indexSelect(dim: number, index: Variable | Tensor): Variable {
    return apply1(ix.indexSelectOp, this, { dim, index: rawIndex(index) });
  }
  /**
   * A copy with `value` where the bool `mask` (broadcast with this Variable) is true; the value is a number or
   * a 0-d Variable/Tensor (which gets the sum of the gradient where the mask is true).
   */
  maskedFill(mask: Variable | Tensor, value: Operand): Variable {
    const m = rawIndex(mask);
    if (typeof value === 'number') return apply1(mk.maskedFillOp, this, { mask: m, value });
    return apply2(mk.maskedFillOp, this, asVariable(value, 'maskedFill', 'value'), { mask: m, value: null });
  }
  /** The elements where the bool `mask` (broadcast with this Variable) is true, as a 1-D Variable. */
  maskedSelect(mask: Variable | Tensor): Variable {
    return apply1(mk.maskedSelectOp, this, { mask: rawIndex(mask) });
  }

  // ---- views ----
  /**
   * A view with another shape over the same storage (one size may be -1); throws when the strides allow no view
   * (use `reshape`). Takes an array or varargs. PyTorch: `torch.Tensor.view`.
   */
  view(shape: readonly number[]): Variable;
  view(...shape: number[]): Variable;
  view(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.viewOp, this, { shape: shapeOf(first, rest) });
  }
  /**
   * This tensor with another shape: a view when the strides allow one, else a contiguous copy. PyTorch:
   * `torch.reshape`.
   */
  reshape(shape: readonly number[]): Variable;
  reshape(...shape: number[]): Variable;
  reshape(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.reshapeOp, this, { shape: shapeOf(first, rest) });
  }
  /** A view with the dimensions reordered (`dims` is a permutation). PyTorch: `torch.permute`. */
  permute(dims: readonly number[]): Variable;
  permute(...dims: number[]): Variable;
  permute(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.permuteOp, this, { dims: shapeOf(first, rest) });
  }
  /** A view with two dimensions swapped. PyTorch: `torch.transpose`. */
  transpose(dim0: number, dim1: number): Variable {
    return apply1(vw.transposeOp, this, { dim0, dim1 });
  }
  /**
   * The transpose of a tensor of at most 2 dims (a view; 0-d and 1-d tensors come back as they are). PyTorch:
   * `torch.t`.
   */
  t(): Variable {
    if (this.ndim > 2) throw new ShapeError('t', `expects a tensor with <= 2 dims, got shape ${fmtShape(this.shape)}`);
    return this.ndim < 2 ? this : this.transpose(0, 1);
  }
  /**
   * A view without size-1 dims: all of them, or those among `dim` (other sizes in `dim` are left). PyTorch:
   * `torch.squeeze`.
   */
  squeeze(dim?: number | readonly number[]): Variable {
    return apply1(vw.squeezeOp, this, { dim: dim as number | number[] | undefined });
  }
  /** A view with a size-1 dimension inserted at `dim`. PyTorch: `torch.unsqueeze`. */
  unsqueeze(dim: number): Variable {
    return apply1(vw.unsqueezeOp, this, { dim });
  }
  /**
   * A stride-0 view that repeats size-1 dims to `sizes` (-1 keeps a size); write to a copy, never to it.
   * PyTorch: `torch.Tensor.expand`.
   */
  expand(shape: readonly number[]): Variable;
  expand(...shape: number[]): Variable;
  expand(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.expandOp, this, { shape: shapeOf(first, rest) });
  }
  /** `expand` to the shape of `other`. PyTorch: `torch.Tensor.expand_as`. */
  expandAs(other: Variable | Tensor): Variable {
    return this.expand(asVariable(other, 'expandAs', 'other').shape);
  }
  /** A stride-0 view broadcast to `shape` (NumPy rules). PyTorch: `torch.broadcast_to`. */
  broadcastTo(shape: readonly number[]): Variable;
  broadcastTo(...shape: number[]): Variable;
  broadcastTo(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.expandOp, this, { shape: shapeOf(first, rest) });
  }
  /**
   * A view of `start:stop:step` along `dim`: negative indices count from the end, bounds are clamped, the step
   * is positive. PyTorch: indexing `x[..., start:stop:step]`.
   */
  slice(dim: number, start = 0, stop = Infinity, step = 1): Variable {
    return apply1(vw.sliceOp, this, { dim, start, stop, step });
  }
  /** A view of `length` elements from `start` along `dim`. PyTorch: `torch.narrow`. */
  narrow(dim: number, start: number, length: number): Variable {
    return apply1(vw.narrowOp, this, { dim, start, length });
  }
  /** A view of one index along `dim`, which is removed. PyTorch: `torch.select`. */
  select(dim: number, index: number): Variable {
    return apply1(vw.selectOp, this, { dim, index });
  }
  /**
   * Merges dims `startDim..endDim` (default all) into one: a view when possible, else a copy. PyTorch:
   * `torch.flatten`.
   */
  flatten(startDim = 0, endDim = -1): Variable {
    return apply1(vw.flattenOp, this, { startDim, endDim });
  }
  /** Splits dimension `dim` into `sizes` (a view). PyTorch: `torch.unflatten`. */
  unflatten(dim: number, sizes: readonly number[]): Variable {
    return this.reshape(this.data.unflatten(dim, sizes).shape);
  }
  /** Sums over broadcast dims so the result has `shape` (differentiable). */
  sumToSize(shape: readonly number[]): Variable {
    checkShape('sumToSize', 'shape', shape);
    return sameShape(shape, this.shape) ? this : reduceTo(this, shape, 'sumToSize');
  }
  /**
   * Views of consecutive pieces along `dim`: each of `splitSizeOrSections` elements (the last may be shorter),
   * or of the listed sizes. PyTorch: `torch.split`.
   */
  split(splitSizeOrSections: number | readonly number[], dim = 0): Variable[] {
    return split(this, splitSizeOrSections, dim);
  }
  /** Views of at most `chunks` equal pieces along `dim` (the last may be shorter). PyTorch: `torch.chunk`. */
  chunk(chunks: number, dim = 0): Variable[] {
    return chunk(this, chunks, dim);
  }
  /** This tensor when it is contiguous, else a contiguous copy. PyTorch: `torch.Tensor.contiguous`. */
  contiguous(): Variable {
    return this.data.isContiguous() ? this : apply1(vw.contiguousOp, this, undefined);
  }
  /** A contiguous copy with its own storage. PyTorch: `torch.clone`. */
  clone(): Variable {
    return apply1(vw.cloneOp, this, undefined);
  }

  // ---- in place (on data; bump storage.version) ----
  // Allowed on Variables that do not require grad, and on leaves while recording is off (initialization,
  // optimizer updates), as PyTorch. In-place ops are not recorded on the tape.
  private checkInPlace(op: string): void {
    if (!this.requiresGrad) return;
    if (this.gradFn !== null) {
      throw new ArgumentError(op, 'in-place operations on a Variable that has a gradFn are not supported; use the out-of-place op');
    }
    if (state.gradEnabled) {
      throw new ArgumentError(op, 'a leaf Variable that requires grad is being used in an in-place operation; wrap it in noGrad()');
    }
  }
  /**
   * In place `this += alpha other` (other broadcast to this shape); bumps `storage.version`. PyTorch:
   * `torch.Tensor.add_`. On the data, not recorded: allowed when this Variable does not require grad, or on a
   * leaf under `noGrad`.
   */
  addInPlace(other: Operand, alpha = 1): this {
    this.checkInPlace('addInPlace');
    this.data.addInPlace(rawOperand(other), alpha);
    return this;
  }
  /**
   * In place `this -= alpha other`; bumps `storage.version`. PyTorch: `torch.Tensor.sub_`. On the data, not
   * recorded: allowed when this Variable does not require grad, or on a leaf under `noGrad`.
   */
  subInPlace(other: Operand, alpha = 1): this {
    this.checkInPlace('subInPlace');
    this.data.subInPlace(rawOperand(other), alpha);
    return this;
  }
  /**
   * In place `this *= other`; bumps `storage.version`. PyTorch: `torch.Tensor.mul_`. On the data, not recorded:
   * allowed when this Variable does not require grad, or on a leaf under `noGrad`.
   */
  mulInPlace(other: Operand): this {
    this.checkInPlace('mulInPlace');
    this.data.mulInPlace(rawOperand(other));
    return this;
  }
  /**
   * In place `this /= other`; bumps `storage.version`. PyTorch: `torch.Tensor.div_`. On the data, not recorded:
   * allowed when this Variable does not require grad, or on a leaf under `noGrad`.
   */
  divInPlace(other: Operand): this {
    this.checkInPlace('divInPlace');
    this.data.divInPlace(rawOperand(other));
    return this;
  }
  /**
   * Copies `src` (broadcast, converted to this dtype) into this tensor; bumps `storage.version`. PyTorch:
   * `torch.Tensor.copy_`. On the data, not recorded: allowed when this Variable does not require grad, or on a
   * leaf under `noGrad`.
   */
  copyFrom(src: Variable | Tensor): this {
    this.checkInPlace('copyFrom');
    this.data.copyFrom(src instanceof Variable ? src.data : src);
    return this;
  }
  /**
   * Sets every element to `value`; bumps `storage.version`. PyTorch: `torch.Tensor.fill_`. On the data, not
   * recorded: allowed when this Variable does not require grad, or on a leaf under `noGrad`.
   */
  fill(value: number): this {
    this.checkInPlace('fill');
    this.data.fill(value);
    return this;
  }
  /**
   * Sets every element to 0; bumps `storage.version`. PyTorch: `torch.Tensor.zero_`. On the data, not recorded:
   * allowed when this Variable does not require grad, or on a leaf under `noGrad`.
   */
  zero(): this {
    return this.fill(0);
  }
}

/** A Variable operand as is, a Tensor wrapped as a constant. */
/** x as a Variable (a Tensor is wrapped as a constant); anything else is an error naming `op` and the argument. */
export function asVariable(x: Variable | Tensor, op = 'asVariable', name = 'input'): Variable {
  if (x instanceof Variable) return x;
  if (x instanceof Tensor) return new Variable(x);
  throw new ArgumentError(op, `${name} must be a Variable or a Tensor, got ${describeValue(x)}`);
}

/** Checks that an argument is a Variable (the check every public function over Variables starts with). */
export function checkVariable(op: string, name: string, x: unknown): Variable {
  if (!(x instanceof Variable)) throw new ArgumentError(op, `${name} must be a Variable, got ${describeValue(x)}`);
  return x;
}

/** A clamp bound as a Variable (a number becomes a 0-d constant of the dtype clamp computes in). */
function clampBound(x: Variable, name: string, b: Operand): Variable {
  if (typeof b !== 'number') return asVariable(b, 'clamp', name);
  checkNumber('clamp', name, b, { infinite: true });
  return new Variable(full([], b, { dtype: promoteWithScalar(x.dtype, b) }));
}

function rawOperand(x: Operand): Tensor | number {
  return x instanceof Variable ? x.data : x;
}

function rawIndex(x: Variable | Tensor): Tensor {
  return x instanceof Variable ? x.data : x;
}

/** The `grad` setter's assignment (checked already), a function of its own so that a captured step can repeat it. */
function setGrad(v: Variable, g: Variable | null): void {
  (v as unknown as { _grad: Variable | null })._grad = keep(g);
}

/** Variable.installGrad's work, a function of its own so that a captured step can repeat it. */
function installGrad(v: Variable, g: Variable | null): void {
  const w = v as unknown as { _grad: Variable | null; gradUnseen: boolean };
  w._grad = keep(g);
  w.gradUnseen = g !== null;
}
