// RMSprop (Hinton): a running average of squared gradients scales the step; centered and momentum variants.
import type { Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.js';
import { rounder, zerosLikeParam, type FloatArray } from './flat.js';
import { checkClosedUnitInterval, checkNonNegative, checkUnitInterval, withDefaults } from './options.js';

export interface RMSpropOptions extends OptimizerOptions {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> | number = {}) {
    super('RMSprop', params, withDefaults('RMSprop', DEFAULTS, options));
  }

  protected validate(o: RMSpropOptions, op: string): void {
    checkNonNegative(op, 'lr', o.lr);
    checkNonNegative(op, 'eps', o.eps);
    checkClosedUnitInterval(op, 'alpha', o.alpha);
    checkUnitInterval(op, 'momentum', o.momentum);
    checkNonNegative(op, 'weightDecay', o.weightDecay);
  }

  protected updateParam(target: Tensor, g: Tensor, p: Variable, group: ParamGroup<RMSpropOptions>): void {
    const s = this.stateOf(p);
    if (s.step === undefined) {
      s.step = 0;
      s.squareAvg = zerosLikeParam(p);
    }
    if (group.momentum > 0 && s.momentumBuffer === undefined) s.momentumBuffer = zerosLikeParam(p);
    if (group.centered && s.gradAvg === undefined) s.gradAvg = zerosLikeParam(p);
    s.step = (s.step as number) + 1;
    const buf = group.momentum > 0 ? (s.momentumBuffer as Tensor) : null;
    const gradAvg = group.centered ? (s.gradAvg as Tensor) : null;
    rmspropUpdate(target, g, s.squareAvg as Tensor, gradAvg, buf, group);
  }
}

/**
 * `s = alpha*s + (1-alpha)*g^2`; `avg = sqrt(s - gAvg^2) + eps` (centered, `gAvg = alpha*gAvg + (1-alpha)*g`)
 * or `sqrt(s) + eps`; with momentum `b = m*b + g/avg`, `p -= lr*b`, else `p -= lr*g/avg`.
 */
function rmspropUpdate(param: Tensor, grad: Tensor, squareAvg: Tensor, gradAvg: Tensor | null, buf: Tensor | null, o: RMSpropOptions): void {
  const p = param.data as FloatArray;
  const po = param.offset;
  const g = grad.data as FloatArray;
  const go = grad.offset;
  const sq = squareAvg.data as FloatArray;
  const ga = gradAvg === null ? null : (gradAvg.data as FloatArray);
  const b = buf === null ? null : (buf.data as FloatArray);
  const r = rounder(param.dtype);
  const n = param.numel();
  const sign = o.maximize ? -1 : 1;
  const decay = o.weightDecay !== 0;
  const wd = r(o.weightDecay);
  const alpha = r(o.alpha);
  const keep = r(1 - o.alpha);
  const eps = r(o.eps);
  const m = r(o.momentum);
  const scale = r(-o.lr);
  for (let i = 0; i < n; i++) {
    let gi = sign * g[go + i];
    if (decay) gi = r(gi + wd * p[po + i]);
    const si = r(r(sq[i] * alpha) + r(r(keep * gi) * gi));
    sq[i] = si;
    let avg: number;
    if (ga !== null) {
      const gai = r(r(ga[i] * alpha) + keep * gi);
      ga[i] = gai;
      avg = r(Math.sqrt(r(si - r(gai * gai))));
    } else {
      avg = r(Math.sqrt(si));
    }
    avg = r(avg + eps);
    if (b !== null) {
      const bi = r(r(b[i] * m) + r(gi / avg));
      b[i] = bi;
      p[po + i] += scale * bi;
    } else {
      p[po + i] += r(r(scale * gi) / avg);
    }
  }
  param.storage.version++;
}
