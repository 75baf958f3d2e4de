// The wasm kernel of 'optim.rmsprop' (assembly/optim.ts rmspropF32): float32 runs go through wasm memory in
// chunks that stay in cache between the copy in, the update and the copy out; float64 and short runs take
// the js kernel. Bit-identical to the js kernel (test/optim-kernels.test.ts).
import { type RmspropKernel, rmsprop as jsRmsprop } from '../js/optim-rmsprop.js';
import { arenaRegions, copyIn, copyOut, wasm } from './instance.js';

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
  const chunk = Math.min(n, CHUNK);
  const [pa, ga, sa, aa, ba] = arenaRegions(chunk, chunk, chunk, gAvg === null ? 0 : chunk, b === null ? 0 : chunk);
  const kernel = wasm().rmspropF32;
  for (let i = 0; i < n; i += chunk) {
    const len = Math.min(chunk, n - i);
    copyIn(p.subarray(po + i, po + i + len), pa);
    copyIn(g.subarray(go + i, go + i + len), ga);
    copyIn(s.subarray(so + i, so + i + len), sa);
    if (gAvg !== null) copyIn(gAvg.subarray(ao + i, ao + i + len), aa);
    if (b !== null) copyIn(b.subarray(bo + i, bo + i + len), ba);
    kernel(pa, ga, sa, aa, ba, len, flags, o.maximize ? -1 : 1, r(o.weightDecay), r(o.alpha), r(1 - o.alpha), r(o.eps), r(o.momentum), r(-o.lr));
    copyOut(pa, len, p, po + i);
    copyOut(sa, len, s, so + i);
    if (gAvg !== null) copyOut(aa, len, gAvg, ao + i);
    if (b !== null) copyOut(ba, len, b, bo + i);
  }
};
