// Variable: a Tensor plus what the tape needs (requiresGrad, gradFn, grad). Its methods mirror the Tensor
// surface; each differentiable method dispatches to the op registry (ops/*.ts).
import {
  ArgumentError, DISPATCH, DTypeError, ShapeError, Tensor, type TensorDispatch, checkBool, checkNumber, checkOptions, checkShape, describeValue, full, isFloat,
  onesLike, promoteWithScalar, sameShape, type CumsumOptions, type DType, type SortOptions, type TopkOptions, fmtShape,
} from '@minigrad/tensor';
import { givenSeed, graphOptions } from './seed.js';
import { apply1, apply2, applyOp, applyOpWithAux } from './dispatch.js';
import { runBackward } from './engine.js';
import { state } from './mode.js';
import { reduceTo } from './reduce-to.js';
import { formatVariable } from './format.js';
import type { GradHook, Node } from './tape-node.js';
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

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

export class Variable implements TensorDispatch<Variable> {
  static readonly typeName: string = 'Variable';
  /** The values. Optimizers update it in place with recording off. */
  data: Tensor;
  private _grad: Variable | null = null;
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

  constructor(data: Tensor, requiresGrad = false) {
    if (!(data instanceof Tensor)) throw new ArgumentError('Variable', `data must be a Tensor, got ${describeValue(data)}`);
    this.data = data;
    if (checkBool('Variable', 'requiresGrad', requiresGrad)) {
      if (!isFloat(data.dtype)) {
        throw new DTypeError('Variable', `only floating point tensors can require gradients, got ${data.dtype}`);
      }
      this.requiresGrad = true;
    }
  }

