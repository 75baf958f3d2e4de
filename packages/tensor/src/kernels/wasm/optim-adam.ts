// The wasm kernel of 'optim.adam' (assembly/optim.ts adamF32): float32 runs go through wasm memory in chunks
// that stay in cache between the copy in, the update and the copy out; float64 and short runs take the js
// kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type AdamKernel, adam as jsAdam } from '../js/optim-adam.js';
import { wasm } from './instance.js';
import { inOut, input, updateInChunks } from './optim-chunks.js';

/** Shorter runs stay in JS (below this the copies and the call cost about what the JS loop does). */
const MIN_RUN = 256;
/** Floats per operand per wasm call: five 32 KiB regions fit in L2. */
const CHUNK = 8192;

// Flag bits of adamF32 (assembly/optim.ts).
const SHRINK = 1;
const L2 = 2;
const AMSGRAD = 4;

export const adam: AdamKernel = (n, p, po, g, go, m, mo, v, vo, vMax, xo, step, decoupled, o) => {
  if (n < MIN_RUN || !(p instanceof Float32Array)) return jsAdam(n, p, po, g, go, m, mo, v, vo, vMax, xo, step, decoupled, o);
  // The scalars as the js kernel rounds them.
  const r = Math.fround;
  const [beta1, beta2] = o.betas;
  const l2 = !decoupled && o.weightDecay !== 0;
  const shrinkWeights = decoupled && o.weightDecay !== 0;
  const flags = (shrinkWeights ? SHRINK : 0) | (l2 ? L2 : 0) | (vMax !== null ? AMSGRAD : 0);
  const shrink = r(1 - o.lr * o.weightDecay);
  const biasCorrection2Sqrt = r(Math.sqrt(1 - beta2 ** step));
  const scale = r(-(o.lr / (1 - beta1 ** step)));
  const operands = [inOut(p, po), input(g as Float32Array, go), inOut(m as Float32Array, mo), inOut(v as Float32Array, vo), inOut(vMax as Float32Array | null, xo)];
  const done = updateInChunks(n, CHUNK, operands, ([pa, ga, ma, va, xa], len) =>
    wasm().adamF32(
      pa, ga, ma, va, xa, len, flags,
      o.maximize ? -1 : 1, r(o.weightDecay), shrink, r(beta1), r(1 - beta1), r(beta2), r(1 - beta2), biasCorrection2Sqrt, r(o.eps), scale,
    ),
  );
  // No room in wasm memory now (inside a tidy() scope, see instance.ts): the same update in JS.
  if (!done) jsAdam(n, p, po, g, go, m, mo, v, vo, vMax, xo, step, decoupled, o);
};
