// erf and erfc to about 1e-15 relative error in double precision, so float64 gradchecks of gelu hold.
//   |x| < 2.5: erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))  (all terms positive)
//   |x| >= 2.5: erfc(x) = exp(-x^2)/sqrt(pi) * continued fraction 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const SERIES_LIMIT = 2.5;

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= SERIES_LIMIT by the continued fraction, evaluated with the modified Lentz method. */
function erfcFraction(x: number): number {
  if (x > 27) return 0; // exp(-x^2) underflows
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 300; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * INV_SQRT_PI) / f;
}

/** The Gauss error function of one number (the scalar behind `Tensor.erf`); NaN in, NaN out. PyTorch: `math.erf`. */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax < SERIES_LIMIT) return erfSeries(x);
  const r = 1 - erfcFraction(ax);
  return x < 0 ? -r : r;
}

/** `1 - erf(x)` of one number, accurate where erf(x) is close to 1. PyTorch: `math.erfc`. */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < SERIES_LIMIT && x > -SERIES_LIMIT) return 1 - erfSeries(x);
  return x > 0 ? erfcFraction(x) : 2 - erfcFraction(-x);
}
