// @minigrad/tensor kernels: sgemm (through matmul) and the three conv2d kernels on MNIST-sized layers.
import {
  type Tensor, conv2d, conv2dBackwardInput, conv2dBackwardWeight, manualSeed, matmul, randn,
} from '@minigrad/tensor';
import type { BenchCase, Peer } from '../harness.js';
import { type TF, type TfBackend, useTfBackend } from '../peers/tfjs.js';
import { CONV_LAYER, type WorkloadId } from '../workloads.js';

export const title = '@minigrad/tensor: sgemm (beside TensorFlow.js at 512) and conv2d kernels (float32, one core)';

/** tf.matMul of two random n x n matrices (both tfjs backends compute synchronously). */
function tfMatmul(backend: TfBackend, n: number): Peer {
  let tf: typeof TF, a: TF.Tensor2D, b: TF.Tensor2D;
  return {
    setup: async () => {
      tf = await useTfBackend(backend);
      [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
    },
    run: () => tf.dispose(tf.matMul(a, b)),
  };
}

function sgemm(n: number): BenchCase {
  let a: Tensor, b: Tensor;
  // The summary's sgemm row (512) is also timed in TensorFlow.js.
  const peers = n === 512 ? { 'tfjs-cpu': tfMatmul('cpu', n), 'tfjs-wasm': tfMatmul('wasm', n) } : undefined;
  return {
    name: `sgemm ${n}x${n}x${n}`,
    setup: () => {
      manualSeed(0);
      a = randn([n, n]);
      b = randn([n, n]);
    },
    run: () => void matmul(a, b),
    flops: 2 * n ** 3,
    peers,
    workload: n === 512 ? 'sgemm512' : undefined,
  };
}

/** Forward, input-gradient and weight-gradient cases of one 'same'-padded 3x3 convolution layer. */
function convLayer(input: [number, number, number, number], outChannels: number): BenchCase[] {
  const [N, C, H, W] = input;
  const weightShape = [outChannels, C, 3, 3];
  const opts = { padding: 1 };
  // Each kernel does one multiply-add per (output element, kernel tap).
  const flops = 2 * N * outChannels * H * W * C * 9;
  const shape = `[${input}]*[${weightShape}]`;
  let x: Tensor, w: Tensor, g: Tensor;
  // The layer of the summary's conv rows.
  const summarized = input.join() === CONV_LAYER.input.join() && outChannels === CONV_LAYER.outChannels;
  const tag = (id: WorkloadId): WorkloadId | undefined => (summarized ? id : undefined);
  const setup = (): void => {
    manualSeed(0);
    x = randn(input);
    w = randn(weightShape);
    g = randn([N, outChannels, H, W]);
  };
  return [
    { name: `conv2d ${shape}`, setup, run: () => void conv2d(x, w, null, opts), flops, workload: tag('conv2dForward') },
    {
      name: `conv2dBackwardInput ${shape}`, setup, run: () => void conv2dBackwardInput(g, w, input, opts), flops,
      workload: tag('conv2dBackwardInput'),
    },
    {
      name: `conv2dBackwardWeight ${shape}`, setup, run: () => void conv2dBackwardWeight(g, x, weightShape, opts), flops,
      workload: tag('conv2dBackwardWeight'),
    },
  ];
}

export const cases: BenchCase[] = [
  ...[128, 256, 512, 1024].map(sgemm),
  ...convLayer([2, 1, 28, 28], 32),
  ...convLayer([2, 32, 14, 14], 64),
  ...convLayer([32, 1, 28, 28], 32),
  ...convLayer([32, 32, 14, 14], 64),
];
