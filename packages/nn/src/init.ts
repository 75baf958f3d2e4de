// Weight initialization, in place (PyTorch's torch.nn.init). Each function takes a Tensor or a Variable (its data
// is filled, outside the tape) and returns it. Random ones draw from `generator`, or from the global generator
// that `manualSeed` seeds.
import { ArgumentError, Tensor, checkNumber, checkOptions, describeName, describeValue, rand, randn, fmtShape } from '@minigrad/tensor';
import type { Generator } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';

/** What the initializers fill in place: a Tensor, or a Variable/Parameter (its data). */
export type Target = Tensor | Variable;
/** The nonlinearities `calculateGain` knows (PyTorch's names). */
export type Nonlinearity =
  | 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'selu'
  | 'leaky_relu' | 'leakyRelu';
/** Which fan the Kaiming initializers scale by: fan-in (forward variance, default) or fan-out (backward). */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

function dataOf(t: Target, op: string): Tensor {
  if (t instanceof Variable) return t.data;
  if (t instanceof Tensor) return t;
  throw new ArgumentError(op, `expects a Tensor or a Variable, got ${describeValue(t)}`);
}

/** The recommended gain for a nonlinearity (`param` is leaky ReLU's negative slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (param !== undefined) checkNumber('calculateGain', 'param', param);
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'selu':
      return 3 / 4;
    case 'leaky_relu': case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    default:
      throw new ArgumentError('calculateGain', `unsupported nonlinearity ${describeName(nonlinearity)}`);
  }
}

/** What `calculateFanInAndFanOut` returns. */
export interface Fans {
  /** Inputs feeding each output unit (input channels times the receptive field). */
  fanIn: number;
  /** Outputs each input unit feeds (output channels times the receptive field). */
  fanOut: number;
}

/**
 * fanIn = shape[1] * receptive field, fanOut = shape[0] * receptive field (receptive field = prod(shape[2:])),
 * as PyTorch computes them for Linear `[out, in]` and Conv `[out, in/groups, kH, kW]` weights.
 */
export function calculateFanInAndFanOut(t: Target): Fans {
  const shape = dataOf(t, 'calculateFanInAndFanOut').shape;
  if (shape.length < 2) {
    throw new ArgumentError('calculateFanInAndFanOut', `fan in and fan out need a tensor of at least 2 dims, got ${fmtShape(shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function fanFor(t: Target, mode: FanMode, op: string): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  if (mode === 'fanIn' || mode === 'fan_in') return fanIn;
  if (mode === 'fanOut' || mode === 'fan_out') return fanOut;
  throw new ArgumentError(op, `mode must be 'fanIn' or 'fanOut', got ${describeName(mode)}`);
}

/** Fills with draws from U(a, b): `uniform_(t, a, b, { generator })` or `uniform_(t, { a, b, generator })`. */
export function uniform_<T extends Target>(
  t: T,
  a: number | { a?: number; b?: number; generator?: Generator } = 0,
  b = 1,
  opts: { generator?: Generator } = {},
): T {
  let { generator } = checkOptions('uniform_', opts, ['generator']);
  if (typeof a !== 'number') ({ a = 0, b = 1, generator } = checkOptions('uniform_', a, ['a', 'b', 'generator']));
  checkNumber('uniform_', 'a', a);
  checkNumber('uniform_', 'b', b);
  const d = dataOf(t, 'uniform_');
  d.copyFrom(rand(d.shape, { dtype: d.dtype, generator }).mul(b - a).add(a));
  return t;
}

/** Fills with draws from N(mean, std^2): `normal_(t, mean, std, { generator })` or `normal_(t, { mean, std, generator })`. */
export function normal_<T extends Target>(
  t: T,
  mean: number | { mean?: number; std?: number; generator?: Generator } = 0,
  std = 1,
  opts: { generator?: Generator } = {},
): T {
  let { generator } = checkOptions('normal_', opts, ['generator']);
  if (typeof mean !== 'number') ({ mean = 0, std = 1, generator } = checkOptions('normal_', mean, ['mean', 'std', 'generator']));
  checkNumber('normal_', 'mean', mean);
  checkNumber('normal_', 'std', std, { min: 0 });
  const d = dataOf(t, 'normal_');
  d.copyFrom(randn(d.shape, { dtype: d.dtype, generator }).mul(std).add(mean));
  return t;
}

/** Fills `t` with `value` in place. PyTorch: `torch.nn.init.constant_`. */
export function constant_<T extends Target>(t: T, value: number): T {
  dataOf(t, 'constant_').fill(value);
  return t;
}

/** Fills `t` with zeros in place. PyTorch: `torch.nn.init.zeros_`. */
export function zeros_<T extends Target>(t: T): T {
  return constant_(t, 0);
}

/** Fills `t` with ones in place. PyTorch: `torch.nn.init.ones_`. */
export function ones_<T extends Target>(t: T): T {
  return constant_(t, 1);
}

/** Options of `kaimingUniform_` and `kaimingNormal_`. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (used when nonlinearity is leaky ReLU). */
  a?: number;
  /** Scale by fan-in (default) or fan-out. */
  mode?: FanMode;
  /** The nonlinearity whose gain is used (default leaky ReLU with slope `a`, i.e. `sqrt(2)` for a = 0). */
  nonlinearity?: Nonlinearity;
  /** The generator to draw from (default: the global one). */
  generator?: Generator;
}

const KAIMING_OPTIONS = ['a', 'mode', 'nonlinearity', 'generator'] as const;

function kaimingStd(t: Target, opts: KaimingOptions, op: string): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' } = checkOptions(op, opts, KAIMING_OPTIONS);
  return calculateGain(nonlinearity, a) / Math.sqrt(fanFor(t, mode, op));
}

/** U(-bound, bound) with bound = gain * sqrt(3 / fan) (He et al. 2015). */
export function kaimingUniform_<T extends Target>(t: T, opts: KaimingOptions = {}): T {
  const bound = Math.sqrt(3) * kaimingStd(t, opts, 'kaimingUniform_');
  return uniform_(t, -bound, bound, { generator: opts.generator });
}

/** N(0, std^2) with std = gain / sqrt(fan) (He et al. 2015). */
export function kaimingNormal_<T extends Target>(t: T, opts: KaimingOptions = {}): T {
  return normal_(t, 0, kaimingStd(t, opts, 'kaimingNormal_'), { generator: opts.generator });
}

/** Options of `xavierUniform_` and `xavierNormal_` (or just the gain as a number). */
export interface XavierOptions {
  /** Scaling factor (default 1). */
  gain?: number;
  /** The generator to draw from (default: the global one). */
  generator?: Generator;
}

function xavierOptions(op: string, opts: number | XavierOptions): XavierOptions {
  const o = typeof opts === 'number' ? { gain: opts } : checkOptions(op, opts, ['gain', 'generator']);
  if (o.gain !== undefined) checkNumber(op, 'gain', o.gain);
  return o;
}

function xavierStd(t: Target, gain: number): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

/** U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010). `opts` may be the gain alone. */
export function xavierUniform_<T extends Target>(t: T, opts: number | XavierOptions = {}): T {
  const { gain = 1, generator } = xavierOptions('xavierUniform_', opts);
  const bound = Math.sqrt(3) * xavierStd(t, gain);
  return uniform_(t, -bound, bound, { generator });
}

/** N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). `opts` may be the gain alone. */
export function xavierNormal_<T extends Target>(t: T, opts: number | XavierOptions = {}): T {
  const { gain = 1, generator } = xavierOptions('xavierNormal_', opts);
  return normal_(t, 0, xavierStd(t, gain), { generator });
}
