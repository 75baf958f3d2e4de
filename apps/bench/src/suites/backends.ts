// The two @minigrad/tensor backends side by side: each case runs on the 'wasm' backend (WebAssembly SIMD),
// its 'js' column is the same call on the pure TypeScript kernels. Each run selects its backend and restores
// the previous one, so the other suites keep the default.
import {
  type BackendName, type Tensor, conv2d, getBackend, manualSeed, matmul, randn, setBackend, wasmAvailable,
} from '@minigrad/tensor';
import { conv2dBackwardInput, conv2dBackwardWeight } from '@minigrad/tensor/internal';
import { setThreads } from '@minigrad/tensor/node';
import type { BenchCase } from '../harness.js';

export const title = "@minigrad/tensor backends: 'wasm' (WebAssembly SIMD) beside 'js' (float32, one core)";

function on(backend: BackendName, fn: () => void): () => void {
  return () => {
    const previous = getBackend();
    setBackend(backend);
    try {
      fn();
    } finally {
      setBackend(previous);
    }
  };
}

/** A case run on 'wasm' with a 'js' peer column. */
function sideBySide(name: string, flops: number, setup: () => void, fn: () => void): BenchCase {
  return { name, setup, flops, run: on('wasm', fn), peers: { 'minigrad-js': { run: on('js', fn) } } };
}

function sgemm(M: number, K: number, N: number, bTransposed = false): BenchCase {
  let a: Tensor, b: Tensor;
  const label = M === K && K === N ? `sgemm ${M}` : `matmul [${M},${K}] x [${K},${N}]${bTransposed ? ' (B transposed)' : ''}`;
  return sideBySide(label, 2 * M * N * K, () => {
    manualSeed(0);
    a = randn([M, K]);
    b = bTransposed ? randn([N, K]).t() : randn([K, N]);
  }, () => void matmul(a, b));
}

/** sgemm n on two threads, beside the same call on one (the peer runs last and leaves one thread set). */
function sgemmTwoThreads(n: number): BenchCase {
  let a: Tensor, b: Tensor;
  const run = on('wasm', () => void matmul(a, b));
  return {
    name: `sgemm ${n}, 2 threads`,
    setup: async () => {
      manualSeed(0);
      a = randn([n, n]);
      b = randn([n, n]);
      await setThreads(2);
    },
    flops: 2 * n ** 3,
    run,
    // jax-js and PyTorch on two threads run in child processes after the suites (summary only).
    peers: { 'wasm-1-thread': { setup: () => setThreads(1), run } },
    workload: n === 512 ? 'sgemm512TwoThreads' : undefined,
  };
}

function convLayer(input: [number, number, number, number], outChannels: number): BenchCase[] {
  const [N, C, H, W] = input;
  const weightShape = [outChannels, C, 3, 3];
  const opts = { padding: 1 };
  const flops = 2 * N * outChannels * H * W * C * 9;
  const shape = `[${input}]*[${weightShape}]`;
  let x: Tensor, w: Tensor, g: Tensor;
  const setup = (): void => {
    manualSeed(0);
    x = randn(input);
    w = randn(weightShape);
    g = randn([N, outChannels, H, W]);
  };
  return [
    sideBySide(`conv2d ${shape}`, flops, setup, () => void conv2d(x, w, null, opts)),
    sideBySide(`conv2dBackwardInput ${shape}`, flops, setup, () => void conv2dBackwardInput(g, w, input, opts)),
    sideBySide(`conv2dBackwardWeight ${shape}`, flops, setup, () => void conv2dBackwardWeight(g, x, weightShape, opts)),
  ];
}

export const cases: BenchCase[] = wasmAvailable()
  ? [
      ...[128, 256, 512, 1024].map((n) => sgemm(n, n, n)),
      sgemmTwoThreads(512),
      sgemmTwoThreads(1024),
      // The linear layer 3136 -> 128 of the CNN at batch 2: forward (x W^T) and input gradient (g W).
      sgemm(2, 3136, 128, true),
      sgemm(2, 128, 3136),
      ...convLayer([2, 1, 28, 28], 32),
      ...convLayer([2, 32, 14, 14], 64),
      ...convLayer([32, 32, 14, 14], 64),
    ]
  : [];
