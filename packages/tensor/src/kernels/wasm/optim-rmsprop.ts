// The wasm kernel of 'optim.rmsprop' (assembly/optim.ts rmspropF32): float32 runs go through wasm memory in
// chunks that stay in cache between the copy in, the update and the copy out; float64 and short runs take
// the js kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type RmspropKernel, rmsprop as jsRmsprop } from '../js/optim-rmsprop.js';
import { wasm } from './instance.js';
import { inOut, input, updateInChunks } from './optim-chunks.js';

/** Shorter runs stay in JS (below this the copies and the call cost about what the JS loop does). */
const MIN_RUN = 256;
/** Floats per operand per wasm call: five 32 KiB regions fit in L2. */
const CHUNK = 8192;

// Flag bits of rmspropF32 (assembly/optim.ts).
const DECAY = 1;
const CENTERED = 2;
const MOMENTUM = 4;

export const rmsprop: RmspropKernel = (n, p, po, g, go, s, so, gAvg, ao, b, bo, o) => {
  if (n < MIN_RUN || !(p instanceof Float32Array)) return jsRmsprop(n, p, po, g, go, s, so, gAvg, ao, b, bo, o);
  const flags = (o.weightDecay !== 0 ? DECAY : 0) | (gAvg !== null ? CENTERED : 0) | (b !== null ? MOMENTUM : 0);
  const r = Math.fround;
  const operands = [inOut(p, po), input(g as Float32Array, go), inOut(s as Float32Array, so), inOut(gAvg as Float32Array | null, ao), inOut(b as Float32Array | null, bo)];
  const done = updateInChunks(n, CHUNK, operands, ([pa, ga, sa, aa, ba], len) =>
    wasm().rmspropF32(pa, ga, sa, aa, ba, len, flags, o.maximize ? -1 : 1, r(o.weightDecay), r(o.alpha), r(1 - o.alpha), r(o.eps), r(o.momentum), r(-o.lr)),
  );
  // No room in wasm memory now (inside a tidy() scope, see instance.ts): the same update in JS.
  if (!done) jsRmsprop(n, p, po, g, go, s, so, gAvg, ao, b, bo, o);
};
