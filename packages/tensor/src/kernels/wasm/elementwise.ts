// Elementwise kernels of the wasm backend, for contiguous float32 runs; anything else (strided, float64,
// short runs where the call costs more than it saves) takes the JS kernel.
import { type UnaryKernel, unaryKernels } from '../js/elementwise.js';
import { KernelCall } from './call.js';
import { wasm } from './instance.js';

/** Shorter runs stay in JS. */
const MIN_RUN = 1024;

const jsRelu = unaryKernels.relu;

/** relu without branches: JS's `v < 0 ? 0 : v` mispredicts on random signs (about half of the activations). */
export const relu: UnaryKernel = (n, x, xo, xs, out, oo, os, p0, p1) => {
  if (n < MIN_RUN || xs !== 1 || os !== 1 || !(x instanceof Float32Array) || !(out instanceof Float32Array)) {
    jsRelu(n, x, xo, xs, out, oo, os, p0, p1);
    return;
  }
  const call = new KernelCall();
  const xAt = call.input(x, xo, n);
  const outAt = call.output(out, oo, n, 'unset', xAt);
  if (!call.place()) {
    jsRelu(n, x, xo, xs, out, oo, os, p0, p1);
    return;
  }
  wasm().relu(xAt.at, outAt.at, n);
  call.finish();
};
