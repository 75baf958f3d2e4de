// @minigrad/autograd: per-op overhead of the tape (10,000 chained adds of [2,2] tensors, then backward,
// beside TensorFlow.js's tf.grads over the same chain) and a small-MLP training step.
import { noGrad, randn, tensor, type Variable } from '@minigrad/autograd';
import { manualSeed } from '@minigrad/tensor';
import type { BenchCase, Peer } from '../harness.js';
import { type TF, type TfBackend, useTfBackend } from '../peers/tfjs.js';

export const title =
  '@minigrad/autograd: tape overhead and a training step';

const CHAIN = 10_000;

// This suite may run first in a fresh process: a few untimed runs in setup let V8 compile the whole
// forward/backward path, so the harness's warm-up estimate is not taken from cold runs.
const WARMUP_RUNS = 10;

/** tf.grads of sum(a + b + ... + b) with respect to a and b (tfjs records the chain on its tape too). */
function tfChainedAdds(backend: TfBackend): Peer {
  let run: () => void;
  return {
    setup: async () => {
      const tf = await useTfBackend(backend);
      const grads = tf.grads((a: TF.Tensor, b: TF.Tensor) => {
        let x = a;
        for (let i = 0; i < CHAIN; i++) x = tf.add(x, b);
        return tf.sum(x);
      });
      const a = tf.randomNormal([2, 2]);
      const b = tf.randomNormal([2, 2]);
      run = () => tf.dispose(grads([a, b]));
    },
    run: () => run(),
    // minigrad's case warms up in setup; tfjs's backward over 10k tensors needs a few runs too
    options: { minWarmup: 3 },
  };
}

function chainedAdds(): BenchCase {
  let a: Variable, b: Variable;
  const run = (): void => {
    let x = a;
    for (let i = 0; i < CHAIN; i++) x = x.add(b);
    x.sum().backward();
    a.grad = null;
    b.grad = null;
  };
  return {
    name: `${CHAIN} chained adds [2,2] + backward`,
    setup: () => {
      manualSeed(0);
      a = randn([2, 2], { requiresGrad: true });
      b = randn([2, 2], { requiresGrad: true });
      for (let i = 0; i < WARMUP_RUNS; i++) run();
    },
    run,
    workload: 'chainedAdds',
    peers: { 'tfjs-cpu': tfChainedAdds('cpu'), 'tfjs-wasm': tfChainedAdds('wasm') },
  };
}

/** One SGD step of a 784-128-10 MLP (ReLU, log-softmax + NLL) on a batch of 32. */
function mlpStep(): BenchCase {
  const [B, D, H, C] = [32, 784, 128, 10];
  const lr = 0.01;
  let x: Variable, target: Variable, params: Variable[];
  const run = (): void => {
    const [w1, b1, w2, b2] = params;
    const loss = x.matmul(w1).add(b1).relu().matmul(w2).add(b2).logSoftmax(1).gather(1, target).mean().neg();
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.data.subInPlace(p.grad!.data, lr);
        p.grad = null;
      }
    });
  };
  return {
    name: `MLP ${D}-${H}-${C} SGD step, batch ${B}`,
    setup: () => {
      manualSeed(0);
      x = randn([B, D]);
      target = tensor(Array.from({ length: B }, (_, i) => [i % C]), { dtype: 'int32' });
      params = [
        randn([D, H]).mul(0.05).requiresGrad_(),
        randn([H]).mul(0).requiresGrad_(),
        randn([H, C]).mul(0.05).requiresGrad_(),
        randn([C]).mul(0).requiresGrad_(),
      ];
      for (let i = 0; i < WARMUP_RUNS; i++) run();
    },
    run,
    // forward 2*B*(D*H + H*C) multiply-adds, backward twice that
    flops: 6 * B * (D * H + H * C),
  };
}

export const cases: BenchCase[] = [chainedAdds(), mlpStep()];
