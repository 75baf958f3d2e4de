// The js unary.relu kernel (a bit-mask loop on long contiguous float runs, a select elsewhere) against a
// per-element reference written on the bits: +0 where x < 0, x's own bits otherwise. That is PyTorch's
// relu: relu(-0.0) is -0.0 and a NaN (of either sign) comes back unchanged.
import { describe, expect, test } from 'vitest';
import { unaryKernels } from '../src/kernels/js/elementwise.js';
import { lcg } from './seeded.js';

const negNaN32 = new Float32Array(new Uint32Array([0xffc00001]).buffer)[0];
const specials = [NaN, negNaN32, -0, 0, Infinity, -Infinity, -1e-45, 1e-45, -5e-324, 5e-324];

function bitsOf(a: Float32Array | Float64Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, (a.length * a.BYTES_PER_ELEMENT) >> 2);
}

describe('js unary.relu', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    test(`${Ctor.name}: bit-exact on short and long runs, at offsets, strided, with NaN, -0, +-Infinity`, () => {
      const rnd = lcg(31);
      const words = Ctor.BYTES_PER_ELEMENT >> 2;
      for (const n of [1, 7, 4095, 4096, 4097, 9001]) {
        for (const [xs, os] of [[1, 1], [2, 1], [1, 3]]) {
          const xo = Math.floor(rnd() * 5), oo = Math.floor(rnd() * 5);
          const x = Ctor.from({ length: xo + n * xs + 2 }, () => (rnd() < 0.05 ? specials[Math.floor(rnd() * specials.length)] : rnd() * 2 - 1));
          const out = new Ctor(oo + n * os + 2).fill(7);
          const want = out.slice();
          const xBits = bitsOf(x), wantBits = bitsOf(want);
          for (let i = 0; i < n; i++) {
            const xi = xo + i * xs, oi = oo + i * os;
            for (let w = 0; w < words; w++) wantBits[oi * words + w] = x[xi] < 0 ? 0 : xBits[xi * words + w];
          }
          unaryKernels.relu(n, x, xo, xs, out, oo, os, 0, 0);
          expect(bitsOf(out), `${Ctor.name} n=${n} xs=${xs} os=${os}`).toEqual(wantBits);
        }
      }
    });
  }

  test('in place (out is x) on a long run', () => {
    const x = Float32Array.from({ length: 5000 }, (_, i) => (i % 3) - 1);
    const want = x.map((v) => (v < 0 ? 0 : v));
    unaryKernels.relu(x.length, x, 0, 1, x, 0, 1, 0, 0);
    expect(bitsOf(x)).toEqual(bitsOf(want));
  });
});
