// @minigrad/tensor on the default backend: sgemm 512 beside TensorFlow.js, and the three conv2d kernels of the
// summary's conv layer (the backends suite times more sizes on each minigrad backend).
import { type Tensor, conv2d, manualSeed, matmul, randn } from '@minigrad/tensor';
import { conv2dBackwardInput, conv2dBackwardWeight } from '@minigrad/tensor/internal';
import type { BenchCase, Peer } from '../harness.js';
import { jaxPeer } from '../peers/jaxjs.js';
import { type TF, type TfBackend, useTfBackend } from '../peers/tfjs.js';
import { CONV_FLOPS, CONV_LAYER } from '../workloads.js';

export const title = '@minigrad/tensor on the default backend: sgemm beside TensorFlow.js, conv2d kernels (float32, one thread)';

const N = 512;

/** tf.matMul of two random N x N matrices (both tfjs backends compute synchronously). */
function tfMatmul(backend: TfBackend): Peer {
  let tf: typeof TF, a: TF.Tensor2D, b: TF.Tensor2D;
  return {
    setup: async () => {
      tf = await useTfBackend(backend);
      [a, b] = [tf.randomNormal([N, N]), tf.randomNormal([N, N])];
    },
    run: () => tf.dispose(tf.matMul(a, b)),
  };
}

function sgemm(): BenchCase {
  let a: Tensor, b: Tensor;
  return {
    name: `sgemm ${N}x${N}x${N}`,
    setup: () => {
      manualSeed(0);
      a = randn([N, N]);
      b = randn([N, N]);
    },
    run: () => void matmul(a, b),
    flops: 2 * N ** 3,
    peers: { 'tfjs-cpu': tfMatmul('cpu'), 'tfjs-wasm': tfMatmul('wasm'), 'jax-js': jaxPeer('sgemm512') },
    workload: 'sgemm512',
  };
}

/** Forward, input-gradient and weight-gradient cases of the 'same'-padded 3x3 convolution layer. */
function convLayer(): BenchCase[] {
  const input = [...CONV_LAYER.input];
  const weightShape = [CONV_LAYER.outChannels, input[1], 3, 3];
  const opts = { padding: 1 };
  const flops = CONV_FLOPS;
  const shape = `[${input}]*[${weightShape}]`;
  let x: Tensor, w: Tensor, g: Tensor;
  const setup = (): void => {
    manualSeed(0);
    x = randn(input);
    w = randn(weightShape);
    g = randn([input[0], CONV_LAYER.outChannels, input[2], input[3]]);
  };
  return [
    { name: `conv2d ${shape}`, setup, run: () => void conv2d(x, w, null, opts), flops, workload: 'conv2dForward' },
    {
      name: `conv2dBackwardInput ${shape}`, setup, run: () => void conv2dBackwardInput(g, w, input, opts), flops,
      workload: 'conv2dBackwardInput',
    },
    {
      name: `conv2dBackwardWeight ${shape}`, setup, run: () => void conv2dBackwardWeight(g, x, weightShape, opts), flops,
      workload: 'conv2dBackwardWeight',
    },
  ];
}

export const cases: BenchCase[] = [sgemm(), ...convLayer()];
