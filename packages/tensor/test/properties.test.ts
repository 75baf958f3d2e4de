// Property tests: random shapes and layouts against the naive index-by-index reference.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Tensor, cat, matmul, split } from '@minigrad/tensor';
import { assertClose } from '@minigrad/testing';
import { broadcastPairArb, build, layoutArb, shapeArb, tensorArb } from './arbitraries.js';
import { at, atBroadcast, broadcastShape, indices, naiveBinary, naiveMatmul2d, naiveReduce, naiveValues } from './reference.js';

const runs = { numRuns: 150 };
const tensorOf = (r: { shape: number[]; layout: Parameters<typeof build>[1]; seed: number }) => build(r.shape, r.layout, r.seed);

describe('layouts', () => {
  test('build() gives the requested values in every layout', () => {
    fc.assert(
      fc.property(shapeArb(), layoutArb, fc.nat(100), (shape, layout, seed) => {
        const x = build(shape, layout, seed);
        expect(x.shape).toEqual(shape);
        if (layout !== 'expanded') expect(naiveValues(x)).toEqual(naiveValues(build(shape, 'contiguous', seed)));
      }),
      runs,
    );
  });
});

describe('elementwise ops match the naive reference', () => {
  const unary: [string, (t: Tensor) => Tensor, (v: number) => number][] = [
    ['exp', (t) => t.exp(), Math.exp],
    ['neg', (t) => t.neg(), (v) => -v],
    ['relu', (t) => t.relu(), (v) => Math.max(v, 0)],
    ['square', (t) => t.square(), (v) => v * v],
    ['tanh', (t) => t.tanh(), Math.tanh],
  ];
  for (const [name, f, ref] of unary) {
    test(`${name} on any layout`, () => {
      fc.assert(
        fc.property(tensorArb(), (r) => {
          const x = tensorOf(r);
          const y = f(x);
          expect(y.shape).toEqual(x.shape);
          expect(y.isContiguous()).toBe(true);
          assertClose(y.toTypedArray(), naiveValues(x).map(ref), { rtol: 1e-14, atol: 0 });
        }),
        runs,
      );
    });
  }

  const binary: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
    ['add', (a, b) => a.add(b), (x, y) => x + y],
    ['sub alpha', (a, b) => a.sub(b, 0.5), (x, y) => x - 0.5 * y],
    ['mul', (a, b) => a.mul(b), (x, y) => x * y],
    ['maximum', (a, b) => a.maximum(b), Math.max],
    ['gt', (a, b) => a.gt(b), (x, y) => (x > y ? 1 : 0)],
  ];
  for (const [name, f, ref] of binary) {
    test(`${name} broadcasts any pair of layouts`, () => {
      fc.assert(
        fc.property(broadcastPairArb, layoutArb, layoutArb, fc.nat(50), (shapes, la, lb, seed) => {
          const a = build(shapes.a, la, seed);
          const b = build(shapes.b, lb, seed + 1);
          const out = f(a, b);
          const expected = naiveBinary(a, b, ref);
          expect(out.shape).toEqual(expected.shape);
          assertClose(out.toTypedArray(), expected.values, { rtol: 0, atol: 0 });
        }),
        runs,
      );
    });
  }

  test('in-place add writes through any writable layout', () => {
    const writable = fc.constantFrom('contiguous', 'permuted', 'stepped') as fc.Arbitrary<'contiguous' | 'permuted' | 'stepped'>;
    fc.assert(
      fc.property(broadcastPairArb, writable, layoutArb, (shapes, la, lb) => {
        const target = build(broadcastShape(shapes.a, shapes.b)!, la, 3);
        const other = build(shapes.b, lb, 4);
        const before = naiveValues(target);
        const expected = indices(target.shape).map((idx, k) => before[k] + 2 * atBroadcast(other, idx));
        const v = target.storage.version;
        target.addInPlace(other, 2);
        expect(target.storage.version).toBe(v + 1);
        assertClose(naiveValues(target), expected, { rtol: 0, atol: 0 });
      }),
      runs,
    );
  });
});

