// The normalization kernels of the wasm backend (assembly/norm.ts), bit-identical to the js kernels of
// ../js/norm.ts. Float32 data of at least MIN_ELEMENTS is read in place when resident, else copied into the
// arena (call.ts); the float64 statistics go through the arena. float64 data and small tensors (where the
// call costs more than it saves) take the js kernel.
import type { FloatArray } from '../../dtype.js';
import * as js from '../js/norm.js';
import { type NormGeometry, normSlotCount } from '../js/norm.js';
import { KernelCall } from './call.js';
import { f32, wasm } from './instance.js';

/**
 * About the break-even size (measured, GroupNorm of [2,8,4,4]: forward 1.2 us js vs 1.4 wasm, backward 2.9 vs
 * 2.1; at 1024 elements wasm takes about 2/3 and 2/5 of the js time, at 50176 about 1/3).
 */
const MIN_ELEMENTS = 256;

let f64View: Float64Array = new Float64Array(0);

/** A Float64Array over the whole memory (valid until the next arena reservation, like f32()). */
function f64(): Float64Array {
  const buffer = f32().buffer;
  if (f64View.buffer !== buffer) f64View = new Float64Array(buffer);
  return f64View;
}

/** Copies src[0, len) into the arena as float64 from byte address `at`. */
function copyIn64(src: ArrayLike<number>, len: number, at: number): void {
  const view = f64();
  const first = at >> 3;
  for (let i = 0; i < len; i++) view[first + i] = src[i];
}

function numel(g: NormGeometry): number {
  return g.n * g.c * g.s;
}

function useWasm(g: NormGeometry, ...arrays: (FloatArray | null)[]): boolean {
  return numel(g) >= MIN_ELEMENTS && arrays.every((a) => a === null || a instanceof Float32Array);
}

export const normStats: typeof js.normStats = (xData, xOff, g, eps, mean, variance, rstd) => {
  if (!useWasm(g, xData)) return js.normStats(xData, xOff, g, eps, mean, variance, rstd);
  const size = numel(g);
  const slots = normSlotCount(g);
  const call = new KernelCall();
  const [x, m, v, r] = [call.input(xData as Float32Array, xOff, size), call.scratch(2 * slots), call.scratch(2 * slots), call.scratch(2 * slots)];
  if (!call.place()) return js.normStats(xData, xOff, g, eps, mean, variance, rstd);
  const [meanAt, varAt, rstdAt] = [m.at, v.at, r.at];
  wasm().normStats(x.at, g.n, g.c, g.s, g.groups, g.acrossBatch, eps, meanAt, varAt, rstdAt);
  const view = f64();
  mean.set(view.subarray(meanAt >> 3, (meanAt >> 3) + slots));
  variance.set(view.subarray(varAt >> 3, (varAt >> 3) + slots));
  rstd.set(view.subarray(rstdAt >> 3, (rstdAt >> 3) + slots));
};

export const normApply: typeof js.normApply = (xData, xOff, g, mean, rstd, weight, bias, out) => {
  if (!useWasm(g, xData, weight, bias, out)) return js.normApply(xData, xOff, g, mean, rstd, weight, bias, out);
  const size = numel(g);
  const slots = normSlotCount(g);
  const call = new KernelCall();
  const x = call.input(xData as Float32Array, xOff, size);
  const [meanAt, rstdAt] = [call.scratch(2 * slots), call.scratch(2 * slots)];
  const weightAt = weight === null ? null : call.input(weight as Float32Array, 0, g.c);
  const biasAt = bias === null ? null : call.input(bias as Float32Array, 0, g.c);
  const outAt = call.output(out as Float32Array, 0, size, 'unset', x);
  if (!call.place()) return js.normApply(xData, xOff, g, mean, rstd, weight, bias, out);
  copyIn64(mean, slots, meanAt.at);
  copyIn64(rstd, slots, rstdAt.at);
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
  const [meanAt, rstdAt] = [call.scratch(2 * slots), call.scratch(2 * slots)];
  const weightAt = weight === null ? null : call.input(weight as Float32Array, 0, g.c);
  const [accW, accB, work] = [call.scratch(2 * g.c), call.scratch(2 * g.c), call.scratch(6 * perGroup)];
  const dxAt = dx === null ? null : call.output(dx as Float32Array, 0, size, 'unset', dy);
  if (!call.place()) {
    return js.normBackward(xData, xOff, dyData, dyOff, g, mean, rstd, weight, statsFromInput, dx, dweight, dbias);
  }
  copyIn64(mean, slots, meanAt.at);
  copyIn64(rstd, slots, rstdAt.at);
  wasm().normBackward(
    x.at, dy.at, g.n, g.c, g.s, g.groups, g.acrossBatch, meanAt.at, rstdAt.at, weightAt?.at ?? 0,
    statsFromInput, dxAt?.at ?? 0, accW.at, accB.at, work.at,
  );
  call.finish();
  const [accWAt, accBAt] = [accW.at, accB.at];
  const view = f64();
  if (dweight !== null) dweight.set(view.subarray(accWAt >> 3, (accWAt >> 3) + g.c));
  if (dbias !== null) dbias.set(view.subarray(accBAt >> 3, (accBAt >> 3) + g.c));
};
