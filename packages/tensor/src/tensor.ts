// The Tensor class: storage + shape + strides (in elements) + offset + dtype. Methods delegate to ops/*.
import { getBackend } from './backend.js';
import { inScope, isReleased, releasedError, trackAllocation } from './allocation-scope.js';
import { noteAllocation } from './capture/recording.js';
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
import type { ValuesIndices } from './ops/sort.js';
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

/**
 * An n-dimensional strided array: a storage shared by every view of it, plus shape, strides (in elements),
 * offset and dtype. Views (`view`, `transpose`, `slice`, ...) share storage; every other op returns a new tensor.
 * Create tensors with `tensor()`, `zeros()`, `randn()`, ...; the constructor only wraps an existing storage.
 * PyTorch: `torch.Tensor`.
 */
export class Tensor {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'Tensor';
  /** The typed storage holding the elements, shared by every view of it. */
  readonly storage: Storage;
  /** The size of each dimension. PyTorch: `torch.Tensor.shape`. */
  readonly shape: number[];
  /** How many elements to step in the storage per step along each dimension. PyTorch: `torch.Tensor.stride()`. */
  readonly strides: number[];
  /** Index of the first element in the storage. PyTorch: `torch.Tensor.storage_offset()`. */
  readonly offset: number;
  /** The element type: 'float32', 'float64', 'int32' or 'bool'. PyTorch: `torch.Tensor.dtype`. */
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
    return allocate(shape, dtype, op, 'zeros');
  }

  /** The storage's typed array (indexed with offset + sum(index * stride)). */
  get data(): TypedArray {
    if (isReleased(this)) throw releasedError(this.shape);
    return this.storage.data;
  }
  /** The number of dimensions. PyTorch: `torch.Tensor.ndim`. */
  get ndim(): number {
    return this.shape.length;
  }
  /** The number of dimensions. PyTorch: `torch.Tensor.dim`. */
  dim(): number {
    return this.shape.length;
  }
  /** The number of elements (the product of the shape). PyTorch: `torch.Tensor.numel`. */
  numel(): number {
    return this._numel;
  }
  /** The shape (a copy), or the size of one dim. */
  size(): number[];
  /** The size of dimension `dim` (negative counts from the end). PyTorch: `torch.Tensor.size`. */
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? this.shape.slice() : this.shape[normDim('size', dim, this.ndim)];
  }
  /** True when the elements are laid out row-major without gaps (from `offset`). */
  isContiguous(): boolean {
    return this._contiguous;
  }

  // views
  /**
   * A view with another shape over the same storage (one size may be -1); throws when the strides allow no view
   * (use `reshape`). Takes an array or varargs. PyTorch: `torch.Tensor.view`.
   */
  view(...shape: ShapeArgs): Tensor {
    return v.view(this, shapeFromArgs('view', shape));
  }
  /**
   * This tensor with another shape: a view when the strides allow one, else a contiguous copy. PyTorch: `torch.reshape`.
   */
  reshape(...shape: ShapeArgs): Tensor {
    return v.reshape(this, shapeFromArgs('reshape', shape));
  }
  /** A view with the dimensions reordered (`dims` is a permutation). PyTorch: `torch.permute`. */
  permute(...dims: ShapeArgs): Tensor {
    return v.permute(this, shapeFromArgs('permute', dims, 'dims'));
  }
  /** A view with two dimensions swapped. PyTorch: `torch.transpose`. */
  transpose(dim0: number, dim1: number): Tensor {
    return v.transpose(this, dim0, dim1);
  }
  /**
   * The transpose of a tensor of at most 2 dims (a view; 0-d and 1-d tensors come back as they are). PyTorch: `torch.t`.
   */
  t(): Tensor {
    return v.t(this);
  }
  /**
   * A view without size-1 dims: all of them, or those among `dim` (other sizes in `dim` are left). PyTorch: `torch.squeeze`.
   */
  squeeze(dim?: number | readonly number[]): Tensor {
    return v.squeeze(this, dim);
  }
  /** A view with a size-1 dimension inserted at `dim`. PyTorch: `torch.unsqueeze`. */
  unsqueeze(dim: number): Tensor {
    return v.unsqueeze(this, dim);
  }
  /**
   * A stride-0 view that repeats size-1 dims to `sizes` (-1 keeps a size); write to a copy, never to it. PyTorch: `torch.Tensor.expand`.
   */
  expand(...sizes: ShapeArgs): Tensor {
    return v.expand(this, shapeFromArgs('expand', sizes, 'sizes'));
  }
  /** `expand` to the shape of `other`. PyTorch: `torch.Tensor.expand_as`. */
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
  /** A stride-0 view broadcast to `shape` (NumPy rules). PyTorch: `torch.broadcast_to`. */
  broadcastTo(...shape: ShapeArgs): Tensor {
    return v.expand(this, shapeFromArgs('broadcastTo', shape), 'broadcastTo');
  }
  /**
   * A view of `start:stop:step` along `dim`: negative indices count from the end, bounds are clamped, the step is
   * positive. PyTorch: indexing `x[..., start:stop:step]`.
   */
  slice(dim: number, start?: number, stop?: number, step?: number): Tensor {
    return v.slice(this, dim, start, stop, step);
  }
  /** A view of `length` elements from `start` along `dim`. PyTorch: `torch.narrow`. */
  narrow(dim: number, start: number, length: number): Tensor {
    return v.narrow(this, dim, start, length);
  }
  /** A view of one index along `dim`, which is removed. PyTorch: `torch.select`. */
  select(dim: number, index: number): Tensor {
    return v.select(this, dim, index);
  }
  /**
   * Merges dims `startDim..endDim` (default all) into one: a view when possible, else a copy. PyTorch: `torch.flatten`.
   */
  flatten(startDim?: number, endDim?: number): Tensor {
    return v.flatten(this, startDim, endDim);
  }
  /** Splits dimension `dim` into `sizes` (a view). PyTorch: `torch.unflatten`. */
  unflatten(dim: number, sizes: readonly number[]): Tensor {
    return v.unflatten(this, dim, sizes);
  }
  /** This tensor when it is contiguous, else a contiguous copy. PyTorch: `torch.Tensor.contiguous`. */
  contiguous(): Tensor {
    return v.contiguous(this);
  }
  /** A contiguous copy with its own storage. PyTorch: `torch.clone`. */
  clone(): Tensor {
    return v.clone(this);
  }

  /**
   * Views of consecutive pieces along `dim`: each of `splitSizeOrSections` elements (the last may be shorter), or of
   * the listed sizes. PyTorch: `torch.split`.
   */
  split(splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
    return join.split(this, splitSizeOrSections, dim);
  }
  /** Views of at most `chunks` equal pieces along `dim` (the last may be shorter). PyTorch: `torch.chunk`. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return join.chunk(this, chunks, dim);
  }

  // conversion
  /** The elements as nested JS arrays (a number for a 0-d tensor; bools as 0/1). PyTorch: `torch.Tensor.tolist`. */
  toArray(): NestedNumbers {
    return conv.toArray(this);
  }
  /** The value of a one-element tensor as a JS number; throws for any other size. PyTorch: `torch.Tensor.item`. */
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
  /**
   * A readable listing of the values, shape and dtype, as PyTorch prints a tensor. PyTorch: `torch.Tensor.__repr__`.
   */
  toString(): string {
    return formatTensor(this);
  }
  /** console.log in Node prints like toString() (a well-known symbol: no node: import needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  // elementwise
  /** Elementwise `-x`. PyTorch: `torch.neg`. */
  neg(): Tensor { return ew.unary('neg', this); }
  /** Elementwise absolute value. PyTorch: `torch.abs`. */
  abs(): Tensor { return ew.unary('abs', this); }
  /** Elementwise `e^x` (int and bool inputs give float32). PyTorch: `torch.exp`. */
  exp(): Tensor { return ew.unary('exp', this); }
  /** Elementwise natural logarithm. PyTorch: `torch.log`. */
  log(): Tensor { return ew.unary('log', this); }
  /** Elementwise square root. PyTorch: `torch.sqrt`. */
  sqrt(): Tensor { return ew.unary('sqrt', this); }
  /** Elementwise `1 / sqrt(x)`. PyTorch: `torch.rsqrt`. */
  rsqrt(): Tensor { return ew.unary('rsqrt', this); }
  /** Elementwise sine. PyTorch: `torch.sin`. */
  sin(): Tensor { return ew.unary('sin', this); }
  /** Elementwise cosine. PyTorch: `torch.cos`. */
  cos(): Tensor { return ew.unary('cos', this); }
  /** Elementwise hyperbolic tangent. PyTorch: `torch.tanh`. */
  tanh(): Tensor { return ew.unary('tanh', this); }
  /** Elementwise logistic function `1 / (1 + e^-x)`, without overflow for large inputs. PyTorch: `torch.sigmoid`. */
  sigmoid(): Tensor { return ew.unary('sigmoid', this); }
  /** Elementwise `max(x, 0)`. PyTorch: `torch.relu`. */
  relu(): Tensor { return ew.unary('relu', this); }
  /** Elementwise Gauss error function. PyTorch: `torch.erf`. */
  erf(): Tensor { return ew.unary('erf', this); }
  /** Elementwise sign: -1, 0 or 1. PyTorch: `torch.sign`. */
  sign(): Tensor { return ew.unary('sign', this); }
  /** Elementwise `1 / x`. PyTorch: `torch.reciprocal`. */
  reciprocal(): Tensor { return ew.unary('reciprocal', this); }
  /** Elementwise `x * x`. PyTorch: `torch.square`. */
  square(): Tensor { return ew.unary('square', this); }
  /** Elementwise logical not (nonzero is true), as a bool tensor. PyTorch: `torch.logical_not`. */
  logicalNot(): Tensor { return ew.unary('logicalNot', this); }
  /** Elementwise `x > 0 ? x : negativeSlope * x`. PyTorch: `torch.nn.functional.leaky_relu`. */
  leakyRelu(negativeSlope = 0.01): Tensor {
    return ew.leakyRelu(this, negativeSlope);
  }
  /**
   * Elementwise GELU `x * Phi(x)`: the exact erf form, or its tanh approximation. PyTorch: `torch.nn.functional.gelu`.
   */
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor {
    return ew.gelu(this, approximate);
  }
  /**
   * Elementwise `log(1 + e^(beta x)) / beta`, and `x` itself where `beta * x > threshold`. PyTorch: `torch.nn.functional.softplus`.
   */
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
  /** `this + alpha * other`, broadcast, with type promotion. PyTorch: `torch.add`. */
  add(other: Tensor | number, alpha?: number): Tensor;
  add<V extends TensorDispatch>(other: V, alpha?: number): Dispatched<V>;
  add(other: Tensor | number | TensorDispatch, alpha = 1): unknown { return ew.binary('add', this, other, alpha); }
  /** `this - alpha * other`, broadcast. PyTorch: `torch.sub`. */
  sub(other: Tensor | number, alpha?: number): Tensor;
  sub<V extends TensorDispatch>(other: V, alpha?: number): Dispatched<V>;
  sub(other: Tensor | number | TensorDispatch, alpha = 1): unknown { return ew.binary('sub', this, other, alpha); }
  /** Elementwise product, broadcast. PyTorch: `torch.mul`. */
  mul(other: Tensor | number): Tensor;
  mul<V extends TensorDispatch>(other: V): Dispatched<V>;
  mul(other: Tensor | number | TensorDispatch): unknown { return ew.binary('mul', this, other); }
  /** Elementwise true division (int inputs give float32), broadcast. PyTorch: `torch.div`. */
  div(other: Tensor | number): Tensor;
  div<V extends TensorDispatch>(other: V): Dispatched<V>;
  div(other: Tensor | number | TensorDispatch): unknown { return ew.binary('div', this, other); }
  /** Elementwise `this ** exponent`, broadcast. PyTorch: `torch.pow`. */
  pow(exponent: Tensor | number): Tensor;
  pow<V extends TensorDispatch>(exponent: V): Dispatched<V>;
  pow(exponent: Tensor | number | TensorDispatch): unknown { return ew.binary('pow', this, exponent); }
  /** Elementwise maximum of two operands, broadcast. PyTorch: `torch.maximum`. */
  maximum(other: Tensor | number): Tensor;
  maximum<V extends TensorDispatch>(other: V): Dispatched<V>;
  maximum(other: Tensor | number | TensorDispatch): unknown { return ew.binary('maximum', this, other); }
  /** Elementwise minimum of two operands, broadcast. PyTorch: `torch.minimum`. */
  minimum(other: Tensor | number): Tensor;
  minimum<V extends TensorDispatch>(other: V): Dispatched<V>;
  minimum(other: Tensor | number | TensorDispatch): unknown { return ew.binary('minimum', this, other); }
  /** Elementwise `==`, as a bool tensor. PyTorch: `torch.eq`. */
  eq(other: Tensor | number): Tensor;
  eq<V extends TensorDispatch>(other: V): Dispatched<V>;
  eq(other: Tensor | number | TensorDispatch): unknown { return ew.binary('eq', this, other); }
  /** Elementwise `!=`, as a bool tensor. PyTorch: `torch.ne`. */
  ne(other: Tensor | number): Tensor;
  ne<V extends TensorDispatch>(other: V): Dispatched<V>;
  ne(other: Tensor | number | TensorDispatch): unknown { return ew.binary('ne', this, other); }
  /** Elementwise `<`, as a bool tensor. PyTorch: `torch.lt`. */
  lt(other: Tensor | number): Tensor;
  lt<V extends TensorDispatch>(other: V): Dispatched<V>;
  lt(other: Tensor | number | TensorDispatch): unknown { return ew.binary('lt', this, other); }
  /** Elementwise `<=`, as a bool tensor. PyTorch: `torch.le`. */
  le(other: Tensor | number): Tensor;
  le<V extends TensorDispatch>(other: V): Dispatched<V>;
  le(other: Tensor | number | TensorDispatch): unknown { return ew.binary('le', this, other); }
  /** Elementwise `>`, as a bool tensor. PyTorch: `torch.gt`. */
  gt(other: Tensor | number): Tensor;
  gt<V extends TensorDispatch>(other: V): Dispatched<V>;
  gt(other: Tensor | number | TensorDispatch): unknown { return ew.binary('gt', this, other); }
  /** Elementwise `>=`, as a bool tensor. PyTorch: `torch.ge`. */
  ge(other: Tensor | number): Tensor;
  ge<V extends TensorDispatch>(other: V): Dispatched<V>;
  ge(other: Tensor | number | TensorDispatch): unknown { return ew.binary('ge', this, other); }
  /** Elementwise logical and (nonzero is true), as a bool tensor. PyTorch: `torch.logical_and`. */
  logicalAnd(other: Tensor | number): Tensor;
  logicalAnd<V extends TensorDispatch>(other: V): Dispatched<V>;
  logicalAnd(other: Tensor | number | TensorDispatch): unknown { return ew.binary('logicalAnd', this, other); }
  /** Elementwise logical or (nonzero is true), as a bool tensor. PyTorch: `torch.logical_or`. */
  logicalOr(other: Tensor | number): Tensor;
  logicalOr<V extends TensorDispatch>(other: V): Dispatched<V>;
  logicalOr(other: Tensor | number | TensorDispatch): unknown { return ew.binary('logicalOr', this, other); }

  // reductions
  /**
   * Sum over `dim` (one or several dims; all when omitted), keeping them as size 1 with `keepdim`. PyTorch: `torch.sum`.
   */
  sum(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.sum(this, dim, keepdim);
  }
  /** Mean over `dim` (all dims when omitted). PyTorch: `torch.mean`. */
  mean(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.mean(this, dim, keepdim);
  }
  /** Product over `dim` (all dims when omitted). PyTorch: `torch.prod`. */
  prod(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('prod', this, dim, keepdim);
  }
  /** Largest value over `dim` (all dims when omitted), without indices. PyTorch: `torch.amax`. */
  amax(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('amax', this, dim, keepdim);
  }
  /** Smallest value over `dim` (all dims when omitted), without indices. PyTorch: `torch.amin`. */
  amin(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('amin', this, dim, keepdim);
  }
  /** Whether every element over `dim` is nonzero, as a bool tensor. PyTorch: `torch.all`. */
  all(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.allAny('all', this, dim, keepdim);
  }
  /** Whether some element over `dim` is nonzero, as a bool tensor. PyTorch: `torch.any`. */
  any(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.allAny('any', this, dim, keepdim);
  }
  /**
   * `log(sum(exp(x)))` over `dim`, with the max subtracted first so it does not overflow. PyTorch: `torch.logsumexp`.
   */
  logsumexp(dim?: number | readonly number[], keepdim = false): Tensor {
    return red.reduce('logsumexp', this, dim, keepdim);
  }
  /** Without a dim: the largest element (0-d). With a dim: values and int32 indices (first max wins ties). */
  max(): Tensor;
  /** The largest values along `dim` and their int32 indices (the first maximum wins ties). PyTorch: `torch.max`. */
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? red.reduce('max', this, undefined, false) : red.maxMin('max', this, dim, keepdim);
  }
  /**
   * Without a dim: the smallest element (0-d). With a dim: values and int32 indices (first min wins ties). PyTorch: `torch.min`.
   */
  min(): Tensor;
  /** The smallest values along `dim` and their int32 indices (the first minimum wins ties). PyTorch: `torch.min`. */
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? red.reduce('min', this, undefined, false) : red.maxMin('min', this, dim, keepdim);
  }
  /** int32 index of the largest value along `dim` (of the flattened tensor when omitted). PyTorch: `torch.argmax`. */
  argmax(dim?: number, keepdim = false): Tensor {
    return red.argMaxMin('argmax', this, dim, keepdim);
  }
  /** int32 index of the smallest value along `dim` (of the flattened tensor when omitted). PyTorch: `torch.argmin`. */
  argmin(dim?: number, keepdim = false): Tensor {
    return red.argMaxMin('argmin', this, dim, keepdim);
  }
  /** Variance over `dim`, unbiased by default (`correction` 1). PyTorch: `torch.var`. */
  var(dim?: number | readonly number[], opts: red.VarOptions = {}): Tensor {
    return red.variance('var', this, dim, opts);
  }
  /** Standard deviation over `dim`, unbiased by default (`correction` 1). PyTorch: `torch.std`. */
  std(dim?: number | readonly number[], opts: red.VarOptions = {}): Tensor {
    return red.variance('std', this, dim, opts);
  }
  /** `exp(x) / sum(exp(x))` along `dim`, with the max subtracted first. PyTorch: `torch.softmax`. */
  softmax(dim: number): Tensor {
    return red.softmax('softmax', this, dim);
  }
  /** `x - logsumexp(x)` along `dim`. PyTorch: `torch.log_softmax`. */
  logSoftmax(dim: number): Tensor {
    return red.softmax('logSoftmax', this, dim);
  }
  /** Running sums along dim (bool and int32 sum in int32; `dtype` converts the input first). */
  cumsum(dim: number, opts?: CumsumOptions): Tensor {
    return cumsum(this, dim, opts);
  }
  /** Sorted along dim (stable: equal elements keep their order; NaN is the largest) with int32 indices. */
  sort(dim = -1, opts?: srt.SortOptions): ValuesIndices {
    return srt.sort(this, dim, opts);
  }
  /** The int32 indices that sort this tensor along dim (stable). */
  argsort(dim = -1, opts?: srt.SortOptions): Tensor {
    return srt.argsort(this, dim, opts);
  }
  /** The k largest (or smallest) elements along dim, sorted, with int32 indices (ties: lower index first). */
  topk(k: number, dim = -1, opts?: srt.TopkOptions): ValuesIndices {
    return srt.topk(this, k, dim, opts);
  }
  /** Sums over the dims that broadcasting would expand, so the result has `shape` (gradient of broadcasting). */
  sumToSize(...shape: ShapeArgs): Tensor {
    return red.sumToSize(this, shapeFromArgs('sumToSize', shape));
  }

  // linear algebra and indexing
  /** Matrix product with NumPy batching and the 1-D rules. PyTorch: `torch.matmul`. */
  matmul(other: Tensor): Tensor;
  matmul<V extends TensorDispatch>(other: V): Dispatched<V>;
  matmul(other: Tensor | TensorDispatch): unknown {
    return matmul(this, other as Tensor);
  }
  /**
   * Picks along `dim` the elements at the int32 `index` positions (`out[i][j] = x[index[i][j]][j]` for dim 0). PyTorch: `torch.gather`.
   */
  gather(dim: number, index: Tensor): Tensor;
  gather<V extends TensorDispatch>(dim: number, index: V): Dispatched<V>;
  gather(dim: number, index: Tensor | TensorDispatch): unknown {
    return idx.gather(this, dim, index);
  }
  /**
   * A copy of this tensor with `src` added at the `index` positions along `dim` (repeats accumulate). PyTorch: `torch.scatter_add`.
   */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
  scatterAdd<V extends TensorDispatch>(dim: number, index: Tensor | V, src: Tensor | V): Dispatched<V>;
  scatterAdd(dim: number, index: Tensor | TensorDispatch, src: Tensor | TensorDispatch): unknown {
    return idx.scatterAdd(this, dim, index, src);
  }
  /** The slices along `dim` at the int32 positions in the 1-D `index`, in that order. PyTorch: `torch.index_select`. */
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
  /**
   * In place `this += alpha * other` (other broadcast to this shape); bumps `storage.version`. PyTorch: `torch.Tensor.add_`.
   */
  addInPlace(other: Tensor | number | TensorDispatch, alpha = 1): this {
    return inplace.binaryInPlace('addInPlace', this, other, alpha);
  }
  /** In place `this -= alpha * other`; bumps `storage.version`. PyTorch: `torch.Tensor.sub_`. */
  subInPlace(other: Tensor | number | TensorDispatch, alpha = 1): this {
    return inplace.binaryInPlace('subInPlace', this, other, alpha);
  }
  /** In place `this *= other`; bumps `storage.version`. PyTorch: `torch.Tensor.mul_`. */
  mulInPlace(other: Tensor | number | TensorDispatch): this {
    return inplace.binaryInPlace('mulInPlace', this, other, 1);
  }
  /** In place `this /= other`; bumps `storage.version`. PyTorch: `torch.Tensor.div_`. */
  divInPlace(other: Tensor | number | TensorDispatch): this {
    return inplace.binaryInPlace('divInPlace', this, other, 1);
  }
  /**
   * Copies `src` (broadcast, converted to this dtype) into this tensor; bumps `storage.version`. PyTorch: `torch.Tensor.copy_`.
   */
  copyFrom(src: Tensor | TensorDispatch): this {
    return inplace.copyFrom(this, src);
  }
  /** Sets every element to `value`; bumps `storage.version`. PyTorch: `torch.Tensor.fill_`. */
  fill(value: number): this {
    return inplace.fill(this, value);
  }
  /** Sets every element to 0; bumps `storage.version`. PyTorch: `torch.Tensor.zero_`. */
  zero(): this {
    return inplace.fill(this, 0);
  }
}

