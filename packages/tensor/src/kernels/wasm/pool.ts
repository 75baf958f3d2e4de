// maxPool2d of the wasm backend (float32; float64 goes to the JS kernel). The input is copied in, the values
// and argmax indices out.
import type { FloatArray } from '../../dtype.js';
import { type PoolGeometry, maxPool2dForward as jsMaxPool2d } from '../js/pool.js';
import { align4 } from './gemm.js';
import { f32, reserveArena, wasm } from './instance.js';

export function maxPool2dForward(g: PoolGeometry, x: FloatArray, values: FloatArray, indices: Int32Array): void {
  if (!(x instanceof Float32Array) || !(values instanceof Float32Array)) return jsMaxPool2d(g, x, values, indices);
  const xLen = g.planes * g.H * g.W;
  const outLen = g.planes * g.oH * g.oW;
  const valuesAt = align4(xLen);
  const indicesAt = valuesAt + align4(outLen);
  const base = reserveArena((indicesAt + outLen) * 4);
  const first = base >> 2;
  const mem = f32();
  mem.set(x.subarray(0, xLen), first);
  wasm().maxPool2d(
    base, g.planes, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW,
    base + valuesAt * 4, base + indicesAt * 4,
  );
  values.set(mem.subarray(first + valuesAt, first + valuesAt + outLen));
  indices.set(new Int32Array(mem.buffer, base + indicesAt * 4, outLen));
}
