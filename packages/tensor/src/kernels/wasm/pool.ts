// Max pooling of the wasm backend, forward and backward (float32; float64 goes to the JS kernels). Operands
// are copied in, results out.
import type { FloatArray } from '../../dtype.js';
import {
  type PoolGeometry, maxPool2dBackward as jsMaxPool2dBackward, maxPool2dForward as jsMaxPool2d,
} from '../js/pool.js';
import { arenaRegions, copyIn, copyOut, f32, wasm, zeroFill } from './instance.js';

// Below these input sizes (elements) the JS kernels are faster than the copies in and out (measured side by
// side: forward 64 elements 0.20 vs 0.46 us, 256 0.75 vs 0.28 us; backward 256 0.20 vs 0.39 us, 2048 1.5 vs 0.9 us).
const MIN_FORWARD = 256;
const MIN_BACKWARD = 1024;

export function maxPool2dForward(g: PoolGeometry, x: FloatArray, values: FloatArray, indices: Int32Array): void {
  const xLen = g.planes * g.H * g.W;
  if (xLen < MIN_FORWARD || !(x instanceof Float32Array) || !(values instanceof Float32Array)) {
    return jsMaxPool2d(g, x, values, indices);
  }
  const outLen = g.planes * g.oH * g.oW;
  const [xAt, valuesAt, indicesAt] = arenaRegions(xLen, outLen, outLen);
  copyIn(x.subarray(0, xLen), xAt);
  wasm().maxPool2d(
    xAt, g.planes, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW,
    valuesAt, indicesAt,
  );
  copyOut(valuesAt, outLen, values);
  indices.set(new Int32Array(f32().buffer, indicesAt, outLen));
}

/**
 * The JS kernel's contract (gradIn overwritten; returns -1 or the first bad index's position), in wasm for
 * float32: the scatter starts from a zeroed arena region, so gradIn is only copied out.
 */
export function maxPool2dBackward(
  planes: number, inPlane: number, outPlane: number, gradOut: FloatArray, indices: Int32Array, gradIn: FloatArray,
): number {
  const inLen = planes * inPlane;
  if (inLen < MIN_BACKWARD || !(gradOut instanceof Float32Array) || !(gradIn instanceof Float32Array)) {
    return jsMaxPool2dBackward(planes, inPlane, outPlane, gradOut, indices, gradIn);
  }
  const outLen = planes * outPlane;
  const [goAt, indicesAt, inAt] = arenaRegions(outLen, outLen, inLen);
  copyIn(gradOut.subarray(0, outLen), goAt);
  new Int32Array(f32().buffer, indicesAt, outLen).set(indices.subarray(0, outLen));
  zeroFill(inAt, inLen);
  const bad = wasm().maxPool2dBackward(planes, inPlane, outPlane, goAt, indicesAt, inAt);
  if (bad < 0) copyOut(inAt, inLen, gradIn);
  return bad;
}