/**
 * A new contiguous tensor whose values are unspecified: a pooled array comes back with what its last owner wrote
 * (Tensor.zeros has it zero-filled). Only for an output that the kernel receiving it writes in full; a kernel
 * that adds into its output, or leaves elements alone, needs Tensor.zeros. Internal (`@minigrad/tensor/internal`).
 */
export function uninitializedTensor(shape: readonly number[], dtype: DType = 'float32', op = 'uninitializedTensor'): Tensor {
  return allocate(shape, dtype, op, 'uninitialized');
}

/**
 * A zero-filled tensor for storage that lives long and is read every step, such as a layer's weight: the
 * backend may put it where its kernels read it in place, and free it itself once it is unreachable
 * (`backend.allocKept`; no tidy() scope tracks it).
 */
export function keptZeros(shape: readonly number[], dtype: DType = 'float32', op = 'keptZeros'): Tensor {
  return allocate(shape, dtype, op, 'kept');
}

/** Tensor.zeros, uninitializedTensor and keptZeros: checks the shape, dtype and size, and wraps the backend's storage. */
function allocate(shape: readonly number[], dtype: DType, op: string, kind: 'zeros' | 'uninitialized' | 'kept'): Tensor {
  const s = checkShape(op, 'shape', shape);
  if (!isDType(dtype)) throw new ArgumentError(op, unknownDTypeMessage(dtype));
  const n = numelOf(s);
  if (!(n <= MAX_NUMEL)) {
    throw new ArgumentError(op, `shape ${fmtShape(s)} has ${n} elements, more than the ${MAX_NUMEL} a tensor can hold`);
  }
  let storage: Storage;
  try {
    const backend = getBackend();
    if (kind === 'kept') {
      storage = backend.allocKept?.(n, dtype) ?? backend.alloc(n, dtype);
      noteAllocation(storage, true);
      return new Tensor(storage, s, contiguousStrides(s), 0);
    }
    // Inside tidy() the scope's end reports every storage's end (recycle or evict), so it may be resident.
    const resident = inScope() ? (backend.allocResident?.(n, dtype, kind === 'zeros') ?? null) : null;
    storage = resident ?? (kind === 'uninitialized' && backend.allocUninitialized ? backend.allocUninitialized(n, dtype) : backend.alloc(n, dtype));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ArgumentError(op, `cannot allocate ${n} ${dtype} elements for shape ${fmtShape(s)} (${e.message})`, { cause: e });
  }
  trackAllocation(storage);
  noteAllocation(storage, kind === 'zeros');
  return new Tensor(storage, s, contiguousStrides(s), 0);
}
