// Per-parameter gradient statistics after a backward pass: the numbers behind a gradient-flow plot.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import { Module } from './module.js';

/** The statistics `gradientStats` reports for one parameter's gradient. */
export interface GradientStats {
  /** Dotted parameter name as in `namedParameters()` (`features.0.weight`). */
  name: string;
  /** Shape of the parameter. */
  shape: number[];
  /** L2 norm of the gradient. */
  norm: number;
  /** Mean of the gradient's entries. */
  mean: number;
  /** Standard deviation with Bessel's correction, as `torch.std` (NaN for a single element). */
  std: number;
  /** max |g|. */
  maxAbs: number;
  /** Fraction of gradient entries that are exactly 0 (dead ReLUs show up here). */
  zeroFraction: number;
}

/**
 * Statistics of every parameter's gradient, in `namedParameters()` order. Parameters without a gradient
 * (frozen, unused in the last backward, or after `zeroGrad()`) are left out. Sums run in float64.
 */
export function gradientStats(module: Module): GradientStats[] {
  if (!(module instanceof Module)) throw new ArgumentError('gradientStats', `expects a Module, got ${describeValue(module)}`);
  const out: GradientStats[] = [];
  for (const [name, p] of module.namedParameters()) {
    if (p.grad === null) continue;
    const g = p.grad.data.toTypedArray();
    const n = g.length;
    let sum = 0;
    let maxAbs = 0;
    let zerosCount = 0;
    for (let i = 0; i < n; i++) {
      const v = g[i];
      sum += v;
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
      if (v === 0) zerosCount++;
    }
    const mean = n > 0 ? sum / n : NaN;
    // Second pass around the mean: stable when the gradient is large relative to its spread.
    let sq = 0;
    let dev = 0;
    for (let i = 0; i < n; i++) {
      sq += g[i] * g[i];
      const d = g[i] - mean;
      dev += d * d;
    }
    out.push({
      name,
      shape: [...p.shape],
      norm: Math.sqrt(sq),
      mean,
      std: n > 1 ? Math.sqrt(dev / (n - 1)) : NaN,
      maxAbs,
      zeroFraction: n > 0 ? zerosCount / n : 0,
    });
  }
  return out;
}
