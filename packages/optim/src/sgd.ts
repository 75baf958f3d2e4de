// Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximize.
import { ArgumentError, type Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.js';
import { rounder, zerosLikeParam, type FloatArray } from './flat.js';
import { checkClosedUnitInterval, checkNonNegative, checkUnitInterval, withDefaults } from './options.js';

export interface SGDOptions extends OptimizerOptions {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };

/**
 * `g = grad + wd*p`; momentum buffer `b = g` on its first step, then `b = m*b + (1 - dampening)*g`;
 * `p -= lr * (nesterov ? g + m*b : b)` (PyTorch's torch.optim.SGD).
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> | number = {}) {
    super('SGD', params, withDefaults('SGD', DEFAULTS, options));
  }

  protected validate(o: SGDOptions, op: string): void {
    checkNonNegative(op, 'lr', o.lr);
    checkUnitInterval(op, 'momentum', o.momentum);
    checkClosedUnitInterval(op, 'dampening', o.dampening);
    checkNonNegative(op, 'weightDecay', o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ArgumentError(op, `nesterov momentum needs momentum > 0 and zero dampening (got momentum ${o.momentum}, dampening ${o.dampening})`);
    }
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<SGDOptions>): void {
    let buf: Tensor | null = null;
    let first = false;
    if (group.momentum !== 0) {
      const s = this.stateOf(p);
      first = s.momentumBuffer === undefined;
      if (first) s.momentumBuffer = zerosLikeParam(p);
      buf = s.momentumBuffer as Tensor;
    }
    sgdUpdate(target, g, buf, first, group);
  }
}

function sgdUpdate(param: Tensor, grad: Tensor, buf: Tensor | null, first: boolean, o: SGDOptions): void {
  if (o.weightDecay === 0 && !o.nesterov) {
    if (buf === null) return plainUpdate(param, grad, o);
    if (!first) return momentumUpdate(param, grad, buf, o);
  }
  generalUpdate(param, grad, buf, first, o);
}

/** `p -= lr * g` (the sign of g flipped by maximize, which is exact). */
function plainUpdate(param: Tensor, grad: Tensor, o: SGDOptions): void {
  const p = param.data as FloatArray;
  const po = param.offset;
  const g = grad.data as FloatArray;
  const go = grad.offset;
  const n = param.numel();
  const scale = rounder(param.dtype)(-o.lr) * (o.maximize ? -1 : 1);
  for (let i = 0; i < n; i++) p[po + i] += scale * g[go + i];
}

/**
 * `b = m*b + (1 - dampening)*g; p -= lr * b` after the first step, each partial result rounded to the
 * dtype as PyTorch's mul_/add_ do. One loop per dtype, so that float32 rounding is an inlined Math.fround.
 */
function momentumUpdate(param: Tensor, grad: Tensor, buf: Tensor, o: SGDOptions): void {
  const po = param.offset;
  const go = grad.offset;
  const n = param.numel();
  const sign = o.maximize ? -1 : 1;
  if (param.dtype === 'float32') {
    const p = param.data as Float32Array;
    const g = grad.data as Float32Array;
    const b = buf.data as Float32Array;
    const m = Math.fround(o.momentum);
    const gradShare = Math.fround(1 - o.dampening) * sign;
    const scale = Math.fround(-o.lr);
    for (let i = 0; i < n; i++) {
      const bi = Math.fround(Math.fround(b[i] * m) + gradShare * g[go + i]);
      b[i] = bi;
      p[po + i] += scale * bi;
    }
  } else {
    const p = param.data as Float64Array;
    const g = grad.data as Float64Array;
    const b = buf.data as Float64Array;
    const m = o.momentum;
    const gradShare = (1 - o.dampening) * sign;
    const scale = -o.lr;
    for (let i = 0; i < n; i++) {
      const bi = b[i] * m + gradShare * g[go + i];
      b[i] = bi;
      p[po + i] += scale * bi;
    }
  }
}

/**
 * Any combination of the options (weight decay, Nesterov, the first momentum step), rounded step by step,
 * with one loop per dtype (float32 rounding as an inlined Math.fround). The buffer is read on every step,
 * the first included (it holds zeros then): a load that only runs from the second call on reaches the
 * optimizing compiler without type feedback, which made V8 deoptimize this loop and leave it ~10x slower.
 */
function generalUpdate(param: Tensor, grad: Tensor, buf: Tensor | null, first: boolean, o: SGDOptions): void {
  if (param.dtype === 'float32') generalUpdate32(param, grad, buf, first, o);
  else generalUpdate64(param, grad, buf, first, o);
}

function generalUpdate32(param: Tensor, grad: Tensor, buf: Tensor | null, first: boolean, o: SGDOptions): void {
  const p = param.data as Float32Array;
  const po = param.offset;
  const g = grad.data as Float32Array;
  const go = grad.offset;
  const b = buf === null ? null : (buf.data as Float32Array);
  const n = param.numel();
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = Math.fround(o.weightDecay);
  const m = Math.fround(o.momentum);
  const gradShare = Math.fround(1 - o.dampening);
  const nesterov = o.nesterov;
  const scale = Math.fround(-o.lr);
  for (let i = 0; i < n; i++) {
    let d = sign * g[go + i];
    if (decay) d = Math.fround(d + wd * p[po + i]);
    if (b !== null) {
      const prev = b[i];
      const bi = first ? d : Math.fround(Math.fround(prev * m) + gradShare * d);
      b[i] = bi;
      d = nesterov ? Math.fround(d + m * bi) : bi;
    }
    p[po + i] += scale * d;
  }
}

function generalUpdate64(param: Tensor, grad: Tensor, buf: Tensor | null, first: boolean, o: SGDOptions): void {
  const p = param.data as Float64Array;
  const po = param.offset;
  const g = grad.data as Float64Array;
  const go = grad.offset;
  const b = buf === null ? null : (buf.data as Float64Array);
  const n = param.numel();
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = o.weightDecay;
  const m = o.momentum;
  const gradShare = 1 - o.dampening;
  const nesterov = o.nesterov;
  const scale = -o.lr;
  for (let i = 0; i < n; i++) {
    let d = sign * g[go + i];
    if (decay) d += wd * p[po + i];
    if (b !== null) {
      const prev = b[i];
      const bi = first ? d : prev * m + gradShare * d;
      b[i] = bi;
      d = nesterov ? d + m * bi : bi;
    }
    p[po + i] += scale * d;
  }
}