describe('reductions match the naive reference', () => {
  const dimsArb = (ndim: number) => fc.subarray([...Array(ndim).keys()]);
  const reductions: [string, (t: Tensor, dims: number[], keep: boolean) => Tensor, (vs: number[]) => number][] = [
    ['sum', (t, d, k) => t.sum(d, k), (vs) => vs.reduce((a, b) => a + b, 0)],
    ['amax', (t, d, k) => t.amax(d, k), (vs) => Math.max(...vs)],
    ['mean', (t, d, k) => t.mean(d, k), (vs) => vs.reduce((a, b) => a + b, 0) / vs.length],
    ['var', (t, d, k) => t.var(d, { keepdim: k, correction: 0 }), (vs) => {
      const m = vs.reduce((a, b) => a + b, 0) / vs.length;
      return vs.reduce((a, b) => a + (b - m) * (b - m), 0) / vs.length;
    }],
  ];
  for (const [name, f, ref] of reductions) {
    test(`${name} over any set of dims, any layout, keepdim`, () => {
      fc.assert(
        fc.property(
          tensorArb().chain((r) => fc.tuple(fc.constant(r), dimsArb(r.shape.length), fc.boolean())),
          ([r, dims, keepdim]) => {
            const x = tensorOf(r);
            const all = dims.length === 0 ? [...x.shape.keys()] : dims;
            const out = f(x, dims, keepdim);
            const expected = naiveReduce(x, all, ref);
            const shape = keepdim ? x.shape.map((s, i) => (all.includes(i) ? 1 : s)) : expected.shape;
            expect(out.shape).toEqual(shape);
            assertClose(out.toTypedArray(), expected.values, { rtol: 1e-12, atol: 1e-12 });
          },
        ),
        runs,
      );
    });
  }

  test('argmax and max(dim) pick the first maximum', () => {
    fc.assert(
      fc.property(tensorArb().filter((r) => r.shape.length > 0), fc.integer({ min: -4, max: 3 }), (r, rawDim) => {
        const x = tensorOf(r).clamp(-1, 1); // clamping creates ties
        const dim = ((rawDim % x.ndim) + x.ndim) % x.ndim;
        const { values, indices: idx } = x.max(dim);
        const outIdx = indices(idx.shape);
        outIdx.forEach((o, k) => {
          const line = [...Array(x.shape[dim]).keys()].map((i) => at(x, [...o.slice(0, dim), i, ...o.slice(dim)]));
          const best = Math.max(...line);
          expect(idx.toTypedArray()[k]).toBe(line.indexOf(best));
          expect(values.toTypedArray()[k]).toBe(best);
        });
        expect(Array.from(x.argmax(dim).toTypedArray())).toEqual(Array.from(idx.toTypedArray()));
      }),
      runs,
    );
  });
});

