// Creating tensors: from data, constant fills, ranges, identity. Default dtype float32.
import { recordConstant } from './capture/recording.js';
import { type DType, type TypedArray, dtypeOfArray, isDType, unknownDTypeMessage } from './dtype.js';
import { ArgumentError, ShapeError, fmtShape } from './errors.js';
import { checkSizes, contiguousStrides, numelOf } from './shape.js';
import { Tensor } from './tensor.js';
import { checkTensor } from './ops/elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from './dispatch.js';
import { checkNonNegativeInt, checkNumber, checkOptions, checkShape, describeName, describeValue } from './validate.js';

/** Nested JS arrays of numbers or booleans (or one number/boolean) to build a tensor from. */
export type NestedData = number | boolean | readonly NestedData[];

/** Options of the creation functions. */
export interface CreateOptions {
  /** Element type of the result (default 'float32', or what the function documents). PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/** Options of `tensor()`. */
export interface TensorOptions extends CreateOptions {
  /** Shape for flat data (a typed array or a flat number array); defaults to its length. */
  shape?: readonly number[];
}

const CREATE_OPTIONS = ['dtype'] as const;

export function checkDType(op: string, dtype: unknown): DType {
  if (dtype === undefined) return 'float32';
  if (!isDType(dtype)) throw new ArgumentError(op, unknownDTypeMessage(dtype));
  return dtype;
}

function inferNestedShape(data: NestedData): number[] {
  const shape: number[] = [];
  let cur: NestedData = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = (cur as readonly NestedData[])[0];
  }
  return shape;
}

function flattenNested(data: NestedData, shape: readonly number[], out: TypedArray, isBool: boolean): void {
  let pos = 0;
  const walk = (d: NestedData, dim: number) => {
    if (dim === shape.length) {
      if (typeof d === 'boolean') out[pos++] = d ? 1 : 0;
      else if (typeof d === 'number') out[pos++] = isBool ? (d !== 0 ? 1 : 0) : d;
      else throw new ArgumentError('tensor', `expected a number or boolean at depth ${dim}, got ${Array.isArray(d) ? 'an array' : typeof d}`);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim]) {
      throw new ShapeError(
        'tensor',
        `ragged nested array: expected ${shape[dim]} elements at dim ${dim} (shape ${fmtShape(shape)}), got ${Array.isArray(d) ? d.length : typeof d}`,
      );
    }
    for (const e of d as readonly NestedData[]) walk(e, dim + 1);
  };
  walk(data, 0);
}

function firstLeaf(data: NestedData): NestedData | undefined {
  let cur: NestedData | undefined = data;
  while (Array.isArray(cur)) cur = cur.length ? (cur as readonly NestedData[])[0] : undefined;
  return cur;
}

/**
 * A tensor with its own copy of `data`: a number or boolean (0-d), a nested array, or a typed array
 * (whose dtype is kept unless `dtype` says otherwise). `shape` reshapes flat data. PyTorch: `torch.tensor`.
 */
export function tensor(data: NestedData | TypedArray, opts: TensorOptions = {}): Tensor {
  checkOptions('tensor', opts, ['dtype', 'shape']);
  const arrayDtype = dtypeOfArray(data);
  let dtype: DType;
  let flat: Tensor;
  if (arrayDtype !== undefined) {
    const src = data as TypedArray;
    dtype = opts.dtype === undefined ? arrayDtype : checkDType('tensor', opts.dtype);
    flat = Tensor.zeros([src.length], dtype);
    const out = flat.data;
    if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
    else out.set(src);
    recordConstant('tensor', out);
  } else {
    if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
      throw new ArgumentError('tensor', `data must be a number, boolean, nested array or typed array, got ${typeof data}`);
    }
    const shape = inferNestedShape(data as NestedData);
    dtype = opts.dtype === undefined ? (typeof firstLeaf(data as NestedData) === 'boolean' ? 'bool' : 'float32') : checkDType('tensor', opts.dtype);
    flat = Tensor.zeros(shape, dtype, 'tensor');
    flattenNested(data as NestedData, shape, flat.data, dtype === 'bool');
    recordConstant('tensor', flat.data);
    if (opts.shape === undefined) return flat;
  }
  if (opts.shape === undefined) return flat;
  checkSizes('tensor', opts.shape, 'shape');
  if (numelOf(opts.shape) !== flat.numel()) {
    throw new ShapeError('tensor', `shape ${fmtShape(opts.shape)} needs ${numelOf(opts.shape)} elements, the data has ${flat.numel()}`);
  }
  const shape = opts.shape.slice();
  return new Tensor(flat.storage, shape, contiguousStrides(shape), 0);
}

