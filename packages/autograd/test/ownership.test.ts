// The engine keeps gradients of ops declared gradOwnership 'fresh' or 'view' as its own buffers (in-place
// accumulation, a leaf's .grad without a copy). These tests pin the cases where that must not happen: a
// gradient seen by a hook or returned by grad() is never written afterwards, and a leaf's .grad is always a
// contiguous tensor that no other gradient shares.
import { describe, expect, it } from 'vitest';
import { grad, randn, type Variable } from '../src/index.js';

const values = (v: Variable) => Array.from(v.data.toTypedArray() as Float32Array);

describe('gradient buffer ownership', () => {
  it('stores a contiguous leaf gradient that no other gradient shares when it arrives as a transposed view', () => {
    const x = randn([3, 4], { requiresGrad: true });
    const w = randn([5, 4], { requiresGrad: true });
    x.matmul(w.t()).sum().backward();
    expect(w.grad!.data.isContiguous()).toBe(true);
    // d/dw sum(x w^T) = column sums of x, repeated for each row of w.
    const colSums = [0, 1, 2, 3].map((j) => x.data.select(1, j).sum().item());
    for (let i = 0; i < 5; i++) {
      const row = Array.from(w.grad!.data.select(0, i).toTypedArray());
      row.forEach((v, j) => expect(v).toBeCloseTo(colSums[j], 4));
    }
    expect(w.grad!.data.storage).not.toBe(x.grad!.data.storage);
  });

  it('accumulates two owned contributions to one leaf without touching either source', () => {
    const x = randn([3, 3], { requiresGrad: true });
    const a = x.detach();
    // matmul(x, x): both gradients are fresh tensors routed to the same leaf.
    const seed = randn([3, 3]);
    x.matmul(x).backward(seed);
    const want = seed.data.matmul(a.data.t()).add(a.data.t().matmul(seed.data));
    values(x.grad!).forEach((v, i) => expect(v).toBeCloseTo((want.toTypedArray() as Float32Array)[i], 4));
  });

  it('does not write into a gradient that a hook on a view kept', () => {
    const x = randn([2, 3], { requiresGrad: true });
    const w = randn([3, 3], { requiresGrad: true });
    const z = x.matmul(w);
    // Recorded before v, so its contribution reaches z after v's (backward runs in reverse creation order).
    const zSum = z.sum();
    const v = z.reshape([3, 2]); // 'view' op: its gradient would pass on as the engine's own
    let kept: number[] | null = null;
    let keptRef: Variable | null = null;
    v.registerHook((g) => {
      keptRef = g;
      kept = values(g);
    });
    // v's gradient comes from matmul (fresh); z's second contribution must not be added into it.
    v.matmul(randn([2, 2])).sum().add(zSum).backward();
    expect(values(keptRef!)).toEqual(kept);
  });

  it('does not write into a gradient that grad() returns', () => {
    const x = randn([2, 3], { requiresGrad: true });
    const w = randn([3, 3], { requiresGrad: true });
    const z = x.matmul(w);
    const zSum = z.sum().mul(3);
    const v = z.reshape([3, 2]);
    const ones = randn([2, 1]).mul(0).add(1);
    // v @ ones sums each row of v: d loss / dv = 1 everywhere (a fresh gradient from matmul).
    const loss = v.matmul(ones).sum().add(zSum);
    const [gv, gx] = grad([loss], [v, x]);
    expect(values(gv!)).toEqual([1, 1, 1, 1, 1, 1]);
    // d loss / dz = 1 + 3 = 4, so d loss / dx = 4 * rowsums(w).
    const rowSums = [0, 1, 2].map((i) => w.data.select(0, i).sum().item());
    const gxv = values(gx!);
    for (let r = 0; r < 2; r++) for (let k = 0; k < 3; k++) expect(gxv[r * 3 + k]).toBeCloseTo(4 * rowSums[k], 4);
  });

  it('stores a copy as .grad when a hook on the leaf may have kept the gradient', () => {
    const x = randn([2, 3]);
    const w = randn([3, 4], { requiresGrad: true });
    let kept: Variable | null = null;
    w.registerHook((g) => {
      kept = g;
    });
    x.matmul(w).sum().backward();
    const before = values(kept!);
    w.grad!.data.fill(0); // as zeroGrad({ setToNull: false }) does
    expect(values(kept!)).toEqual(before);
  });

  it('gives each leaf its own .grad storage across repeated backward calls', () => {
    const x = randn([4], { requiresGrad: true });
    const w = randn([4, 4], { requiresGrad: true });
    const run = () => w.matmul(x).sum().backward();
    run();
    const first = values(w.grad!);
    run();
    values(w.grad!).forEach((v, i) => expect(v).toBeCloseTo(2 * first[i], 5));
  });
});
