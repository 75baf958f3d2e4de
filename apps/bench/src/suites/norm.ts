// @minigrad/nn normalizations: GroupNorm (G=32) and BatchNorm2d (training mode) forward + backward, the
// fused op beside the same normalization composed of autograd ops, beside TensorFlow.js (wasm and cpu
// backends, through tf.grads) and, for GroupNorm, beside jax-js (wasm, jit of the vjp).
import { Variable } from '@minigrad/autograd';
import { BatchNorm2d, F } from '@minigrad/nn';
import { normalizeComposite, groupNormLayout, batchNormLayout } from '@minigrad/nn/internal';
import { manualSeed, randn, type Tensor } from '@minigrad/tensor';
import type { BenchCase, Peer } from '../harness.js';
import { jaxPeer } from '../peers/jaxjs.js';
import { loadTfjs, type TF, useTfBackend } from '../peers/tfjs.js';

export const title = '@minigrad/nn: normalization forward + backward (float32)';

const tf = await loadTfjs();

const G = 32;
const EPS = 1e-5;
type Shape = [number, number, number, number];

/** GroupNorm in tfjs ops: reshape to [N, G, -1], moments over the group, per-channel affine. */
function tfGroupNorm([n, c, h, w]: Shape) {
  return (x: TF.Tensor, gamma: TF.Tensor, beta: TF.Tensor): TF.Tensor => {
    const grouped = tf.reshape(x, [n, G, -1]);
    const { mean, variance } = tf.moments(grouped, 2, true);
    const xhat = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, EPS))), [n, c, h, w]);
    return tf.add(tf.mul(xhat, tf.reshape(gamma, [1, c, 1, 1])), tf.reshape(beta, [1, c, 1, 1]));
  };
}

/** BatchNorm (batch statistics) in tfjs ops: moments over (N, H, W), per-channel affine (tf.batchNorm's
 * gradient assumes channels last, so the arithmetic is spelled out as for GroupNorm). */
function tfBatchNorm([, c]: Shape) {
  return (x: TF.Tensor, gamma: TF.Tensor, beta: TF.Tensor): TF.Tensor => {
    const { mean, variance } = tf.moments(x, [0, 2, 3], true);
    const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPS)));
    return tf.add(tf.mul(xhat, tf.reshape(gamma, [1, c, 1, 1])), tf.reshape(beta, [1, c, 1, 1]));
  };
}

function tfPeer(backend: 'wasm' | 'cpu', shape: Shape, fn: (x: TF.Tensor, g: TF.Tensor, b: TF.Tensor) => TF.Tensor): Peer {
  let inputs: TF.Tensor[] = [];
  let dy: TF.Tensor;
  const grads = tf.grads(fn);
  return {
    setup: async () => {
      await useTfBackend(backend);
      tf.dispose(inputs);
      inputs = [tf.randomNormal(shape), tf.randomNormal([shape[1]]), tf.randomNormal([shape[1]])];
      dy = tf.randomNormal(shape);
    },
    run: () => tf.dispose(grads(inputs, dy)),
  };
}

/** x, weight and bias leaves that require grad, and an output gradient. */
function leaves(shape: Shape) {
  manualSeed(0);
  return {
    x: new Variable(randn(shape), true),
    weight: new Variable(randn([shape[1]]), true),
    bias: new Variable(randn([shape[1]]), true),
    dy: randn(shape),
  };
}

function clearGrads(...vs: Variable[]): void {
  for (const v of vs) v.grad = null;
}

function groupNormCase(shape: Shape): BenchCase {
  let l: ReturnType<typeof leaves>;
  const setup = () => void (l = leaves(shape));
  const composite: Peer = {
    setup,
    run: () => {
      normalizeComposite(l.x, groupNormLayout(shape, G), l.weight, l.bias, EPS).out.backward(l.dy);
      clearGrads(l.x, l.weight, l.bias);
    },
  };
  return {
    name: `GroupNorm(${G}) fwd+bwd [${shape}]`,
    setup,
    run: () => {
      F.groupNorm(l.x, G, l.weight, l.bias, EPS).backward(l.dy);
      clearGrads(l.x, l.weight, l.bias);
    },
    workload: shape[0] === 2 ? 'groupNorm' : undefined,
    peers: {
      composite,
      'tfjs-wasm': tfPeer('wasm', shape, tfGroupNorm(shape)),
      'tfjs-cpu': tfPeer('cpu', shape, tfGroupNorm(shape)),
      ...(shape[0] === 2 ? { 'jax-js': jaxPeer('groupNorm') } : {}),
    },
  };
}

function batchNormCase(shape: Shape): BenchCase {
  let l: ReturnType<typeof leaves>;
  let bn: BatchNorm2d;
  const setup = () => {
    l = leaves(shape);
    bn = new BatchNorm2d(shape[1]);
  };
  const composite: Peer = {
    setup,
    run: () => {
      normalizeComposite(l.x, batchNormLayout(shape), bn.weight, bn.bias, EPS).out.backward(l.dy);
      clearGrads(l.x, bn.weight!, bn.bias!);
    },
  };
  return {
    name: `BatchNorm2d train fwd+bwd [${shape}]`,
    setup,
    run: () => {
      (bn.call(l.x) as Variable).backward(l.dy as Tensor);
      clearGrads(l.x, bn.weight!, bn.bias!);
    },
    peers: {
      composite,
      'tfjs-wasm': tfPeer('wasm', shape, tfBatchNorm(shape)),
      'tfjs-cpu': tfPeer('cpu', shape, tfBatchNorm(shape)),
    },
  };
}

const shapes: Shape[] = [
  [2, 64, 14, 14],
  [32, 64, 14, 14],
];

export const cases: BenchCase[] = [...shapes.map(groupNormCase), ...shapes.map(batchNormCase)];