/** Splits `(...shape, opts?)` / `(shape, opts?)` arguments and checks the shape. */
export function parseShapeArgs(
  op: string, args: readonly unknown[], known: readonly string[] = CREATE_OPTIONS,
): { shape: number[]; opts: CreateOptions & Record<string, unknown> } {
  let opts: Record<string, unknown> = {};
  let end = args.length;
  const last = args[end - 1];
  if (end > 0 && typeof last === 'object' && last !== null && !Array.isArray(last)) {
    opts = last as Record<string, unknown>;
    end--;
  }
  let shape: number[];
  if (end === 1 && Array.isArray(args[0])) shape = (args[0] as number[]).slice();
  else {
    shape = args.slice(0, end) as number[];
    for (const s of shape) {
      if (typeof s !== 'number') throw new ArgumentError(op, `sizes must be numbers or one array of numbers, got ${Array.isArray(s) ? 'an array' : typeof s}`);
    }
  }
  checkSizes(op, shape);
  checkOptions(op, opts, known);
  checkDType(op, opts.dtype);
  return { shape, opts };
}

/**
 * A new tensor whose values are unspecified. PyTorch: `torch.empty`.
 *
 * Values unspecified. They are zeros today (every backend's alloc zero-fills); code that needs
 * zeros calls zeros() (or Tensor.zeros inside the packages), not this.
 */
export function empty(shape: readonly number[], opts?: CreateOptions): Tensor;
export function empty(...shape: number[]): Tensor;
export function empty(...args: [...shape: number[], opts: CreateOptions]): Tensor;
export function empty(...args: unknown[]): Tensor {
  const { shape, opts } = parseShapeArgs('empty', args);
  return Tensor.zeros(shape, checkDType('empty', opts.dtype), 'empty');
}

/** A new tensor of zeros; the shape as an array or varargs (`zeros([2, 3])`, `zeros(2, 3)`). PyTorch: `torch.zeros`. */
export function zeros(shape: readonly number[], opts?: CreateOptions): Tensor;
export function zeros(...shape: number[]): Tensor;
export function zeros(...args: [...shape: number[], opts: CreateOptions]): Tensor;
export function zeros(...args: unknown[]): Tensor {
  const { shape, opts } = parseShapeArgs('zeros', args);
  return Tensor.zeros(shape, checkDType('zeros', opts.dtype), 'zeros');
}

/** A new tensor of ones; the shape as an array or varargs. PyTorch: `torch.ones`. */
export function ones(shape: readonly number[], opts?: CreateOptions): Tensor;
export function ones(...shape: number[]): Tensor;
export function ones(...args: [...shape: number[], opts: CreateOptions]): Tensor;
export function ones(...args: unknown[]): Tensor {
  const { shape, opts } = parseShapeArgs('ones', args);
  return Tensor.zeros(shape, checkDType('ones', opts.dtype), 'ones').fill(1);
}

