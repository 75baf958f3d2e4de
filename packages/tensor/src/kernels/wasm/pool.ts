// Max pooling of the wasm backend, forward and backward (float32; float64 goes to the JS kernels). Operands
// are read and written in place when resident, else copied in and out (call.ts).
import type { FloatArray } from '../../dtype.js';
import {
  type PoolGeometry, maxPool2dBackward as jsMaxPool2dBackward, maxPool2dForward as jsMaxPool2d,
} from '../js/pool.js';
import { KernelCall } from './call.js';
import { wasm } from './instance.js';

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
  const call = new KernelCall();
  const xAt = call.input(x, 0, xLen);
  const valuesAt = call.output(values, 0, outLen, 'unset');
  const indicesAt = call.output(indices, 0, outLen, 'unset');
  if (!call.place()) return jsMaxPool2d(g, x, values, indices);
  wasm().maxPool2d(
    xAt.at, g.planes, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW,
    valuesAt.at, indicesAt.at,
  );
  call.finish();
}

/**
 * The JS kernel's contract (gradIn overwritten; returns -1 or the first bad index's position), in wasm for
 * float32: the scatter starts from a zeroed region (gradIn's own when resident).
 */
export function maxPool2dBackward(
  planes: number, inPlane: number, outPlane: number, gradOut: FloatArray, indices: Int32Array, gradIn: FloatArray,
): number {
  const inLen = planes * inPlane;
  if (inLen < MIN_BACKWARD || !(gradOut instanceof Float32Array) || !(gradIn instanceof Float32Array)) {
    return jsMaxPool2dBackward(planes, inPlane, outPlane, gradOut, indices, gradIn);
  }
  const outLen = planes * outPlane;
  const call = new KernelCall();
  const goAt = call.input(gradOut, 0, outLen);
  const indicesAt = call.input(indices, 0, outLen);
  const inAt = call.output(gradIn, 0, inLen, 'zero');
  if (!call.place()) return jsMaxPool2dBackward(planes, inPlane, outPlane, gradOut, indices, gradIn);
  const bad = wasm().maxPool2dBackward(planes, inPlane, outPlane, goAt.at, indicesAt.at, inAt.at);
  if (bad < 0) call.finish();
  return bad;
}
