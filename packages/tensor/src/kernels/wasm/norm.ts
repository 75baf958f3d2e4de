// The normalization kernels of the wasm backend (assembly/norm.ts), bit-identical to the js kernels of
// ../js/norm.ts. Float32 data of at least MIN_ELEMENTS is copied into the arena with the float64
// statistics; float64 data and small tensors (where the copies and the call cost more than they save) take
// the js kernel.
import type { FloatArray } from '../../dtype.js';
import * as js from '../js/norm.js';
import { type NormGeometry, normSlotCount } from '../js/norm.js';
import { arenaRegions, copyIn, copyOut, f32, wasm } from './instance.js';

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
  const [xAt, meanAt, varAt, rstdAt] = arenaRegions(size, 2 * slots, 2 * slots, 2 * slots);
  copyIn(xData.subarray(xOff, xOff + size), xAt);
  wasm().normStats(xAt, g.n, g.c, g.s, g.groups, g.acrossBatch, eps, meanAt, varAt, rstdAt);
  const view = f64();
  mean.set(view.subarray(meanAt >> 3, (meanAt >> 3) + slots));
  variance.set(view.subarray(varAt >> 3, (varAt >> 3) + slots));
  rstd.set(view.subarray(rstdAt >> 3, (rstdAt >> 3) + slots));
};

export const normApply: typeof js.normApply = (xData, xOff, g, mean, rstd, weight, bias, out) => {
  if (!useWasm(g, xData, weight, bias, out)) return js.normApply(xData, xOff, g, mean, rstd, weight, bias, out);
  const size = numel(g);
  const slots = normSlotCount(g);
  const [xAt, meanAt, rstdAt, weightAt, biasAt] = arenaRegions(size, 2 * slots, 2 * slots, g.c, g.c);
  copyIn(xData.subarray(xOff, xOff + size), xAt);
  copyIn64(mean, slots, meanAt);
  copyIn64(rstd, slots, rstdAt);
  if (weight !== null) copyIn(weight.subarray(0, g.c), weightAt);
  if (bias !== null) copyIn(bias.subarray(0, g.c), biasAt);
  wasm().normApply(xAt, g.n, g.c, g.s, g.groups, g.acrossBatch, meanAt, rstdAt, weight === null ? 0 : weightAt, bias === null ? 0 : biasAt, xAt);
  copyOut(xAt, size, out);
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
  const [xAt, dyAt, meanAt, rstdAt, weightAt, accWAt, accBAt, workAt] = arenaRegions(
    size, size, 2 * slots, 2 * slots, g.c, 2 * g.c, 2 * g.c, 6 * perGroup,
  );
  copyIn(xData.subarray(xOff, xOff + size), xAt);
  copyIn(dyData.subarray(dyOff, dyOff + size), dyAt);
  copyIn64(mean, slots, meanAt);
  copyIn64(rstd, slots, rstdAt);
  if (weight !== null) copyIn(weight.subarray(0, g.c), weightAt);
  wasm().normBackward(
    xAt, dyAt, g.n, g.c, g.s, g.groups, g.acrossBatch, meanAt, rstdAt, weight === null ? 0 : weightAt,
    statsFromInput, dx === null ? 0 : dyAt, accWAt, accBAt, workAt,
  );
  if (dx !== null) copyOut(dyAt, size, dx);
  const view = f64();
  if (dweight !== null) dweight.set(view.subarray(accWAt >> 3, (accWAt >> 3) + g.c));
  if (dbias !== null) dbias.set(view.subarray(accBAt >> 3, (accBAt >> 3) + g.c));
};