  /** Accumulated gradient (set by backward on leaves and on retainGrad() non-leaves). */
  get grad(): Variable | null {
    return this._grad;
  }
  /** null, or a gradient of this Variable's shape and dtype (a plain Tensor is wrapped), as PyTorch checks. */
  set grad(g: Variable | Tensor | null) {
    if (g === null) {
      this._grad = null;
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
    this._grad = v;
  }

  /**
   * The tensor package's dispatch protocol: a Tensor op handed this Variable runs as the Variable op (see
   * protocol.ts). Typed by the kind it returns; split/chunk and maxPool2d give arrays and objects of Variables.
   */
  [DISPATCH](op: string, args: unknown[]): Variable {
    return runTensorOp(op, args) as Variable;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  get shape(): number[] {
    return this.data.shape;
  }
  get dtype(): DType {
    return this.data.dtype;
  }
  get ndim(): number {
    return this.data.shape.length;
  }
  dim(): number {
    return this.data.shape.length;
  }
  numel(): number {
    return this.data.numel();
  }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? this.data.size() : this.data.size(dim);
  }
  isContiguous(): boolean {
    return this.data.isContiguous();
  }
  item(): number {
    return this.data.item();
  }
  toArray(): ReturnType<Tensor['toArray']> {
    return this.data.toArray();
  }
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
  registerHook(fn: GradHook): { remove(): void } {
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
    return this;
  }

  // ---- elementwise ----
  neg(): Variable { return apply1(ew.negOp, this, undefined); }
  abs(): Variable { return apply1(ew.absOp, this, undefined); }
  exp(): Variable { return apply1(ew.expOp, this, undefined); }
  log(): Variable { return apply1(ew.logOp, this, undefined); }
  sqrt(): Variable { return apply1(ew.sqrtOp, this, undefined); }
  rsqrt(): Variable { return apply1(ew.rsqrtOp, this, undefined); }
  sin(): Variable { return apply1(ew.sinOp, this, undefined); }
  cos(): Variable { return apply1(ew.cosOp, this, undefined); }
  tanh(): Variable { return apply1(ew.tanhOp, this, undefined); }
  sigmoid(): Variable { return apply1(ew.sigmoidOp, this, undefined); }
  relu(): Variable { return apply1(ew.reluOp, this, undefined); }
  erf(): Variable { return apply1(ew.erfOp, this, undefined); }
  sign(): Variable { return apply1(ew.signOp, this, undefined); }
  reciprocal(): Variable { return apply1(ew.reciprocalOp, this, undefined); }
  square(): Variable { return apply1(ew.squareOp, this, undefined); }
  leakyRelu(negativeSlope = 0.01): Variable {
    return apply1(ew.leakyReluOp, this, { slope: negativeSlope });
  }
  gelu(approximate: 'none' | 'tanh' = 'none'): Variable {
    return apply1(ew.geluOp, this, { approximate });
  }
  softplus(beta = 1, threshold = 20): Variable {
    return apply1(ew.softplusOp, this, { beta, threshold });
  }
  /**
   * Bounds are numbers, or Variables/Tensors broadcast with this one (then each bound that requires grad
   * gets the gradient where it clamps), null or undefined for none.
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
  add(other: Operand, alpha = 1): Variable {
    if (alpha !== 1) checkNumber('add', 'alpha', alpha, { infinite: true });
    if (typeof other === 'number') return apply1(bin.addScalarOp, this, other * alpha);
    const o = asVariable(other);
    return apply2(bin.addOp, this, alpha === 1 ? o : o.mul(alpha), undefined);
  }
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
  mul(other: Operand): Variable {
    if (typeof other === 'number') return apply1(bin.mulScalarOp, this, other);
    return apply2(bin.mulOp, this, asVariable(other), undefined);
  }
  div(other: Operand): Variable {
    if (typeof other === 'number') return apply1(bin.divScalarOp, this, other);
    return apply2(bin.divOp, this, asVariable(other), undefined);
  }
  pow(exponent: Operand): Variable {
    if (typeof exponent === 'number') return apply1(bin.powScalarOp, this, exponent);
    return apply2(bin.powOp, this, asVariable(exponent), undefined);
  }
  maximum(other: Operand): Variable {
    if (typeof other === 'number') return this.clamp(other, null);
    return apply2(bin.maximumOp, this, asVariable(other), undefined);
  }
  minimum(other: Operand): Variable {
    if (typeof other === 'number') return this.clamp(null, other);
    return apply2(bin.minimumOp, this, asVariable(other), undefined);
  }

  // ---- comparisons and logic (no gradient: bool results) ----
  eq(other: Operand): Variable { return new Variable(this.data.eq(rawOperand(other))); }
  ne(other: Operand): Variable { return new Variable(this.data.ne(rawOperand(other))); }
  lt(other: Operand): Variable { return new Variable(this.data.lt(rawOperand(other))); }
  le(other: Operand): Variable { return new Variable(this.data.le(rawOperand(other))); }
  gt(other: Operand): Variable { return new Variable(this.data.gt(rawOperand(other))); }
  ge(other: Operand): Variable { return new Variable(this.data.ge(rawOperand(other))); }
  logicalAnd(other: Operand): Variable { return new Variable(this.data.logicalAnd(rawOperand(other))); }
  logicalOr(other: Operand): Variable { return new Variable(this.data.logicalOr(rawOperand(other))); }
  logicalNot(): Variable { return new Variable(this.data.logicalNot()); }

  all(dim?: number | readonly number[], keepdim = false): Variable { return new Variable(this.data.all(dim, keepdim)); }
  any(dim?: number | readonly number[], keepdim = false): Variable { return new Variable(this.data.any(dim, keepdim)); }

  // ---- reductions ----
  sum(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.sumOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  mean(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.meanOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  prod(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.prodOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  amax(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.amaxOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  amin(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.aminOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  logsumexp(dim?: number | readonly number[], keepdim = false): Variable {
    return apply1(red.logsumexpOp, this, { dim: dim as number | number[] | undefined, keepdim });
  }
  /** max() over everything, or along a dim: `{ values, indices }` (int32 indices, no gradient). */
  max(): Variable;
  max(dim: number, keepdim?: boolean): { values: Variable; indices: Variable };
  max(dim?: number, keepdim = false): Variable | { values: Variable; indices: Variable } {
    if (dim === undefined) return apply1(red.maxAllOp, this, { keepdim: false });
    const { out, aux } = applyOpWithAux(red.maxDimOp, [this], { dim, keepdim });
    return { values: out, indices: new Variable(aux) };
  }
  min(): Variable;
  min(dim: number, keepdim?: boolean): { values: Variable; indices: Variable };
  min(dim?: number, keepdim = false): Variable | { values: Variable; indices: Variable } {
    if (dim === undefined) return apply1(red.minAllOp, this, { keepdim: false });
    const { out, aux } = applyOpWithAux(red.minDimOp, [this], { dim, keepdim });
    return { values: out, indices: new Variable(aux) };
  }
  argmax(dim?: number, keepdim = false): Variable {
    return new Variable(this.data.argmax(dim, keepdim));
  }
  argmin(dim?: number, keepdim = false): Variable {
    return new Variable(this.data.argmin(dim, keepdim));
  }
  var(dim?: number | readonly number[], opts: { correction?: number; keepdim?: boolean } = {}): Variable {
    checkOptions('var', opts, VAR_OPTIONS);
    return apply1(red.varOp, this, { dim: dim as number | number[] | undefined, correction: opts.correction ?? 1, keepdim: opts.keepdim ?? false });
  }
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
  sort(dim = -1, opts?: SortOptions): { values: Variable; indices: Variable } {
    const { out, aux } = applyOpWithAux(sortOp, [this], { dim, opts });
    return { values: out, indices: new Variable(aux) };
  }
  /** The int32 indices that sort this Variable along dim (no gradient). */
  argsort(dim = -1, opts?: SortOptions): Variable {
    return new Variable(this.data.argsort(dim, opts));
  }
  /** The k largest (or smallest) elements along dim, sorted (ties: lower index first), and their int32 indices. */
  topk(k: number, dim = -1, opts?: TopkOptions): { values: Variable; indices: Variable } {
    const { out, aux } = applyOpWithAux(topkOp, [this], { k, dim, opts });
    return { values: out, indices: new Variable(aux) };
  }
  softmax(dim: number): Variable {
    return apply1(sm.softmaxOp, this, { dim });
  }
  logSoftmax(dim: number): Variable {
    return apply1(sm.logSoftmaxOp, this, { dim });
  }

  // ---- linear algebra and indexing ----
  matmul(other: Variable | Tensor): Variable {
    return apply2(la.matmulOp, this, asVariable(other), undefined);
  }
  gather(dim: number, index: Variable | Tensor): Variable {
    return apply1(ix.gatherOp, this, { dim, index: rawIndex(index) });
  }
  scatterAdd(dim: number, index: Variable | Tensor, src: Variable | Tensor): Variable {
    return apply2(ix.scatterAddOp, this, asVariable(src), { dim, index: rawIndex(index) });
  }
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
  view(shape: readonly number[]): Variable;
  view(...shape: number[]): Variable;
  view(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.viewOp, this, { shape: shapeOf(first, rest) });
  }
  reshape(shape: readonly number[]): Variable;
  reshape(...shape: number[]): Variable;
  reshape(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.reshapeOp, this, { shape: shapeOf(first, rest) });
  }
  permute(dims: readonly number[]): Variable;
  permute(...dims: number[]): Variable;
  permute(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.permuteOp, this, { dims: shapeOf(first, rest) });
  }
  transpose(dim0: number, dim1: number): Variable {
    return apply1(vw.transposeOp, this, { dim0, dim1 });
  }
  t(): Variable {
    if (this.ndim > 2) throw new ShapeError('t', `expects a tensor with <= 2 dims, got shape ${fmtShape(this.shape)}`);
    return this.ndim < 2 ? this : this.transpose(0, 1);
  }
  squeeze(dim?: number | readonly number[]): Variable {
    return apply1(vw.squeezeOp, this, { dim: dim as number | number[] | undefined });
  }
  unsqueeze(dim: number): Variable {
    return apply1(vw.unsqueezeOp, this, { dim });
  }
  expand(shape: readonly number[]): Variable;
  expand(...shape: number[]): Variable;
  expand(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.expandOp, this, { shape: shapeOf(first, rest) });
  }
  expandAs(other: Variable | Tensor): Variable {
    return this.expand(asVariable(other, 'expandAs', 'other').shape);
  }
  broadcastTo(shape: readonly number[]): Variable;
  broadcastTo(...shape: number[]): Variable;
  broadcastTo(first?: ShapeArg, ...rest: number[]): Variable {
    return apply1(vw.expandOp, this, { shape: shapeOf(first, rest) });
  }
  slice(dim: number, start = 0, stop = Infinity, step = 1): Variable {
    return apply1(vw.sliceOp, this, { dim, start, stop, step });
  }
  narrow(dim: number, start: number, length: number): Variable {
    return apply1(vw.narrowOp, this, { dim, start, length });
  }
  select(dim: number, index: number): Variable {
    return apply1(vw.selectOp, this, { dim, index });
  }
  flatten(startDim = 0, endDim = -1): Variable {
    return apply1(vw.flattenOp, this, { startDim, endDim });
  }
  unflatten(dim: number, sizes: readonly number[]): Variable {
    return this.reshape(this.data.unflatten(dim, sizes).shape);
  }
  /** Sums over broadcast dims so the result has `shape` (differentiable). */
  sumToSize(shape: readonly number[]): Variable {
    checkShape('sumToSize', 'shape', shape);
    return sameShape(shape, this.shape) ? this : reduceTo(this, shape, 'sumToSize');
  }
  split(splitSizeOrSections: number | readonly number[], dim = 0): Variable[] {
    return split(this, splitSizeOrSections, dim);
  }
  chunk(chunks: number, dim = 0): Variable[] {
    return chunk(this, chunks, dim);
  }
  contiguous(): Variable {
    return this.data.isContiguous() ? this : apply1(vw.contiguousOp, this, undefined);
  }
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
  addInPlace(other: Operand, alpha = 1): this {
    this.checkInPlace('addInPlace');
    this.data.addInPlace(rawOperand(other), alpha);
    return this;
  }
  subInPlace(other: Operand, alpha = 1): this {
    this.checkInPlace('subInPlace');
    this.data.subInPlace(rawOperand(other), alpha);
    return this;
  }
  mulInPlace(other: Operand): this {
    this.checkInPlace('mulInPlace');
    this.data.mulInPlace(rawOperand(other));
    return this;
  }
  divInPlace(other: Operand): this {
    this.checkInPlace('divInPlace');
    this.data.divInPlace(rawOperand(other));
    return this;
  }
  copyFrom(src: Variable | Tensor): this {
    this.checkInPlace('copyFrom');
    this.data.copyFrom(src instanceof Variable ? src.data : src);
    return this;
  }
  fill(value: number): this {
    this.checkInPlace('fill');
    this.data.fill(value);
    return this;
  }
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
