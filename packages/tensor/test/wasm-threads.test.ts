// Worker threads for the wasm sgemm (src/node.ts): any thread count gives bit-identical results, products
// below the threshold stay on the calling thread, and the setting is validated.
import { afterAll, describe, expect, test } from 'vitest';
import { conv2d, conv2dBackwardWeight, manualSeed, matmul, randn, type Tensor } from '@minigrad/tensor';
import { getThreads, setThreads } from '../src/node.js';

afterAll(() => setThreads(1));

/** Products above the threading threshold: ragged widths, transposed operands, the batch-2 conv layer. */
function workload(): () => Tensor[] {
  manualSeed(3);
  const a = randn([133, 301]), b = randn([301, 517]), bt = randn([517, 301]).t();
  const x = randn([2, 32, 14, 14]), w = randn([64, 32, 3, 3]), g = randn([2, 64, 14, 14]);
  return () => [
    matmul(a, b), matmul(a, bt), matmul(b.t(), a.t()),
    conv2d(x, w, null, { padding: 1 }), conv2dBackwardWeight(g, x, w.shape, { padding: 1 }),
  ];
}

describe('wasm sgemm on worker threads', () => {
  test('1, 2 and 3 threads give bit-identical results', async () => {
    const run = workload();
    expect(getThreads()).toBe(1);
    const one = run().map((t) => t.toTypedArray());
    for (const threads of [2, 3]) {
      await setThreads(threads);
      expect(getThreads()).toBe(threads);
      const many = run().map((t) => t.toTypedArray());
      many.forEach((m, i) => expect(m, `product ${i} on ${threads} threads`).toEqual(one[i]));
    }
    await setThreads(1);
    expect(getThreads()).toBe(1);
    run().forEach((m, i) => expect(m.toTypedArray(), `product ${i} back on 1 thread`).toEqual(one[i]));
  }, 60_000);

  test('rejects a thread count that is not an integer in [1, 16]', async () => {
    await expect(setThreads(0)).rejects.toThrow(/setThreads: threads must be an integer in \[1, 16\], got 0/);
    await expect(setThreads(1.5)).rejects.toThrow(/got 1.5/);
  });
});
