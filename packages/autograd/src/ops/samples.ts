// Sample-input builders for the registry (float64, seeded by the caller through manualSeed); exported as
// `sampleInputs` for packages that register their own ops.
import { randn, rand, type Tensor } from '@minigrad/tensor';

/** Standard normal float64 values. */
export function normal(shape: number[]): Tensor {
  return randn(shape, { dtype: 'float64' });
}

/** Values in [lo, hi) (float64), e.g. to keep log/sqrt inputs positive. */
export function uniform(shape: number[], lo: number, hi: number): Tensor {
  return rand(shape, { dtype: 'float64' }).mul(hi - lo).add(lo);
}

/** Normal values pushed at least `gap` away from 0 (ops with a kink or a pole at 0). */
export function awayFromZero(shape: number[], gap = 0.1): Tensor {
  const x = normal(shape);
  return x.add(x.sign().mul(gap)).add(x.eq(0).to('float64').mul(gap));
}
