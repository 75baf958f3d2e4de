// Naive index-by-index reference implementations the tests compare the real ops against.
import type { Tensor } from '@minigrad/tensor';

/** All multi-indices of a shape in row-major order. */
export function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const n = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < n; flat++) {
    const idx = new Array<number>(shape.length);
    let r = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d];
      r = Math.floor(r / shape[d]);
    }
    out.push(idx);
  }
  return out;
}

/** Element at a multi-index, read through shape/strides/offset. */
export function at(t: Tensor, idx: readonly number[]): number {
  let off = t.offset;
  for (let d = 0; d < idx.length; d++) off += idx[d] * t.strides[d];
  return t.data[off];
}

/** Flat row-major values read index by index (independent of the library's copy routines). */
export function naiveValues(t: Tensor): number[] {
  return indices(t.shape).map((i) => at(t, i));
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Element of t at idx of a broadcast result shape. */
export function atBroadcast(t: Tensor, idx: readonly number[]): number {
  const lead = idx.length - t.ndim;
  const own = t.shape.map((s, d) => (s === 1 ? 0 : idx[d + lead]));
  return at(t, own);
}

/** f applied elementwise over the broadcast of a and b. */
export function naiveBinary(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const shape = broadcastShape(a.shape, b.shape);
  if (shape === null) throw new Error('not broadcastable');
  return { shape, values: indices(shape).map((i) => f(atBroadcast(a, i), atBroadcast(b, i))) };
}

/** Reduction of t over dims with f(values along those dims) -> number; output shape without keepdim. */
export function naiveReduce(t: Tensor, dims: number[], f: (vs: number[]) => number): { shape: number[]; values: number[] } {
  const keep = t.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const outShape = keep.map((d) => t.shape[d]);
  const groups = new Map<string, number[]>();
  for (const idx of indices(t.shape)) {
    const key = keep.map((d) => idx[d]).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(at(t, idx));
  }
  return { shape: outShape, values: indices(outShape).map((i) => f(groups.get(i.join(',')) ?? [])) };
}

/** Plain triple loop matmul of 2-D tensors. */
export function naiveMatmul2d(a: Tensor, b: Tensor): number[] {
  const [M, K] = a.shape;
  const N = b.shape[1];
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += at(a, [i, k]) * at(b, [k, j]);
      out.push(s);
    }
  }
  return out;
}
