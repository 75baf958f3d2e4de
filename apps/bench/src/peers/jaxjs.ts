// jax-js (@jax-js/jax 0.1.25, a devDependency of this package only) as a peer: its 'wasm' device, with `jit`
// of the whole computation (the training step: forward, valueAndGrad and the SGD update in one jitted
// function). The workloads are written here once; the suites time them on one thread in this process, and
// jaxjs-threads.ts times the 2-thread rows in a child process (below).
//
// jax-js arrays are reference-counted (every call consumes its array arguments; `.ref` keeps one) and lazy:
// a jitted call only records its kernels, and reading an output submits every kernel of the call (its outputs
// share one pending list). On one thread a run ends with `dataSync()` of one output, which runs the kernels
// synchronously on this thread and copies that output out of wasm memory (for sgemm 512 the 1 MB product:
// ~1% of its time; for the step, the scalar loss).
//
// Threads: jax-js's wasm device spreads a kernel over Web Workers (a pool of navigator.hardwareConcurrency
// workers on a shared WebAssembly.Memory, created when jax-js is imported) on its asynchronous path
// (`await array.data()`) only, and only when `Worker` and SharedArrayBuffer are globals. Node 20 has no
// global Worker nor navigator, so the 2-thread rows run in a child process (jaxjs-threads.ts) that installs
// a Web Worker shim over node:worker_threads and navigator.hardwareConcurrency = 2 before importing jax-js
// (not here: tfjs, in this process, reads `navigator` too).
import * as jax from '@jax-js/jax';
import type { MeasureOptions, Peer } from '../harness.js';
import type { WorkloadId } from '../workloads.js';

export type Jax = typeof jax;
export type JaxArray = jax.Array;

let ready: Promise<Jax> | undefined;

/** jax-js with its wasm device initialized and made the default (once). */
export function loadJax(): Promise<Jax> {
  ready ??= (async () => {
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`jax-js: no wasm device (got ${devices.join(', ')})`);
    jax.defaultDevice('wasm');
    return jax;
  })();
  return ready;
}

/** A float32 jax-js array of the given shape, uniform in [-scale, scale) from a fixed LCG seed (no jax RNG). */
export function jaxRandom(shape: number[], scale = 1, seed = 1): JaxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return jax.numpy.array(data).reshape(shape);
}

/** One run of a workload: records a jitted call and returns its outputs; the first one is read to force the
 * call, the others are disposed. */
export type JaxCall = () => JaxArray[];

/** The rows jax-js runs, on one thread and (the same workload) on two. */
export const JAX_WORKLOADS: Partial<Record<WorkloadId, () => JaxCall>> = {
  sgemm512: () => matmul(512),
  sgemm512TwoThreads: () => matmul(512),
  cnnBatch2: () => trainStep(2),
  cnnBatch32: () => trainStep(32),
  cnnBatch2TwoThreads: () => trainStep(2),
  cnnBatch32TwoThreads: () => trainStep(32),
  groupNorm: () => groupNormGrads([2, 64, 14, 14], 32),
};

/** Runs the call and reads its first output synchronously (one thread: no workers on this path). */
export function forceSync(call: JaxCall): void {
  const [first, ...rest] = call();
  const value = first.dataSync()[0];
  for (const a of rest) a.dispose();
  if (!Number.isFinite(value)) throw new Error(`jax-js: non-finite output ${value}`);
}

/** Runs the call and waits for its first output on jax-js's asynchronous path (its workers, when it has any). */
export async function forceAsync(call: JaxCall): Promise<void> {
  const [first, ...rest] = call();
  const value = (await first.data())[0];
  for (const a of rest) a.dispose();
  if (!Number.isFinite(value)) throw new Error(`jax-js: non-finite output ${value}`);
}

/** jit of np.matmul of two random n x n matrices. */
export function matmul(n: number): JaxCall {
  const [a, b] = [jaxRandom([n, n], 1, 1), jaxRandom([n, n], 1, 2)];
  const mm = jax.jit((x: JaxArray, y: JaxArray) => jax.numpy.matmul(x, y));
  return () => [mm(a.ref, b.ref)];
}

/** GroupNorm over [N, G, C/G*H*W] with a per-channel affine, in jax-js ops (NCHW). */
function groupNorm(x: JaxArray, gamma: JaxArray, beta: JaxArray, groups: number, eps: number): JaxArray {
  const np = jax.numpy;
  const [n, c, h, w] = x.shape;
  const grouped = x.reshape([n, groups, -1]);
  const centered = grouped.ref.sub(np.mean(grouped, 2, { keepdims: true }));
  const variance = np.mean(np.square(centered.ref), 2, { keepdims: true });
  const xhat = centered.mul(np.reciprocal(np.sqrt(variance.add(eps)))).reshape([n, c, h, w]);
  return xhat.mul(gamma.reshape([1, c, 1, 1])).add(beta.reshape([1, c, 1, 1]));
}

