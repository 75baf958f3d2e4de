// Worker threads for the wasm kernels (src/node.ts): any thread count gives bit-identical results, and the
// setting is validated.
import { afterAll, describe, expect, test } from 'vitest';
import { conv2d, manualSeed, matmul, randn, setConvAlgorithm, type Tensor, tidy } from '@minigrad/tensor';
import { isResident } from '../src/kernels/wasm/instance.js';
import { conv2dBackward, conv2dBackwardInput, conv2dBackwardWeight } from '@minigrad/tensor/internal';
import { setSpeeds, splitBounds } from '../src/kernels/wasm/balance.js';
import { setThreadThreshold } from '../src/kernels/wasm/threads.js';
import { getThreads, setThreads } from '../src/node.js';

// The shapes below are kept small: the threshold comes down so that they are split all the same.
const threshold = setThreadThreshold(1 << 20);
afterAll(async () => {
  setThreadThreshold(threshold);
  await setThreads(1);
});

/**
 * Products and convs above the threading threshold: ragged widths, transposed operands, the batch-2 conv layer
 * (split by samples; its weight gradient by input channels), an odd batch, one sample (products split by
 * columns), grouped convs, a batch long enough that each worker's step list goes in several jobs, and weight
 * gradients split by rows (one input channel) or by an odd number of input channels.
 */
function workload(): () => Tensor[] {
  manualSeed(3);
  const a = randn([133, 301]), b = randn([301, 517]), bt = randn([517, 301]).t();
  const x = randn([2, 32, 14, 14]), w = randn([64, 32, 3, 3]), g = randn([2, 64, 14, 14]);
  const x3 = randn([3, 8, 48, 48]), w3 = randn([20, 4, 3, 3]), g3 = randn([3, 20, 24, 24]);
  const x1 = randn([1, 16, 20, 20]), w1 = randn([40, 16, 3, 3]), g1 = randn([1, 40, 20, 20]);
  const xl = randn([300, 2, 6, 6]), wl = randn([12, 2, 3, 3]), gl = randn([300, 12, 6, 6]);
  const xc = randn([8, 1, 32, 32]), wc = randn([16, 1, 3, 3]), gc = randn([8, 16, 32, 32]);
  const xo = randn([2, 3, 32, 32]), wo = randn([24, 3, 3, 3]), go = randn([2, 24, 32, 32]);
  const pad = { padding: 1 };
  const grouped = { stride: 2, padding: 1, groups: 2 };
  return () => [
    matmul(a, b), matmul(a, bt), matmul(b.t(), a.t()),
    conv2d(x, w, null, pad), conv2dBackwardInput(g, w, x.shape, pad), conv2dBackwardWeight(g, x, w.shape, pad),
    conv2d(x3, w3, null, grouped), conv2dBackwardInput(g3, w3, x3.shape, grouped), conv2dBackwardWeight(g3, x3, w3.shape, grouped),
    conv2d(x1, w1, null, pad), conv2dBackwardInput(g1, w1, x1.shape, pad), conv2dBackwardWeight(g1, x1, w1.shape, pad),
    conv2d(xl, wl, null, pad), conv2dBackwardInput(gl, wl, xl.shape, pad), conv2dBackwardWeight(gl, xl, wl.shape, pad),
    conv2dBackwardWeight(gc, xc, wc.shape, pad), conv2dBackwardWeight(go, xo, wo.shape, pad),
    // Both gradients at once (side by side on several threads): the bits of the two apart, on one thread.
    ...conv2dBackward(g, x, w, pad), ...conv2dBackward(g3, x3, w3, grouped), ...conv2dBackward(gc, xc, wc, pad),
    // Winograd: its 16 (or 32) products shared out among the threads, each whole on one.
    ...winograd(() => [
      conv2d(x, w, null, pad), conv2dBackwardInput(g, w, x.shape, pad), conv2dBackwardWeight(g, x, w.shape, pad), ...conv2dBackward(g, x, w, pad),
      conv2d(x1, w1, null, pad), ...conv2dBackward(g1, x1, w1, pad),
    ]),
  ];
}

/** fn's results under setConvAlgorithm('winograd'). */
function winograd(fn: () => Tensor[]): Tensor[] {
  setConvAlgorithm('winograd');
  try {
    return fn();
  } finally {
    setConvAlgorithm('gemm');
  }
}

/** Throws unless a and b hold the same bits (a loop: toEqual on arrays this long is slow). */
function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${label}: element ${i} is ${a[i]}, expected ${b[i]}`);
}

describe('wasm kernels on worker threads', () => {
  test('1, 2 and 3 threads give bit-identical results', async () => {
    const run = workload();
    expect(getThreads()).toBe(1);
    const one = run().map((t) => t.toTypedArray());
    for (const threads of [2, 3]) {
      await setThreads(threads);
      expect(getThreads()).toBe(threads);
      const many = run().map((t) => t.toTypedArray());
      many.forEach((m, i) => expectSameBits(m, one[i], `result ${i} on ${threads} threads`));
    }
    await setThreads(1);
    expect(getThreads()).toBe(1);
    run().forEach((m, i) => expectSameBits(m.toTypedArray(), one[i], `result ${i} back on 1 thread`));
  }, 60_000);

  test('on 2 threads, operands resident in the shared memory (inside tidy) give the same bits', async () => {
    const run = workload();
    const one = run().map((t) => t.toTypedArray());
    await setThreads(2);
    const resident = tidy(() => {
      const outs = run();
      expect(outs.every((t) => isResident(t.data as Float32Array))).toBe(true);
      return outs.map((t) => t.toTypedArray());
    });
    resident.forEach((m, i) => expectSameBits(m, one[i], `resident result ${i} on 2 threads`));
    await setThreads(1);
  }, 60_000);

  test('work cut unevenly between threads (one measured faster than the others) gives the same bits', async () => {
    const run = workload();
    const one = run().map((t) => t.toTypedArray());
    for (const threads of [2, 3]) {
      await setThreads(threads);
      // The calling thread first as fast as the limits allow, then the last worker (balance.ts).
      for (const speeds of [[100, ...new Array(threads - 1).fill(1)], [...new Array(threads - 1).fill(1), 100]]) {
        const previous = setSpeeds(speeds);
        const bounds = splitBounds(12, threads);
        expect(bounds[1] - bounds[0]).not.toBe(bounds[threads] - bounds[threads - 1]);
        run().forEach((m, i) => expectSameBits(m.toTypedArray(), one[i], `result ${i} on ${threads} threads, speeds ${speeds}`));
        setSpeeds(previous);
      }
    }
    await setThreads(1);
  }, 60_000);

  test('rejects a thread count that is not an integer in [1, 16]', async () => {
    await expect(setThreads(0)).rejects.toThrow(/setThreads: threads must be an integer in \[1, 16\], got 0/);
    await expect(setThreads(1.5)).rejects.toThrow(/got 1.5/);
  });
});
