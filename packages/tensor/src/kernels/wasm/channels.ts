// Per-channel kernels of the wasm backend (float32 blocks; anything else, or a small block, takes the JS kernel).
import type { GemmArray } from '../js/gemm.js';
import { addChannelBias as jsAddChannelBias } from '../js/conv.js';
import { type ChannelSumKernel, sumChannels as jsSumChannels } from '../js/reduce.js';
import { KernelCall } from './call.js';
import { f32, wasm } from './instance.js';

/**
 * Smaller blocks stay in JS: there the copies cost about what the kernels save (measured side by side: sums of
 * 4096 elements js 3.9-6.3 us, wasm 2.4-4.0 us; the bias add wins from 512 elements, 2.8 vs 1.1 us).
 */
const MIN_SUM = 4096;
const MIN_BIAS = 512;

/** The JS kernel's sums in its order (bit-identical), eight runs at a time. One run gains nothing: JS. */
export const sumChannels: ChannelSumKernel = (N, C, inner, x, xo, out, scale) => {
  const n = N * C * inner;
  if (n < MIN_SUM || N * C < 8 || !(x instanceof Float32Array)) return jsSumChannels(N, C, inner, x, xo, out, scale);
  const call = new KernelCall();
  const xAt = call.input(x, xo, n);
  const accAt = call.scratch(2 * C);
  const outAt = out instanceof Float32Array ? call.output(out, 0, C, 'unset') : null;
  if (!call.place()) return jsSumChannels(N, C, inner, x, xo, out, scale);
  wasm().sumChannels(xAt.at, N, C, inner, accAt.at);
  if (outAt !== null) {
    wasm().f64ToF32(accAt.at, outAt.at, C, scale); // out[c] = acc[c] * scale, rounded to float32 once
    call.finish();
    return;
  }
  const acc = new Float64Array(f32().buffer, accAt.at, C);
  for (let c = 0; c < C; c++) out[c] = acc[c] * scale;
};

/** out [N, C, L] += bias [C], bit-identical to the JS kernel. */
export function addChannelBias(N: number, C: number, L: number, bias: GemmArray, out: GemmArray): void {
  const n = N * C * L;
  if (n < MIN_BIAS || !(bias instanceof Float32Array) || !(out instanceof Float32Array)) return jsAddChannelBias(N, C, L, bias, out);
  const call = new KernelCall();
  const biasAt = call.input(bias, 0, C);
  const outAt = call.output(out, 0, n, 'values');
  if (!call.place()) return jsAddChannelBias(N, C, L, bias, out);
  wasm().addChannelBias(N, C, L, biasAt.at, outAt.at);
  call.finish();
}