/** GroupNorm forward + backward: jit of the gradient of sum(groupNorm(x, w, b) * dy) with respect to x, w
 * and b (the vjp with output gradient dy). */
export function groupNormGrads(shape: [number, number, number, number], groups: number, eps = 1e-5): JaxCall {
  const np = jax.numpy;
  const c = shape[1];
  const grads = jax.jit(
    jax.grad((x: JaxArray, g: JaxArray, b: JaxArray, dy: JaxArray) => np.sum(groupNorm(x, g, b, groups, eps).mul(dy)), {
      argnums: [0, 1, 2],
    }),
  );
  const [x, gamma, beta, dy] = [jaxRandom(shape, 1, 1), jaxRandom([c], 1, 2), jaxRandom([c], 1, 3), jaxRandom(shape, 1, 4)];
  return () => grads(x.ref, gamma.ref, beta.ref, dy.ref) as JaxArray[];
}

type Params = Record<'w1' | 'b1' | 'g1' | 'be1' | 'w2' | 'b2' | 'g2' | 'be2' | 'w3' | 'b3' | 'w4' | 'b4', JaxArray>;

/** The bench's CNN+GN training step (apps/bench/src/suites/cnn.ts) in jax-js: NCHW like minigrad, conv 1->32
 * 3x3 'SAME' + bias, GroupNorm(8), ReLU, maxpool 2 (a max over the 2x2 windows of a reshape), conv 32->64,
 * GroupNorm(8), ReLU, maxpool 2, linear 3136->128, ReLU, linear 128->10, mean cross-entropy (log-softmax
 * against one-hot labels), SGD lr 0.01. `jit` of the whole step (forward, valueAndGrad, the update); each
 * call returns the loss and keeps the new parameters. */
export function trainStep(batch: number, groups = 8, lr = 0.01, classes = 10): JaxCall {
  const { numpy: np, nn, lax, tree } = jax;
  const zeros = (n: number) => np.zeros([n]);
  const ones = (n: number) => np.ones([n]);
  const uniform = (shape: number[], fanIn: number, seed: number) => jaxRandom(shape, Math.sqrt(6 / fanIn), seed);
  let params: Params = {
    w1: uniform([32, 1, 3, 3], 9, 1), b1: zeros(32), g1: ones(32), be1: zeros(32),
    w2: uniform([64, 32, 3, 3], 288, 2), b2: zeros(64), g2: ones(64), be2: zeros(64),
    w3: uniform([3136, 128], 3136, 3), b3: zeros(128), w4: uniform([128, classes], 128, 4), b4: zeros(classes),
  };
  const x = jaxRandom([batch, 1, 28, 28], 1, 5);
  const y = nn.oneHot(np.array(Int32Array.from({ length: batch }, (_, i) => (i * 7) % classes), { dtype: np.int32 }), classes);
  const maxPool2 = (h: JaxArray): JaxArray => {
    const [n, c, hh, ww] = h.shape;
    return np.max(h.reshape([n, c, hh / 2, 2, ww / 2, 2]), [3, 5]);
  };
  const block = (h: JaxArray, w: JaxArray, b: JaxArray, g: JaxArray, be: JaxArray): JaxArray =>
    maxPool2(nn.relu(groupNorm(lax.conv(h, w, [1, 1], 'SAME').add(b.reshape([1, -1, 1, 1])), g, be, groups, 1e-5)));
  const loss = (p: Params, input: JaxArray, onehot: JaxArray): JaxArray => {
    const h = block(block(input, p.w1, p.b1, p.g1, p.be1), p.w2, p.b2, p.g2, p.be2);
    const hidden = nn.relu(np.matmul(h.reshape([batch, 3136]), p.w3).add(p.b3));
    const logits = np.matmul(hidden, p.w4).add(p.b4);
    return np.mean(np.sum(nn.logSoftmax(logits, 1).mul(onehot), 1)).neg();
  };
  const step = jax.jit((p: Params, input: JaxArray, onehot: JaxArray) => {
    const [value, grads] = jax.valueAndGrad(loss)(tree.ref(p), input, onehot);
    const updated = tree.map((w: JaxArray, g: JaxArray) => w.sub(g.mul(lr)), p, grads) as Params;
    return [value, updated] as [JaxArray, Params];
  });
  return () => {
    const [value, updated] = step(params, x.ref, y.ref);
    params = updated;
    return [value];
  };
}

/** The one-thread jax-js peer of a row: setup builds the workload and runs it once (tracing and compiling the
 * jitted function: seconds for the step, and the error if jax-js cannot run it), each run forces one call. */
export function jaxPeer(id: WorkloadId, options?: MeasureOptions): Peer {
  let call: JaxCall;
  return {
    setup: async () => {
      await loadJax();
      const make = JAX_WORKLOADS[id];
      if (!make) throw new Error(`jax-js: no workload for '${id}'`);
      call = make();
      forceSync(call);
    },
    run: () => forceSync(call),
    options,
  };
}
