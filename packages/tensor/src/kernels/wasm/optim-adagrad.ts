// The wasm kernel of 'optim.adagrad' (assembly/optim.ts adagradF32): float32 runs go through wasm memory in
// chunks that stay in cache between the copy in, the update and the copy out; float64 and short runs take
// the js kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type AdagradKernel, adagrad as jsAdagrad, adagradScale } from '../js/optim-adagrad.js';
import { wasm } from './instance.js';
import { inOut, input, updateInChunks } from './optim-chunks.js';

/** Shorter runs stay in JS (below this the copies and the call cost about what the JS loop does). */
const MIN_RUN = 256;
/** Floats per operand per wasm call: three 64 KiB regions fit in L2. */
const CHUNK = 16384;

export const adagrad: AdagradKernel = (n, p, po, g, go, s, so, step, o) => {
  if (n < MIN_RUN || !(p instanceof Float32Array)) return jsAdagrad(n, p, po, g, go, s, so, step, o);
  const r = Math.fround;
  const done = updateInChunks(n, CHUNK, [inOut(p, po), input(g as Float32Array, go), inOut(s as Float32Array, so)], ([pa, ga, sa], len) =>
    wasm().adagradF32(pa, ga, sa, len, o.weightDecay !== 0 ? 1 : 0, o.maximize ? -1 : 1, r(o.weightDecay), r(o.eps), r(adagradScale(o, step))),
  );
  // No room in wasm memory now (inside a tidy() scope, see instance.ts): the same update in JS.
  if (!done) jsAdagrad(n, p, po, g, go, s, so, step, o);
};
