// maxPool2d of the wasm backend (float32; float64 goes to the JS kernel). The input is copied in, the values
// and argmax indices out.
import type { FloatArray } from '../../dtype.js';
import { type PoolGeometry, maxPool2dForward as jsMaxPool2d } from '../js/pool.js';
import { arenaRegions, copyIn, copyOut, f32, wasm } from './instance.js';

export function maxPool2dForward(g: PoolGeometry, x: FloatArray, values: FloatArray, indices: Int32Array): void {
  if (!(x instanceof Float32Array) || !(values instanceof Float32Array)) return jsMaxPool2d(g, x, values, indices);
  const xLen = g.planes * g.H * g.W;
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
