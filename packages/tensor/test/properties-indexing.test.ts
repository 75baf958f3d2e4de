// Property tests for index-driven ops, where and softmax on random layouts against naive references.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { tensor, where } from '@minigrad/tensor';
import { assertClose } from '@minigrad/testing';
import { build, layoutArb, shapeArb } from './arbitraries.js';
import { at, atBroadcast, broadcastShape, indices, naiveValues } from './reference.js';

const runs = { numRuns: 120 };
const nonEmpty = fc.record({ shape: shapeArb(3, 4).filter((s) => s.length > 0), layout: layoutArb, seed: fc.nat(500) });

describe('indexing ops', () => {
  test('gather reads x at index positions along dim', () => {
    fc.assert(
      fc.property(nonEmpty, fc.nat(), fc.nat(), (r, pick, idxSeed) => {
        const x = build(r.shape, r.layout, r.seed);
        const d = pick % x.ndim;
        const idxShape = x.shape.map((s, i) => (i === d ? 1 + ((idxSeed >> 3) % 5) : 1 + ((idxSeed + i) % s)));
        const n = idxShape.reduce((a, b) => a * b, 1);
        const idxVals = Array.from({ length: n }, (_, k) => (idxSeed * 31 + k * 7) % x.shape[d]);
        const index = tensor(new Int32Array(idxVals), { shape: idxShape });
        const out = x.gather(d, index);
        expect(out.shape).toEqual(idxShape);
        const expected = indices(idxShape).map((i, k) => at(x, i.map((v, j) => (j === d ? idxVals[k] : v))));
        expect(naiveValues(out)).toEqual(expected);
      }),
      runs,
    );
  });

  test('scatterAdd accumulates repeated indices', () => {
    fc.assert(
      fc.property(nonEmpty, fc.nat(), fc.nat(), (r, pick, idxSeed) => {
        const x = build(r.shape, r.layout === 'expanded' ? 'contiguous' : r.layout, r.seed);
        const d = pick % x.ndim;
        const src = build(x.shape.map((s, i) => (i === d ? s + 1 : s)), 'permuted', r.seed + 1);
        const idxShape = x.shape.map((s, i) => (i === d ? s + 1 : s));
        const n = idxShape.reduce((a, b) => a * b, 1);
        const idxVals = Array.from({ length: n }, (_, k) => (idxSeed + k * 5) % x.shape[d]);
        const index = tensor(new Int32Array(idxVals), { shape: idxShape });
        const out = x.scatterAdd(d, index, src);
        const expected = naiveValues(x);
        const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
        indices(idxShape).forEach((i, k) => {
          const target = i.map((v, j) => (j === d ? idxVals[k] : v));
          expected[target.reduce((acc, v, j) => acc + v * strides[j], 0)] += at(src, i);
        });
        assertClose(naiveValues(out), expected, { rtol: 1e-12, atol: 1e-12 });
      }),
      runs,
    );
  });

  test('indexSelect picks whole slices (also from a contiguous view with an offset, with a strided index)', () => {
    fc.assert(
      fc.property(nonEmpty, fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (r, pick, raw, views) => {
        // views: x is a contiguous view past the start of its storage, and the index a stride-2 view.
        const x = views ? build([r.shape[0]! + 1, ...r.shape.slice(1)], 'contiguous', r.seed).narrow(0, 1, r.shape[0]!) : build(r.shape, r.layout, r.seed);
        const d = pick % x.ndim;
        const picks = raw.map((v) => v % x.shape[d]!);
        const index = views ? tensor(new Int32Array(picks.flatMap((p) => [p, -1]))).slice(0, 0, 2 * picks.length, 2) : tensor(new Int32Array(picks));
        const out = x.indexSelect(d, index);
        expect(out.shape).toEqual(x.shape.map((s, i) => (i === d ? picks.length : s)));
        expect(naiveValues(out)).toEqual(indices(out.shape).map((i) => at(x, i.map((v, j) => (j === d ? picks[v] : v)))));
      }),
      runs,
    );
  });
});

describe('where and softmax', () => {
  test('where broadcasts condition and both branches', () => {
    fc.assert(
      fc.property(shapeArb(3, 3), fc.nat(7), fc.nat(7), layoutArb, layoutArb, (shape, onesA, onesB, la, lb) => {
        const sa = shape.map((s, i) => ((onesA >> i) & 1 ? 1 : s));
        const sb = shape.map((s, i) => ((onesB >> i) & 1 ? 1 : s));
        const a = build(sa, la, 1);
        const b = build(sb, lb, 2);
        const cond = build(shape, 'permuted', 3).gt(0);
        const out = where(cond, a, b);
        const outShape = broadcastShape(broadcastShape(shape, sa)!, sb)!;
        expect(out.shape).toEqual(outShape);
        expect(naiveValues(out)).toEqual(indices(outShape).map((i) => (atBroadcast(cond, i) ? atBroadcast(a, i) : atBroadcast(b, i))));
      }),
      runs,
    );
  });

  test('softmax and logSoftmax along any dim of any layout', () => {
    fc.assert(
      fc.property(nonEmpty, fc.integer({ min: -3, max: 2 }), (r, rawDim) => {
        const x = build(r.shape, r.layout, r.seed);
        const d = ((rawDim % x.ndim) + x.ndim) % x.ndim;
        const sm = x.softmax(rawDim >= -x.ndim && rawDim < x.ndim ? rawDim : d); // negative dims too
        const lsm = x.logSoftmax(d);
        const expected = indices(x.shape).map((i) => {
          const line = Array.from({ length: x.shape[d] }, (_, k) => at(x, i.map((v, j) => (j === d ? k : v))));
          const m = Math.max(...line);
          return Math.exp(at(x, i) - m) / line.reduce((acc, v) => acc + Math.exp(v - m), 0);
        });
        assertClose(naiveValues(sm), expected, { rtol: 1e-12, atol: 1e-15 });
        assertClose(naiveValues(lsm), expected.map(Math.log), { rtol: 1e-12, atol: 1e-12 });
      }),
      runs,
    );
  });
});
