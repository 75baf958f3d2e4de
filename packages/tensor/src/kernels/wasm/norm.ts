// The normalization kernels of the wasm backend (assembly/norm.ts), bit-identical to the js kernels of
// ../js/norm.ts. Float32 data of at least MIN_ELEMENTS is read in place when resident, else copied into the
// arena (call.ts); the float64 statistics are copied in and out (call.ts), and the parameter gradients, summed
// in float64, are rounded into their float32 outputs in wasm (f64ToF32). float64 data and small tensors (where
// the call costs more than it saves) take the js kernel.
import type { FloatArray } from '../../dtype.js';
import * as js from '../js/norm.js';
import { type NormGeometry, normSlotCount } from '../js/norm.js';
import { KernelCall } from './call.js';
import { wasm } from './instance.js';
import { spoilLaunchLog } from './launches.js';

/**
 * About the break-even size (measured, GroupNorm of [2,8,4,4]: forward 1.2 us js vs 1.4 wasm, backward 2.9 vs
 * 2.1; at 1024 elements wasm takes about 2/3 and 2/5 of the js time, at 50176 about 1/3).
 */
const MIN_ELEMENTS = 256;

/**
 * The statistics as the Float64Array they are (nn's normalizations pass scratchFloat64 arrays), else a copy
 * made in JavaScript, which a launch log cannot repeat (launches.ts).
 */
function float64(values: ArrayLike<number>): Float64Array {
  if (values instanceof Float64Array) return values;
  spoilLaunchLog();
  return Float64Array.from(values);
}

function numel(g: NormGeometry): number {
  return g.n * g.c * g.s;
}

function useWasm(g: NormGeometry, ...arrays: (FloatArray | null)[]): boolean {
  return numel(g) >= MIN_ELEMENTS && arrays.every((a) => a === null || a instanceof Float32Array);
}

export const normStats: typeof js.normStats = (xData, xOff, g, eps, mean, variance, rstd) => {
  if (!useWasm(g, xData)) return js.normStats(xData, xOff, g, eps, mean, variance, rstd);
  const slots = normSlotCount(g);
  const call = new KernelCall();
  const x = call.input(xData as Float32Array, xOff, numel(g));
  const [m, v, r] = [call.output(mean, 0, slots, 'unset'), call.output(variance, 0, slots, 'unset'), call.output(rstd, 0, slots, 'unset')];
  if (!call.place()) return js.normStats(xData, xOff, g, eps, mean, variance, rstd);
  wasm().normStats(x.at, g.n, g.c, g.s, g.groups, g.acrossBatch, eps, m.at, v.at, r.at);
  call.finish();
};

export const normApply: typeof js.normApply = (xData, xOff, g, mean, rstd, weight, bias, out) => {
  if (!useWasm(g, xData, weight, bias, out)) return js.normApply(xData, xOff, g, mean, rstd, weight, bias, out);
  const size = numel(g);
  const slots = normSlotCount(g);
  const call = new KernelCall();
  const x = call.input(xData as Float32Array, xOff, size);
  const [meanAt, rstdAt] = [call.input(float64(mean), 0, slots), call.input(float64(rstd), 0, slots)];
  const weightAt = weight === null ? null : call.input(weight as Float32Array, 0, g.c);
  const biasAt = bias === null ? null : call.input(bias as Float32Array, 0, g.c);
  const outAt = call.output(out as Float32Array, 0, size, 'unset', x);
  if (!call.place()) return js.normApply(xData, xOff, g, mean, rstd, weight, bias, out);
  wasm().normApply(x.at, g.n, g.c, g.s, g.groups, g.acrossBatch, meanAt.at, rstdAt.at, weightAt?.at ?? 0, biasAt?.at ?? 0, outAt.at);
  call.finish();
};

export const normBackward: typeof js.normBackward = (
  xData, xOff, dyData, dyOff, g, mean, rstd, weight, statsFromInput, dx, dweight, dbias,
) => {
  if (!useWasm(g, xData, dyData, weight, dx, dweight, dbias)) {
    return js.normBackward(xData, xOff, dyData, dyOff, g, mean, rstd, weight, statsFromInput, dx, dweight, dbias);
  }
  const size = numel(g);
  const slots = normSlotCount(g);
  const perGroup = g.c / g.groups;
  const call = new KernelCall();
  const x = call.input(xData as Float32Array, xOff, size);
  const dy = call.input(dyData as Float32Array, dyOff, size);
  const [meanAt, rstdAt] = [call.input(float64(mean), 0, slots), call.input(float64(rstd), 0, slots)];
  const weightAt = weight === null ? null : call.input(weight as Float32Array, 0, g.c);
  // The kernel sums both parameter gradients in float64, wanted or not; f64ToF32 rounds them into the outputs.
  const [accW, accB, work] = [call.scratch(2 * g.c), call.scratch(2 * g.c), call.scratch(6 * perGroup)];
  const dwAt = dweight === null ? null : call.output(dweight as Float32Array, 0, g.c, 'unset');
  const dbAt = dbias === null ? null : call.output(dbias as Float32Array, 0, g.c, 'unset');
  const dxAt = dx === null ? null : call.output(dx as Float32Array, 0, size, 'unset', dy);
  if (!call.place()) {
    return js.normBackward(xData, xOff, dyData, dyOff, g, mean, rstd, weight, statsFromInput, dx, dweight, dbias);
  }
  wasm().normBackward(
    x.at, dy.at, g.n, g.c, g.s, g.groups, g.acrossBatch, meanAt.at, rstdAt.at, weightAt?.at ?? 0,
    statsFromInput, dxAt?.at ?? 0, accW.at, accB.at, work.at,
  );
  if (dwAt !== null) wasm().f64ToF32(accW.at, dwAt.at, g.c, 1);
  if (dbAt !== null) wasm().f64ToF32(accB.at, dbAt.at, g.c, 1);
  call.finish();
};
