// The Tensor class: storage + shape + strides (in elements) + offset + dtype. Methods delegate to ops/*.
import { getBackend } from './backend.js';
import { type DType, type TypedArray, isDType, unknownDTypeMessage } from './dtype.js';
import type { NestedNumbers } from './ops/convert.js';
import * as conv from './ops/convert.js';
import * as ew from './ops/elementwise.js';
import * as idx from './ops/indexing.js';
import * as inplace from './ops/inplace.js';
import * as join from './ops/join.js';
import * as mask_ from './ops/mask.js';
import { cumsum, type CumsumOptions } from './ops/scan.js';
import * as srt from './ops/sort.js';
import { matmul } from './ops/matmul.js';
import * as red from './ops/reduce.js';
import * as v from './ops/views.js';
import { formatTensor } from './format.js';
import { ArgumentError, fmtShape } from './errors.js';
import { contiguousStrides, normDim, numelOf, shapeFromArgs, type ShapeArgs } from './shape.js';
import type { Storage } from './storage.js';
import { checkShape } from './validate.js';
import { type Dispatched, type TensorDispatch, deferOp, isDeferred } from './dispatch.js';

/** The most elements a tensor may have: indices (argmax, maxPool2d) are int32. */
export const MAX_NUMEL = 2 ** 31 - 1;

export class Tensor {
  static readonly typeName: string = 'Tensor';
  readonly storage: Storage;
  readonly shape: number[];
  readonly strides: number[];
  readonly offset: number;
  readonly dtype: DType;
  private readonly _numel: number;
  private readonly _contiguous: boolean;

