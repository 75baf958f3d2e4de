// The wasm kernel of 'optim.sgd' (assembly/optim.ts sgdF32): float32 runs go through wasm memory in chunks
// that stay in cache between the copy in, the update and the copy out; float64 and short runs take the js
// kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type SgdKernel, sgd as jsSgd } from '../js/optim-sgd.js';
import { arenaRegions, copyIn, copyOut, wasm } from './instance.js';

/** Shorter runs stay in JS (below this the copies and the call cost about what the JS loop does). */
const MIN_RUN = 256;
/** Floats per operand per wasm call: three 64 KiB regions fit in L2. */
const CHUNK = 16384;

// Flag bits of sgdF32 (assembly/optim.ts).
const FIRST = 1;
const MOMENTUM = 2;
const NESTEROV = 4;
const DECAY = 8;

export const sgd: SgdKernel = (n, p, po, g, go, b, bo, first, o) => {
  if (n < MIN_RUN || !(p instanceof Float32Array)) return jsSgd(n, p, po, g, go, b, bo, first, o);
  const flags = (first ? FIRST : 0) | (b !== null ? MOMENTUM : 0) | (o.nesterov ? NESTEROV : 0) | (o.weightDecay !== 0 ? DECAY : 0);
  const sign = o.maximize ? -1 : 1;
  const wd = Math.fround(o.weightDecay);
  const m = Math.fround(o.momentum);
  const gradShare = Math.fround(1 - o.dampening);
  const scale = Math.fround(-o.lr);
  const chunk = Math.min(n, CHUNK);
  const [pa, ga, ba] = arenaRegions(chunk, chunk, b === null ? 0 : chunk);
  const kernel = wasm().sgdF32;
  for (let i = 0; i < n; i += chunk) {
    const len = Math.min(chunk, n - i);
    copyIn(p.subarray(po + i, po + i + len), pa);
    copyIn(g.subarray(go + i, go + i + len), ga);
    // On its first step the buffer is only written.
    if (b !== null && !first) copyIn(b.subarray(bo + i, bo + i + len), ba);
    kernel(pa, ga, ba, len, flags, sign, wd, m, gradShare, scale);
    copyOut(pa, len, p, po + i);
    if (b !== null) copyOut(ba, len, b, bo + i);
  }
};
