// @minigrad/tensor kernels: sgemm (through matmul) and the three conv2d kernels on MNIST-sized layers.
import {
  type Tensor, conv2d, conv2dBackwardInput, conv2dBackwardWeight, manualSeed, matmul, randn,
} from '@minigrad/tensor';
import type { BenchCase } from '../harness.js';

export const title = '@minigrad/tensor: sgemm and conv2d kernels (float32, one core)';

function sgemm(n: number): BenchCase {
  let a: Tensor, b: Tensor;
  return {
    name: `sgemm ${n}x${n}x${n}`,
    setup: () => {
      manualSeed(0);
      a = randn([n, n]);
      b = randn([n, n]);
    },
    run: () => void matmul(a, b),
    flops: 2 * n ** 3,
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
  const setup = (): void => {
    manualSeed(0);
    x = randn(input);
    w = randn(weightShape);
    g = randn([N, outChannels, H, W]);
  };
  return [
    { name: `conv2d ${shape}`, setup, run: () => void conv2d(x, w, null, opts), flops },
    { name: `conv2dBackwardInput ${shape}`, setup, run: () => void conv2dBackwardInput(g, w, input, opts), flops },
    { name: `conv2dBackwardWeight ${shape}`, setup, run: () => void conv2dBackwardWeight(g, x, weightShape, opts), flops },
  ];
}

export const cases: BenchCase[] = [
  ...[128, 256, 512, 1024].map(sgemm),
  ...convLayer([2, 1, 28, 28], 32),
  ...convLayer([2, 32, 14, 14], 64),
  ...convLayer([32, 1, 28, 28], 32),
  ...convLayer([32, 32, 14, 14], 64),
];
