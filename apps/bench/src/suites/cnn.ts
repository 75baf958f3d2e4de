// The training step of the speed issue: conv 1->32, GroupNorm, ReLU, maxpool, conv 32->64, GroupNorm, ReLU,
// maxpool, linear 3136->128, ReLU, linear 128->10, cross-entropy, SGD — built with @minigrad/nn and
// @minigrad/optim as a user would, beside the same network in TensorFlow.js ops trained by its SGD optimizer
// (tf.variableGrads under optimizer.minimize) and in jax-js ops (peers/jaxjs.ts: NCHW, `jit` of valueAndGrad
// and the SGD update, the whole step is one jitted function). tfjs is channels-last (its CPU conv is NHWC
// only); the arithmetic is the same.
import { setThreads } from '@minigrad/tensor/node';
import { CLASSES, GROUPS as G, LR, makeCnnStep } from '../cnn-step.js';
import type { BenchCase, Peer } from '../harness.js';
import { jaxPeer } from '../peers/jaxjs.js';
import { type TF, type TfBackend, useTfBackend } from '../peers/tfjs.js';

export const title = 'CNN+GroupNorm training step on 28x28 images (float32)';

function minigradStep(batch: number, opts: { tidy?: boolean; compiled?: boolean; convAlgorithm?: 'winograd' } = {}) {
  let step: () => void;
  const setup = (): void => {
    step = makeCnnStep(batch, opts).step;
  };
  return { setup, run: () => step() };
}

/** minigrad's variants of the step (rounds.ts VARIANTS), timed beside it in the interleaved phase. */
function variants(batch: number): BenchCase['variants'] {
  return {
    'minigrad tidy': minigradStep(batch, { tidy: true }),
    'minigrad tidy winograd': minigradStep(batch, { tidy: true, convAlgorithm: 'winograd' }),
    'minigrad compiled': minigradStep(batch, { compiled: true }),
    'minigrad compiled winograd': minigradStep(batch, { compiled: true, convAlgorithm: 'winograd' }),
  };
}

/** GroupNorm on channels-last [N,H,W,C]: moments over (H, W, C/G) of each group, per-channel affine. */
function tfGroupNorm(tf: typeof TF, x: TF.Tensor4D, gamma: TF.Tensor, beta: TF.Tensor): TF.Tensor4D {
  const [n, h, w, c] = x.shape;
  const grouped = tf.reshape(x, [n, h, w, G, c / G]);
  const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
  const xhat = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-5))), [n, h, w, c]);
  return tf.add(tf.mul(xhat, gamma), beta);
}

function tfStep(backend: TfBackend, batch: number): Peer {
  const coldSample = backend === 'cpu' && batch === 32;
  let step: () => void;
  return {
    setup: async () => {
      const tf = await useTfBackend(backend);
      tf.disposeVariables();
      const he = (shape: number[], fanIn: number) => tf.variable(tf.mul(tf.randomNormal(shape), Math.sqrt(2 / fanIn)));
      const zeros = (n: number) => tf.variable(tf.zeros([n]));
      const ones = (n: number) => tf.variable(tf.ones([n]));
      const p = {
        w1: he([3, 3, 1, 32], 9), b1: zeros(32), g1: ones(32), be1: zeros(32),
        w2: he([3, 3, 32, 64], 288), b2: zeros(64), g2: ones(64), be2: zeros(64),
        w3: he([3136, 128], 3136), b3: zeros(128), w4: he([128, CLASSES], 128), b4: zeros(CLASSES),
      };
      const x = tf.randomNormal([batch, 28, 28, 1]) as TF.Tensor4D;
      const labels = tf.oneHot(tf.randomUniform([batch], 0, CLASSES, 'int32') as TF.Tensor1D, CLASSES);
      const optimizer = tf.train.sgd(LR);
      const block = (h: TF.Tensor4D, w: TF.Variable, b: TF.Variable, g: TF.Variable, be: TF.Variable) =>
        tf.maxPool(tf.relu(tfGroupNorm(tf, tf.add(tf.conv2d(h, w as TF.Tensor4D, 1, 'same'), b), g, be)), 2, 2, 'valid');
      const loss = (): TF.Scalar => {
        const h = block(block(x, p.w1, p.b1, p.g1, p.be1), p.w2, p.b2, p.g2, p.be2);
        const hidden = tf.relu(tf.add(tf.matMul(tf.reshape(h, [batch, 3136]), p.w3), p.b3));
        return tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(hidden, p.w4), p.b4));
      };
      step = () => tf.tidy(() => void optimizer.minimize(loss));
      // A step here is the warm-up, and throws if the backend lacks a kernel of the step (tfjs-wasm has no
      // conv backward), except for tfjs-cpu at batch 32 (below).
      if (!coldSample) step();
    },
    run: () => step(),
    // The pure-JS backend takes seconds per step: after the warm-up step, three one-step samples at batch 2.
    // At batch 32 a step takes 15-45 s: one cold step is the sample (V8's compilation, milliseconds, is lost in it).
    options: backend === 'cpu' ? { minWarmup: 0, budgetMs: 0, minSamples: coldSample ? 1 : 3 } : undefined,
  };
}

function trainStep(batch: number): BenchCase {
  return {
    name: `train step, batch ${batch}`,
    ...minigradStep(batch),
    workload: batch === 2 ? 'cnnBatch2' : 'cnnBatch32',
    variants: variants(batch),
    peers: {
      // The same minigrad step inside tidy(), as tfjs's step below runs inside tf.tidy.
      'minigrad-tidy': minigradStep(batch, { tidy: true }),
      // And with its 32 -> 64 conv by Winograd (setConvAlgorithm('winograd'); the 1 -> 32 conv has too few channels).
      'minigrad-tidy-winograd': minigradStep(batch, { tidy: true, convAlgorithm: 'winograd' }),
      // The step captured by compile() (kernel calls replayed), with either conv algorithm.
      'minigrad-compiled': minigradStep(batch, { compiled: true }),
      'minigrad-compiled-winograd': minigradStep(batch, { compiled: true, convAlgorithm: 'winograd' }),
      'tfjs-cpu': tfStep('cpu', batch),
      'tfjs-wasm': tfStep('wasm', batch),
      // jax-js: ~0.15 s per step at batch 2 and ~2 s at batch 32 (issue 14), hence few samples
      'jax-js': jaxPeer(batch === 2 ? 'cnnBatch2' : 'cnnBatch32', { minWarmup: 1, minSamples: batch >= 32 ? 3 : 5 }),
    },
  };
}

/**
 * The step with the tensor kernels on two worker threads (large gemm/conv work is split; small work stays on
 * the calling thread), beside the same step on one (the peer runs last and leaves one thread set).
 */
function trainStepTwoThreads(batch: number): BenchCase {
  const { setup, run } = minigradStep(batch);
  return {
    name: `train step, batch ${batch}, 2 threads`,
    setup: async () => {
      setup();
      await setThreads(2);
    },
    run,
    workload: batch === 2 ? 'cnnBatch2TwoThreads' : 'cnnBatch32TwoThreads',
    variants: variants(batch),
    // The 1-thread peer runs last and leaves one thread set. jax-js and PyTorch on two threads: in child
    // processes after the suites (peers/jaxjs-threads.ts, peers/torch.ts), shown in the summary.
    peers: { 'minigrad-1-thread': { setup: () => setThreads(1), run } },
  };
}

export const cases: BenchCase[] = [trainStep(2), trainStep(32), trainStepTwoThreads(2), trainStepTwoThreads(32)];
