// Seeded random numbers that are the same on every machine: xoshiro128** over 32-bit integer arithmetic
// (Math.imul), seeded through splitmix32; normals by Box-Muller.
import { refuseCapture } from './capture/recording.js';
import { ArgumentError } from './errors.js';
import { checkDType, parseShapeArgs, type CreateOptions } from './creation.js';
import { checkTensor } from './ops/elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from './dispatch.js';
import { checkInt, checkNonNegativeInt, describeValue, checkOptions, checkShape } from './validate.js';
import { Tensor } from './tensor.js';

const TWO_POW_24 = 16777216;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/**
 * A seeded source of random numbers, the same on every machine (xoshiro128** on 32-bit integers, seeded through
 * splitmix32). Pass one as `opts.generator` to the random functions; without one they use `defaultGenerator`.
 * PyTorch: `torch.Generator`.
 */
export class Generator {
  /** The class name, kept through minification (what printing and error messages use). */
  static readonly typeName: string = 'Generator';
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private seed = 0;

  /** PyTorch's default seed, so an unseeded program is still reproducible. */
  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  /** Resets the state from an integer seed (any safe integer; negative ones too). */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed)) throw new ArgumentError('manualSeed', `seed must be a safe integer, got ${describeValue(seed)}`);
    this.seed = seed;
    let st = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x2545f491);
    const words = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) [st, words[i]] = splitmix32(st);
    [this.s0, this.s1, this.s2, this.s3] = words;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
    return this;
  }

  /** The seed of the last `manualSeed` (or of the constructor). PyTorch: `torch.Generator.initial_seed`. */
  initialSeed(): number {
    return this.seed;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits: exact in float32, so never rounds up to 1. */
  uniform24(): number {
    return (this.nextUint32() >>> 8) / TWO_POW_24;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform53(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** The state (to save and restore with setState). */
  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** Restores a state from `getState()` (4 unsigned 32-bit words). PyTorch: `torch.Generator.set_state`. */
  setState(state: Uint32Array | readonly number[]): this {
    const words = state instanceof Uint32Array || Array.isArray(state) ? Array.from(state as ArrayLike<unknown>) : [];
    if (words.length !== 4 || !words.every((w) => Number.isSafeInteger(w) && (w as number) >= 0 && (w as number) < 2 ** 32)) {
      throw new ArgumentError('setState', `expected the 4 words of getState() (a Uint32Array or 4 integers), got ${describeValue(state)}`);
    }
    [this.s0, this.s1, this.s2, this.s3] = [state[0] | 0, state[1] | 0, state[2] | 0, state[3] | 0];
    return this;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator random functions use when no `generator` option is given. */
export const defaultGenerator = new Generator();

/** Seeds the default generator. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default `defaultGenerator`). PyTorch: the `generator` argument. */
  generator?: Generator;
}

const RANDOM_OPTIONS = ['dtype', 'generator'] as const;

function genOf(op: string, opts: RandomOptions): Generator {
  const g = opts.generator ?? defaultGenerator;
  if (!(g instanceof Generator)) throw new ArgumentError(op, 'generator must be a Generator');
  return g;
}

function floatDType(op: string, opts: RandomOptions) {
  const dtype = checkDType(op, opts.dtype);
  if (dtype !== 'float32' && dtype !== 'float64') throw new ArgumentError(op, `needs a float dtype, got ${describeValue(dtype)}`);
  return dtype;
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], opts?: RandomOptions): Tensor;
export function rand(...shape: number[]): Tensor;
export function rand(...args: [...shape: number[], opts: RandomOptions]): Tensor;
export function rand(...args: unknown[]): Tensor {
  const { shape, opts } = parseShapeArgs('rand', args, RANDOM_OPTIONS);
  const o = opts as RandomOptions;
  const dtype = floatDType('rand', o);
  const g = genOf('rand', o);
  const out = Tensor.zeros(shape, dtype, 'rand');
  refuseCapture('rand draws random numbers in JavaScript');
  const d = out.data;
  const n = out.numel();
  if (dtype === 'float32') for (let i = 0; i < n; i++) d[i] = g.uniform24();
  else for (let i = 0; i < n; i++) d[i] = g.uniform53();
  return out;
}

/** Standard normal samples (Box-Muller: each pair of uniforms gives two normals). */
export function randn(shape: readonly number[], opts?: RandomOptions): Tensor;
export function randn(...shape: number[]): Tensor;
export function randn(...args: [...shape: number[], opts: RandomOptions]): Tensor;
export function randn(...args: unknown[]): Tensor {
  const { shape, opts } = parseShapeArgs('randn', args, RANDOM_OPTIONS);
  const o = opts as RandomOptions;
  const out = Tensor.zeros(shape, floatDType('randn', o), 'randn');
  refuseCapture(`randn draws random numbers in JavaScript`);
  const g = genOf('randn', o);
  const d = out.data;
  const n = out.numel();
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - g.uniform53(); // in (0, 1]: log(u1) is finite
    const u2 = g.uniform53();
    const r = Math.sqrt(-2 * Math.log(u1));
    d[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) d[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

/** Integers uniform in [low, high): randint(high, shape) or randint(low, high, shape). dtype int32 by default. */
export function randint(high: number, shape: readonly number[], opts?: RandomOptions): Tensor;
export function randint(low: number, high: number, shape: readonly number[], opts?: RandomOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const [low, high, shape, opts] = (typeof args[1] === 'number' ? args : [0, ...args]) as [number, number, number[], RandomOptions?];
  checkInt('randint', 'low', low);
  checkInt('randint', 'high', high);
  if (high <= low) throw new ArgumentError('randint', `low (${low}) must be less than high (${high})`);
  checkShape('randint', 'shape', shape);
  const o = checkOptions('randint', opts, RANDOM_OPTIONS);
  if (o.dtype !== 'float32' && o.dtype !== 'float64' && (low < -(2 ** 31) || high > 2 ** 31)) {
    throw new ArgumentError('randint', `[${low}, ${high}) does not fit in ${o.dtype ?? 'int32'}`);
  }
  const out = Tensor.zeros(shape.slice(), o.dtype === undefined ? 'int32' : checkDType('randint', o.dtype), 'randint');
  refuseCapture(`randint draws random numbers in JavaScript`);
  const g = genOf('randint', o);
  const d = out.data;
  const range = high - low;
  for (let i = 0, n = out.numel(); i < n; i++) d[i] = low + Math.floor(g.uniform53() * range);
  return out;
}

/** A random permutation of 0..n-1 (Fisher-Yates). dtype int32 by default. */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  checkNonNegativeInt('randperm', 'n', n);
  checkOptions('randperm', opts, RANDOM_OPTIONS);
  const out = Tensor.zeros([n], opts.dtype === undefined ? 'int32' : checkDType('randperm', opts.dtype), 'randperm');
  refuseCapture(`randperm draws random numbers in JavaScript`);
  const g = genOf('randperm', opts);
  const d = out.data;
  for (let i = 0; i < n; i++) d[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.uniform53() * (i + 1));
    const tmp = d[i];
    d[i] = d[j];
    d[j] = tmp;
  }
  return out;
}

// Handed a Variable, each returns a constant Variable (through the dispatch protocol).
/** `rand` with the shape of `x` (float64 for a float64 `x`, else float32). PyTorch: `torch.rand_like`. */
export function randLike(x: Tensor, opts?: RandomOptions): Tensor;
export function randLike<V extends TensorDispatch>(x: V, opts?: RandomOptions): Dispatched<V>;
export function randLike(x: Tensor, opts: RandomOptions = {}): unknown {
  if (!(x instanceof Tensor)) {
    const r = deferOp('randLike', [x, opts]);
    if (r !== undefined) return r;
  }
  checkTensor('randLike', x, 'input');
  return rand(x.shape, { dtype: x.dtype === 'float64' ? 'float64' : 'float32', ...opts });
}

/** `randn` with the shape of `x` (float64 for a float64 `x`, else float32). PyTorch: `torch.randn_like`. */
export function randnLike(x: Tensor, opts?: RandomOptions): Tensor;
export function randnLike<V extends TensorDispatch>(x: V, opts?: RandomOptions): Dispatched<V>;
export function randnLike(x: Tensor, opts: RandomOptions = {}): unknown {
  if (!(x instanceof Tensor)) {
    const r = deferOp('randnLike', [x, opts]);
    if (r !== undefined) return r;
  }
  checkTensor('randnLike', x, 'input');
  return randn(x.shape, { dtype: x.dtype === 'float64' ? 'float64' : 'float32', ...opts });
}