  /** Low level: wraps existing storage without copying or validating. Use `tensor()`/`zeros()` to create. */
  constructor(storage: Storage, shape: number[], strides: number[], offset = 0) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.dtype = storage.dtype;
    let n = 1;
    let expected = 1;
    let contiguous = true;
    for (let i = shape.length - 1; i >= 0; i--) {
      const s = shape[i];
      if (s !== 1 && strides[i] !== expected) contiguous = false;
      expected *= s;
      n *= s;
    }
    this._numel = n;
    this._contiguous = contiguous || n === 0;
  }

  /**
   * A new zero-filled contiguous tensor (storage from the active backend, whose alloc always zero-fills:
   * kernels that only add into their output, and optimizer state, rely on the zeros). `op` names the caller in the
   * error thrown for a size no typed array can hold (more than MAX_NUMEL elements, or memory exhausted).
   */
  static zeros(shape: readonly number[], dtype: DType = 'float32', op = 'Tensor.zeros'): Tensor {
    const s = checkShape(op, 'shape', shape);
    if (!isDType(dtype)) throw new ArgumentError(op, unknownDTypeMessage(dtype));
    const n = numelOf(s);
    if (!(n <= MAX_NUMEL)) {
      throw new ArgumentError(op, `shape ${fmtShape(s)} has ${n} elements, more than the ${MAX_NUMEL} a tensor can hold`);
    }
    let storage: Storage;
    try {
      storage = getBackend().alloc(n, dtype);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new ArgumentError(op, `cannot allocate ${n} ${dtype} elements for shape ${fmtShape(s)} (${e.message})`, { cause: e });
    }
    return new Tensor(storage, s, contiguousStrides(s), 0);
  }

  /** The storage's typed array (indexed with offset + sum(index * stride)). */
  get data(): TypedArray {
    return this.storage.data;
  }
  get ndim(): number {
    return this.shape.length;
  }
  dim(): number {
    return this.shape.length;
  }
  numel(): number {
    return this._numel;
  }
  /** The shape (a copy), or the size of one dim. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? this.shape.slice() : this.shape[normDim('size', dim, this.ndim)];
  }
  /** True when the elements are laid out row-major without gaps (from `offset`). */
  isContiguous(): boolean {
    return this._contiguous;
  }

  // views
  view(...shape: ShapeArgs): Tensor {
    return v.view(this, shapeFromArgs('view', shape));
  }
  reshape(...shape: ShapeArgs): Tensor {
    return v.reshape(this, shapeFromArgs('reshape', shape));
  }
  permute(...dims: ShapeArgs): Tensor {
    return v.permute(this, shapeFromArgs('permute', dims, 'dims'));
  }
  transpose(dim0: number, dim1: number): Tensor {
    return v.transpose(this, dim0, dim1);
  }
  t(): Tensor {
    return v.t(this);
  }
  squeeze(dim?: number | readonly number[]): Tensor {
    return v.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return v.unsqueeze(this, dim);
  }
  expand(...sizes: ShapeArgs): Tensor {
    return v.expand(this, shapeFromArgs('expand', sizes, 'sizes'));
  }
  expandAs(other: Tensor): Tensor;
  expandAs<V extends TensorDispatch>(other: V): Dispatched<V>;
  expandAs(other: Tensor | TensorDispatch): unknown {
    if (!(other instanceof Tensor)) {
      const r = deferOp('expandAs', [this, other]);
      if (r !== undefined) return r;
    }
    ew.checkTensor('expandAs', other, 'other');
    return v.expand(this, other.shape, 'expandAs');
  }
  broadcastTo(...shape: ShapeArgs): Tensor {
    return v.expand(this, shapeFromArgs('broadcastTo', shape), 'broadcastTo');
  }
  slice(dim: number, start?: number, stop?: number, step?: number): Tensor {
    return v.slice(this, dim, start, stop, step);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return v.narrow(this, dim, start, length);
  }
  select(dim: number, index: number): Tensor {
    return v.select(this, dim, index);
  }
  flatten(startDim?: number, endDim?: number): Tensor {
    return v.flatten(this, startDim, endDim);
  }
  unflatten(dim: number, sizes: readonly number[]): Tensor {
    return v.unflatten(this, dim, sizes);
  }
  contiguous(): Tensor {
    return v.contiguous(this);
  }
  clone(): Tensor {
    return v.clone(this);
  }

  split(splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
    return join.split(this, splitSizeOrSections, dim);
  }
  chunk(chunks: number, dim = 0): Tensor[] {
    return join.chunk(this, chunks, dim);
  }

  // conversion
  toArray(): NestedNumbers {
    return conv.toArray(this);
  }
  item(): number {
    return conv.item(this);
  }
  /** A contiguous flat copy of the elements in row-major order. */
  toTypedArray(): TypedArray {
    return conv.toTypedArray(this);
  }
  /** A copy converted to `dtype` (this tensor itself when it already has it). */
  to(dtype: DType): Tensor {
    return conv.to(this, dtype);
  }
  /** `to('float32')` (PyTorch's `.float()`). */
  float(): Tensor {
    return conv.to(this, 'float32');
  }
  /** `to('float64')`. */
  double(): Tensor {
    return conv.to(this, 'float64');
  }
  /** `to('int32')`: floats truncate toward zero (PyTorch's `.int()`). */
  int(): Tensor {
    return conv.to(this, 'int32');
  }
  /**
   * `to('int32')` under PyTorch's name for labels and indices (`target.long()`): int32 is minigrad's one
   * integer dtype and stands for PyTorch's int64 (values beyond +-2^31 do not fit).
   */
  long(): Tensor {
    return conv.to(this, 'int32');
  }
  /** `to('bool')`: nonzero is true. */
  bool(): Tensor {
    return conv.to(this, 'bool');
  }
  toString(): string {
    return formatTensor(this);
  }
  /** console.log in Node prints like toString() (a well-known symbol: no node: import needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  // elementwise
  neg(): Tensor { return ew.unary('neg', this); }
  abs(): Tensor { return ew.unary('abs', this); }
  exp(): Tensor { return ew.unary('exp', this); }
  log(): Tensor { return ew.unary('log', this); }
  sqrt(): Tensor { return ew.unary('sqrt', this); }
  rsqrt(): Tensor { return ew.unary('rsqrt', this); }
  sin(): Tensor { return ew.unary('sin', this); }
  cos(): Tensor { return ew.unary('cos', this); }
  tanh(): Tensor { return ew.unary('tanh', this); }
  sigmoid(): Tensor { return ew.unary('sigmoid', this); }
  relu(): Tensor { return ew.unary('relu', this); }
  erf(): Tensor { return ew.unary('erf', this); }
  sign(): Tensor { return ew.unary('sign', this); }
  reciprocal(): Tensor { return ew.unary('reciprocal', this); }
  square(): Tensor { return ew.unary('square', this); }
  logicalNot(): Tensor { return ew.unary('logicalNot', this); }
  leakyRelu(negativeSlope = 0.01): Tensor {
    return ew.leakyRelu(this, negativeSlope);
  }
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor {
    return ew.gelu(this, approximate);
  }
  softplus(beta = 1, threshold = 20): Tensor {
    return ew.softplus(this, beta, threshold);
  }
  /** Bounds are numbers or tensors (broadcast with this one), null or undefined for none. */
  clamp(min?: Tensor | number | null, max?: Tensor | number | null): Tensor;
  clamp<V extends TensorDispatch>(min?: Tensor | number | V | null, max?: Tensor | number | V | null): Dispatched<V>;
  clamp(min?: Tensor | number | TensorDispatch | null, max?: Tensor | number | TensorDispatch | null): unknown {
    if (isDeferred(min) || isDeferred(max)) {
      const r = deferOp('clamp', [this, min, max]);
      if (r !== undefined) return r;
    }
    return ew.clamp(this, min as Tensor | number | null | undefined, max as Tensor | number | null | undefined);
  }

  // Binary ops take a Tensor or a number; handed a Variable (any operand implementing the dispatch protocol),
  // they return what it does: `t.add(v)` is `v`'s add, a Variable on the tape.
  add(other: Tensor | number, alpha?: number): Tensor;
  add<V extends TensorDispatch>(other: V, alpha?: number): Dispatched<V>;
  add(other: Tensor | number | TensorDispatch, alpha = 1): unknown { return ew.binary('add', this, other, alpha); }
  sub(other: Tensor | number, alpha?: number): Tensor;
  sub<V extends TensorDispatch>(other: V, alpha?: number): Dispatched<V>;
  sub(other: Tensor | number | TensorDispatch, alpha = 1): unknown { return ew.binary('sub', this, other, alpha); }
  mul(other: Tensor | number): Tensor;
  mul<V extends TensorDispatch>(other: V): Dispatched<V>;
  mul(other: Tensor | number | TensorDispatch): unknown { return ew.binary('mul', this, other); }
  div(other: Tensor | number): Tensor;
  div<V extends TensorDispatch>(other: V): Dispatched<V>;
  div(other: Tensor | number | TensorDispatch): unknown { return ew.binary('div', this, other); }
  pow(exponent: Tensor | number): Tensor;
  pow<V extends TensorDispatch>(exponent: V): Dispatched<V>;
  pow(exponent: Tensor | number | TensorDispatch): unknown { return ew.binary('pow', this, exponent); }
  maximum(other: Tensor | number): Tensor;
  maximum<V extends TensorDispatch>(other: V): Dispatched<V>;
  maximum(other: Tensor | number | TensorDispatch): unknown { return ew.binary('maximum', this, other); }
  minimum(other: Tensor | number): Tensor;
  minimum<V extends TensorDispatch>(other: V): Dispatched<V>;
  minimum(other: Tensor | number | TensorDispatch): unknown { return ew.binary('minimum', this, other); }
  eq(other: Tensor | number): Tensor;
  eq<V extends TensorDispatch>(other: V): Dispatched<V>;
  eq(other: Tensor | number | TensorDispatch): unknown { return ew.binary('eq', this, other); }
  ne(other: Tensor | number): Tensor;
  ne<V extends TensorDispatch>(other: V): Dispatched<V>;
  ne(other: Tensor | number | TensorDispatch): unknown { return ew.binary('ne', this, other); }
  lt(other: Tensor | number): Tensor;
  lt<V extends TensorDispatch>(other: V): Dispatched<V>;
  lt(other: Tensor | number | TensorDispatch): unknown { return ew.binary('lt', this, other); }
  le(other: Tensor | number): Tensor;
  le<V extends TensorDispatch>(other: V): Dispatched<V>;
  le(other: Tensor | number | TensorDispatch): unknown { return ew.binary('le', this, other); }
  gt(other: Tensor | number): Tensor;
  gt<V extends TensorDispatch>(other: V): Dispatched<V>;
  gt(other: Tensor | number | TensorDispatch): unknown { return ew.binary('gt', this, other); }
  ge(other: Tensor | number): Tensor;
  ge<V extends TensorDispatch>(other: V): Dispatched<V>;
  ge(other: Tensor | number | TensorDispatch): unknown { return ew.binary('ge', this, other); }
  logicalAnd(other: Tensor | number): Tensor;
  logicalAnd<V extends TensorDispatch>(other: V): Dispatched<V>;
  logicalAnd(other: Tensor | number | TensorDispatch): unknown { return ew.binary('logicalAnd', this, other); }
  logicalOr(other: Tensor | number): Tensor;
  logicalOr<V extends TensorDispatch>(other: V): Dispatched<V>;
  logicalOr(other: Tensor | number | TensorDispatch): unknown { return ew.binary('logicalOr', this, other); }

  // reductions
  sum(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.sum(this, dim, keepdim);
  }
  mean(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.mean(this, dim, keepdim);
  }
  prod(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('prod', this, dim, keepdim);
  }
  amax(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('amax', this, dim, keepdim);
  }
  amin(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('amin', this, dim, keepdim);
  }
  all(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.allAny('all', this, dim, keepdim);
  }
  any(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.allAny('any', this, dim, keepdim);
  }
  logsumexp(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('logsumexp', this, dim, keepdim);
  }
  /** Without a dim: the largest element (0-d). With a dim: values and int32 indices (first max wins ties). */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  max(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? red.reduce('max', this, undefined, false) : red.maxMin('max', this, dim, keepdim);
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  min(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? red.reduce('min', this, undefined, false) : red.maxMin('min', this, dim, keepdim);
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return red.argMaxMin('argmax', this, dim, keepdim);
  }
  argmin(dim?: number, keepdim = false): Tensor {
    return red.argMaxMin('argmin', this, dim, keepdim);
  }
  var(dim?: number | readonly number[], opts: red.VarOptions = {}): Tensor {
    return red.variance('var', this, dim, opts);
  }
  std(dim?: number | readonly number[], opts: red.VarOptions = {}): Tensor {
    return red.variance('std', this, dim, opts);
  }
  softmax(dim: number): Tensor {
    return red.softmax('softmax', this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return red.softmax('logSoftmax', this, dim);
  }
  /** Running sums along dim (bool and int32 sum in int32; `dtype` converts the input first). */
  cumsum(dim: number, opts?: CumsumOptions): Tensor {
    return cumsum(this, dim, opts);
  }
  /** Sorted along dim (stable: equal elements keep their order; NaN is the largest) with int32 indices. */
  sort(dim = -1, opts?: srt.SortOptions): { values: Tensor; indices: Tensor } {
    return srt.sort(this, dim, opts);
  }
  /** The int32 indices that sort this tensor along dim (stable). */
  argsort(dim = -1, opts?: srt.SortOptions): Tensor {
    return srt.argsort(this, dim, opts);
  }
  /** The k largest (or smallest) elements along dim, sorted, with int32 indices (ties: lower index first). */
  topk(k: number, dim = -1, opts?: srt.TopkOptions): { values: Tensor; indices: Tensor } {
    return srt.topk(this, k, dim, opts);
  }
  /** Sums over the dims that broadcasting would expand, so the result has `shape` (gradient of broadcasting). */
  sumToSize(...shape: ShapeArgs): Tensor {
    return red.sumToSize(this, shapeFromArgs('sumToSize', shape));
  }

  // linear algebra and indexing
  matmul(other: Tensor): Tensor;
  matmul<V extends TensorDispatch>(other: V): Dispatched<V>;
  matmul(other: Tensor | TensorDispatch): unknown {
    return matmul(this, other as Tensor);
  }
  gather(dim: number, index: Tensor): Tensor;
  gather<V extends TensorDispatch>(dim: number, index: V): Dispatched<V>;
  gather(dim: number, index: Tensor | TensorDispatch): unknown {
    return idx.gather(this, dim, index);
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
  scatterAdd<V extends TensorDispatch>(dim: number, index: Tensor | V, src: Tensor | V): Dispatched<V>;
  scatterAdd(dim: number, index: Tensor | TensorDispatch, src: Tensor | TensorDispatch): unknown {
    return idx.scatterAdd(this, dim, index, src);
  }
  indexSelect(dim: number, index: Tensor): Tensor;
  indexSelect<V extends TensorDispatch>(dim: number, index: V): Dispatched<V>;
  indexSelect(dim: number, index: Tensor | TensorDispatch): unknown {
    return idx.indexSelect(this, dim, index);
  }
  /** A copy with `value` (a number or a 0-d tensor) where the bool `mask` (broadcast with this tensor) is true. */
  maskedFill(mask: Tensor, value: number | Tensor): Tensor;
  maskedFill<V extends TensorDispatch>(mask: Tensor | V, value: number | Tensor | V): Dispatched<V>;
  maskedFill(mask: Tensor | TensorDispatch, value: number | Tensor | TensorDispatch): unknown {
    if (isDeferred(mask) || isDeferred(value)) {
      const r = deferOp('maskedFill', [this, mask, value]);
      if (r !== undefined) return r;
    }
    return mask_.maskedFill(this, mask as Tensor, value as number | Tensor);
  }
  /** The elements where the bool `mask` (broadcast with this tensor) is true, as a 1-D tensor. */
  maskedSelect(mask: Tensor): Tensor;
  maskedSelect<V extends TensorDispatch>(mask: V): Dispatched<V>;
  maskedSelect(mask: Tensor | TensorDispatch): unknown {
    if (isDeferred(mask)) {
      const r = deferOp('maskedSelect', [this, mask]);
      if (r !== undefined) return r;
    }
    return mask_.maskedSelect(this, mask as Tensor);
  }

  // in place: each bumps storage.version. A Variable operand gives its values (`w.data.subInPlace(w.grad)`).
  addInPlace(other: Tensor | number | TensorDispatch, alpha = 1): this {
    return inplace.binaryInPlace('addInPlace', this, other, alpha);
  }
  subInPlace(other: Tensor | number | TensorDispatch, alpha = 1): this {
    return inplace.binaryInPlace('subInPlace', this, other, alpha);
  }
  mulInPlace(other: Tensor | number | TensorDispatch): this {
    return inplace.binaryInPlace('mulInPlace', this, other, 1);
  }
  divInPlace(other: Tensor | number | TensorDispatch): this {
    return inplace.binaryInPlace('divInPlace', this, other, 1);
  }
  copyFrom(src: Tensor | TensorDispatch): this {
    return inplace.copyFrom(this, src);
  }
  fill(value: number): this {
    return inplace.fill(this, value);
  }
  zero(): this {
    return inplace.fill(this, 0);
  }
}
