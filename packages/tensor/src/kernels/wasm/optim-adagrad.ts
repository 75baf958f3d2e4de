// The wasm kernel of 'optim.adagrad' (assembly/optim.ts adagradF32): float32 runs go through wasm memory in
// chunks that stay in cache between the copy in, the update and the copy out; float64 and short runs take
// the js kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type AdagradKernel, adagrad as jsAdagrad, adagradScale } from '../js/optim-adagrad.js';
import { arenaRegions, copyIn, copyOut, wasm } from './instance.js';

/** Shorter runs stay in JS (below this the copies and the call cost about what the JS loop does). */
const MIN_RUN = 256;
/** Floats per operand per wasm call: three 64 KiB regions fit in L2. */
const CHUNK = 16384;

export const adagrad: AdagradKernel = (n, p, po, g, go, s, so, step, o) => {
  if (n < MIN_RUN || !(p instanceof Float32Array)) return jsAdagrad(n, p, po, g, go, s, so, step, o);
  const r = Math.fround;
  const chunk = Math.min(n, CHUNK);
  const [pa, ga, sa] = arenaRegions(chunk, chunk, chunk);
  const kernel = wasm().adagradF32;
  for (let i = 0; i < n; i += chunk) {
    const len = Math.min(chunk, n - i);
    copyIn(p.subarray(po + i, po + i + len), pa);
    copyIn(g.subarray(go + i, go + i + len), ga);
    copyIn(s.subarray(so + i, so + i + len), sa);
    kernel(pa, ga, sa, len, o.weightDecay !== 0 ? 1 : 0, o.maximize ? -1 : 1, r(o.weightDecay), r(o.eps), r(adagradScale(o, step)));
    copyOut(pa, len, p, po + i);
    copyOut(sa, len, s, so + i);
  }
};