describe('views', () => {
  test('permute/transpose/slice/select/unsqueeze/expand never copy and read the right element', () => {
    fc.assert(
      fc.property(tensorArb().filter((r) => r.shape.length > 0), fc.nat(), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 3 }), (r, pick, start, step) => {
        const x = tensorOf(r);
        const n = x.ndim;
        const d = pick % n;
        const perm = [...Array(n).keys()].map((i) => (i + pick) % n);
        const p = x.permute(perm);
        expect(p.storage).toBe(x.storage);
        for (const idx of indices(p.shape)) {
          const src = new Array<number>(n);
          perm.forEach((pd, i) => (src[pd] = idx[i]));
          expect(at(p, idx)).toBe(at(x, src));
        }
        const s = x.slice(d, start, undefined, step);
        expect(s.storage).toBe(x.storage);
        const s0 = Math.min(Math.max(start < 0 ? start + x.shape[d] : start, 0), x.shape[d]);
        expect(s.shape[d]).toBe(Math.max(0, Math.ceil((x.shape[d] - s0) / step)));
        for (const idx of indices(s.shape)) {
          const src = idx.slice();
          src[d] = s0 + idx[d] * step;
          expect(at(s, idx)).toBe(at(x, src));
        }
        const k = pick % x.shape[d];
        const sel = x.select(d, k - x.shape[d]); // negative index
        expect(sel.storage).toBe(x.storage);
        for (const idx of indices(sel.shape)) expect(at(sel, idx)).toBe(at(x, [...idx.slice(0, d), k, ...idx.slice(d)]));
        const u = x.unsqueeze(d).expand([2, ...x.shape.slice(0, d), 3, ...x.shape.slice(d)]);
        expect(u.storage).toBe(x.storage);
        for (const idx of indices(u.shape)) expect(at(u, idx)).toBe(at(x, [...idx.slice(1, d + 1), ...idx.slice(d + 2)]));
      }),
      runs,
    );
  });

  test('reshape is a view exactly when view succeeds, and keeps row-major order', () => {
    fc.assert(
      fc.property(tensorArb(), fc.boolean(), (r, flattenFirst) => {
        const x = tensorOf(r);
        const target = flattenFirst ? [x.numel()] : [...x.shape].reverse();
        const y = x.reshape(target);
        expect(naiveValues(y)).toEqual(naiveValues(x));
        let viewed: Tensor | null = null;
        try {
          viewed = x.view(target);
        } catch {
          viewed = null;
        }
        expect(y.storage === x.storage).toBe(viewed !== null);
        if (x.isContiguous()) expect(viewed).not.toBeNull();
      }),
      runs,
    );
  });

  test('contiguous() copies only when needed', () => {
    fc.assert(
      fc.property(tensorArb(), (r) => {
        const x = tensorOf(r);
        const c = x.contiguous();
        if (x.isContiguous()) expect(c).toBe(x);
        else expect(c.storage).not.toBe(x.storage);
        expect(c.isContiguous()).toBe(true);
        expect(naiveValues(c)).toEqual(naiveValues(x));
      }),
      runs,
    );
  });

  test('split then cat gives the tensor back', () => {
    fc.assert(
      fc.property(tensorArb().filter((r) => r.shape.length > 0), fc.nat(), fc.integer({ min: 1, max: 3 }), (r, pick, size) => {
        const x = tensorOf(r);
        const d = pick % x.ndim;
        const parts = split(x, size, d);
        parts.forEach((p) => expect(p.storage).toBe(x.storage));
        expect(naiveValues(cat(parts, d))).toEqual(naiveValues(x));
      }),
      runs,
    );
  });
});

describe('matmul', () => {
  test('batched, broadcast and transposed operands match a per-batch triple loop', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: shapeArb(2, 3),
          dropA: fc.boolean(),
          M: fc.integer({ min: 1, max: 5 }),
          K: fc.integer({ min: 1, max: 5 }),
          N: fc.integer({ min: 1, max: 5 }),
          la: layoutArb,
          lb: layoutArb,
        }),
        ({ batch, dropA, M, K, N, la, lb }) => {
          const a = build(dropA ? [M, K] : [...batch, M, K], la, 1);
          const b = build([...batch, K, N], lb, 2);
          const out = matmul(a, b);
          expect(out.shape).toEqual([...batch, M, N]);
          const expected: number[] = [];
          for (const bi of indices(batch)) {
            const sel = (t: Tensor) => bi.reduce((acc: Tensor, i) => (acc.ndim > 2 ? acc.select(0, i) : acc), t);
            expected.push(...naiveMatmul2d(sel(a), sel(b)));
          }
          assertClose(out.toTypedArray(), expected, { rtol: 1e-12, atol: 1e-12 });
        },
      ),
      runs,
    );
  });
});
