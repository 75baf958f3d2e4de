// Elementwise kernels of the wasm backend, for contiguous float32 runs; anything else (strided, float64,
// short runs where the copies cost more than they save) takes the JS kernel.
import { type UnaryKernel, unaryKernels } from '../js/elementwise.js';
import { arenaRegions, copyIn, copyOut, wasm } from './instance.js';

/** Shorter runs stay in JS. */
const MIN_RUN = 1024;

const jsRelu = unaryKernels.relu;

/** relu without branches: JS's `v < 0 ? 0 : v` mispredicts on random signs (about half of the activations). */
export const relu: UnaryKernel = (n, x, xo, xs, out, oo, os, p0, p1) => {
  if (n < MIN_RUN || xs !== 1 || os !== 1 || !(x instanceof Float32Array) || !(out instanceof Float32Array)) {
    jsRelu(n, x, xo, xs, out, oo, os, p0, p1);
    return;
  }
  const [at] = arenaRegions(n);
  copyIn(x.subarray(xo, xo + n), at);
  wasm().relu(at, at, n);
  copyOut(at, n, out, oo);
};