/** A new tensor filled with `value`. PyTorch: `torch.full`. */
export function full(shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor {
  checkShape('full', 'shape', shape);
  checkNumber('full', 'fill value', value, { infinite: true });
  checkOptions('full', opts, CREATE_OPTIONS);
  return Tensor.zeros(shape.slice(), checkDType('full', opts.dtype), 'full').fill(value);
}

/** A new tensor of x's shape and (unless opts.dtype says otherwise) dtype, for the `*Like` creators. */
function likeTensor(op: string, x: Tensor, opts: CreateOptions | undefined): Tensor {
  checkTensor(op, x, 'input');
  const { dtype } = checkOptions(op, opts, CREATE_OPTIONS);
  return Tensor.zeros(x.shape, dtype === undefined ? x.dtype : checkDType(op, dtype), op);
}
// Handed a Variable, each `*Like` creator returns a constant Variable (through the dispatch protocol).
/** `empty` with the shape (and, unless `opts.dtype` is given, the dtype) of `x`. PyTorch: `torch.empty_like`. */
export function emptyLike(x: Tensor, opts?: CreateOptions): Tensor;
export function emptyLike<V extends TensorDispatch>(x: V, opts?: CreateOptions): Dispatched<V>;
export function emptyLike(x: Tensor, opts?: CreateOptions): unknown {
  if (!(x instanceof Tensor)) return deferOp('emptyLike', [x, opts]) ?? likeTensor('emptyLike', x, opts);
  return likeTensor('emptyLike', x, opts);
}
/** Zeros with the shape (and, unless `opts.dtype` is given, the dtype) of `x`. PyTorch: `torch.zeros_like`. */
export function zerosLike(x: Tensor, opts?: CreateOptions): Tensor;
export function zerosLike<V extends TensorDispatch>(x: V, opts?: CreateOptions): Dispatched<V>;
export function zerosLike(x: Tensor, opts?: CreateOptions): unknown {
  if (!(x instanceof Tensor)) return deferOp('zerosLike', [x, opts]) ?? likeTensor('zerosLike', x, opts);
  return likeTensor('zerosLike', x, opts);
}
/** Ones with the shape (and, unless `opts.dtype` is given, the dtype) of `x`. PyTorch: `torch.ones_like`. */
export function onesLike(x: Tensor, opts?: CreateOptions): Tensor;
export function onesLike<V extends TensorDispatch>(x: V, opts?: CreateOptions): Dispatched<V>;
export function onesLike(x: Tensor, opts?: CreateOptions): unknown {
  if (!(x instanceof Tensor)) return deferOp('onesLike', [x, opts]) ?? likeTensor('onesLike', x, opts);
  return likeTensor('onesLike', x, opts).fill(1);
}
/**
 * `value` everywhere, with the shape (and, unless `opts.dtype` is given, the dtype) of `x`. PyTorch: `torch.full_like`.
 */
export function fullLike(x: Tensor, value: number, opts?: CreateOptions): Tensor;
export function fullLike<V extends TensorDispatch>(x: V, value: number, opts?: CreateOptions): Dispatched<V>;
export function fullLike(x: Tensor, value: number, opts?: CreateOptions): unknown {
  if (!(x instanceof Tensor)) return deferOp('fullLike', [x, value, opts]) ?? likeTensor('fullLike', x, opts);
  checkNumber('fullLike', 'fill value', value, { infinite: true });
  return likeTensor('fullLike', x, opts).fill(value);
}

/**
 * arange(end) or arange(start, end, step = 1): [start, end) with ceil((end - start) / step) elements.
 * PyTorch: `torch.arange`.
 */
export function arange(end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end: number, step: number, opts?: CreateOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  let opts: CreateOptions = {};
  if (typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null) opts = checkOptions('arange', args.pop() as CreateOptions, CREATE_OPTIONS);
  if (args.length < 1 || args.length > 3) throw new ArgumentError('arange', `takes (end), (start, end) or (start, end, step), got ${args.length} numbers`);
  for (const a of args) {
    if (typeof a !== 'number' || !Number.isFinite(a)) throw new ArgumentError('arange', `start, end and step must be finite numbers, got ${describeValue(a)}`);
  }
  const nums = args as number[];
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new ArgumentError('arange', 'step must be nonzero');
  if ((end - start) / step < 0) {
    throw new ArgumentError('arange', `upper bound and step are inconsistent (start ${start}, end ${end}, step ${step})`);
  }
  const n = Math.ceil((end - start) / step);
  const out = Tensor.zeros([n], checkDType('arange', opts.dtype), 'arange');
  const d = out.data;
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  recordConstant('arange', d);
  return out;
}

/** `steps` evenly spaced values from start to end inclusive. PyTorch: `torch.linspace`. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  checkNumber('linspace', 'start', start);
  checkNumber('linspace', 'end', end);
  checkNonNegativeInt('linspace', 'steps', steps);
  checkOptions('linspace', opts, CREATE_OPTIONS);
  const out = Tensor.zeros([steps], checkDType('linspace', opts.dtype), 'linspace');
  const d = out.data;
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends as PyTorch does, so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) d[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
  recordConstant('linspace', d);
  return out;
}

/** An n x m (default n x n) matrix with ones on the diagonal. PyTorch: `torch.eye`. */
export function eye(n: number, m?: number | CreateOptions, opts: CreateOptions = {}): Tensor {
  if (typeof m === 'object') {
    opts = m;
    m = n;
  }
  m ??= n;
  checkNonNegativeInt('eye', 'n', n);
  checkNonNegativeInt('eye', 'm', m);
  checkOptions('eye', opts, CREATE_OPTIONS);
  const out = Tensor.zeros([n, m], checkDType('eye', opts.dtype), 'eye');
  const d = out.data;
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  recordConstant('eye', d);
  return out;
}

