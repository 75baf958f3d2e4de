// The 'js' kernels are reachable from the registry module alone: no side-effect import is needed, so a
// bundler that honours `sideEffects: false` cannot drop them.
import { expect, test } from 'vitest';
import { getKernel, kernelNames } from '../src/kernels/registry.js';

test('the registry module carries the js kernels by itself', () => {
  expect(typeof getKernel('binary.add')).toBe('function');
  expect(typeof getKernel('gemm')).toBe('function');
  expect(kernelNames('js').length).toBeGreaterThan(40);
});
