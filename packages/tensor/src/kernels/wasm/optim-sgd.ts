// The wasm kernel of 'optim.sgd' (assembly/optim.ts sgdF32): float32 runs go through wasm memory in chunks
// that stay in cache between the copy in, the update and the copy out; float64 and short runs take the js
// kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type SgdKernel, sgd as jsSgd } from '../js/optim-sgd.js';
import { wasm } from './instance.js';
import { inOut, input, updateInChunks } from './optim-chunks.js';

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
  // On its first step the buffer is only written.
  const buffer = { data: b as Float32Array | null, offset: bo, read: !first, write: true };
  const done = updateInChunks(n, CHUNK, [inOut(p, po), input(g as Float32Array, go), buffer], ([pa, ga, ba], len) =>
    wasm().sgdF32(pa, ga, ba, len, flags, sign, wd, m, gradShare, scale),
  );
  // No room in wasm memory now (inside a tidy() scope, see instance.ts): the same update in JS.
  if (!done) jsSgd(n, p, po, g, go, b, bo, first, o);
};
