// erf/erfc against Simpson integration of 2/sqrt(pi) * exp(-t^2), an independent reference.
import { describe, expect, test } from 'vitest';
import { erf, erfc, tensor } from '@minigrad/tensor';

function simpson(f: (t: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}
const density = (t: number) => (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t);

describe('erf', () => {
  const xs = [-4, -2.6, -2.5, -2.4, -1, -0.3, -1e-6, 0, 1e-9, 0.2, 0.7, 1.5, 2.2, 2.499, 2.5, 3, 4.5, 6];
  test.each(xs)('erf(%d) to 1e-12 relative', (x) => {
    const ref = simpson(density, 0, x, 20000);
    expect(Math.abs(erf(x) - ref)).toBeLessThanOrEqual(1e-12 * Math.abs(ref));
  });

  test.each([0.5, 1, 2.4, 2.5, 3, 5, 8, 12, 20, 26])('erfc(%d) keeps relative precision in the tail', (x) => {
    // The integrand decays on a scale of 1/(2x): integrate over many such scales with a step well below it.
    const ref = simpson(density, x, x + 40 / (x + 1), 40000);
    expect(Math.abs(erfc(x) - ref) / ref).toBeLessThan(1e-11);
    expect(Math.abs(erfc(-x) - (2 - ref))).toBeLessThan(1e-14 * 2);
  });

  test('odd symmetry, limits and NaN', () => {
    for (const x of [0.1, 1.3, 2.7, 5]) expect(erf(-x)).toBe(-erf(x));
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(40)).toBe(0);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });

  test('the tensor op applies it elementwise', () => {
    const xs = [-1, 0.5, 3];
    expect(Array.from(tensor(xs, { dtype: 'float64' }).erf().toTypedArray())).toEqual(xs.map(erf));
  });
});
