// conv2d and convTranspose2d under setConvAlgorithm('winograd') (tensor's Winograd F(2x2, 3x3) kernels):
// float64 gradcheck and gradgradcheck through every gradient kernel, on contiguous and non-contiguous inputs.
import { manualSeed, randn, setConvAlgorithm } from '@minigrad/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, convTranspose2d, gradcheck, gradgradcheck, variable, type Variable } from '../src/index.js';

afterEach(() => setConvAlgorithm('gemm'));

const leaf = (shape: number[]): Variable => variable(randn(shape, { dtype: 'float64' }), { requiresGrad: true });

describe("conv2d under setConvAlgorithm('winograd')", () => {
  it('passes gradcheck and gradgradcheck (float64), contiguous and transposed inputs', () => {
    manualSeed(7);
    setConvAlgorithm('winograd');
    // 8 channels in and out: the smallest conv Winograd takes; an odd output (5x7) crops the last tiles.
    const x = leaf([2, 8, 5, 7]), w = leaf([8, 8, 3, 3]), b = leaf([8]);
    expect(gradcheck((xx, ww, bb) => conv2d(xx, ww, bb, { padding: 1 }), [x, w, b])).toBe(true);
    expect(gradgradcheck((xx, ww) => conv2d(xx, ww, null, { padding: 1 }), [x, w])).toBe(true);
    // The same values through non-contiguous views (the op makes them contiguous before its kernel).
    const xt = leaf([2, 8, 7, 5]), wt = leaf([8, 8, 3, 3]);
    expect(gradcheck((xx, ww) => conv2d(xx.transpose(2, 3), ww.transpose(0, 1), null, { padding: 2 }), [xt, wt])).toBe(true);
  });

  it('convTranspose2d (the conv input gradient) passes gradcheck (float64)', () => {
    manualSeed(8);
    setConvAlgorithm('winograd');
    const x = leaf([1, 8, 4, 6]), w = leaf([8, 9, 3, 3]);
    expect(gradcheck((xx, ww) => convTranspose2d(xx, ww, null, { padding: 1 }), [x, w])).toBe(true);
  });
});
