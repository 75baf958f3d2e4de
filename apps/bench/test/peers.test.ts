import { describe, expect, it } from 'vitest';
import { useTfBackend } from '../src/peers/tfjs.js';
import { JAX_WORKLOADS, forceSync, jaxRandom, loadJax, matmul } from '../src/peers/jaxjs.js';
import { runJaxThreads } from '../src/peers/jaxjs-threads.js';
import { byThreads, describeTorch, runTorch, torchEnv } from '../src/peers/torch.js';
import { startTorchServer } from '../src/peers/torch-serve.js';

describe('TensorFlow.js peer loader', () => {
  it('loads tfjs-cpu from disk with gradients registered', async () => {
    const tf = await useTfBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const x = tf.tensor1d([1, 2, 3]);
    // d/dx sum(x * x) = 2x: needs the gradient functions the CommonJS bundle lacks
    const dx = tf.grad((v: typeof x) => tf.sum(tf.mul(v, v)))(x);
    expect(Array.from(dx.dataSync())).toEqual([2, 4, 6]);
  }, 30_000);
});

describe('PyTorch peer', () => {
  it('says why it is skipped when python cannot import torch', () => {
    const missing = runTorch(['sgemm512'], { python: '/nonexistent/python3' });
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining('/nonexistent/python3 -c "import torch": spawnSync /nonexistent/python3 ENOENT') });
    const noTorch = runTorch(['sgemm512'], { python: process.execPath }); // node cannot run '-c import torch'
    expect(noTorch.ok).toBe(false);
    expect(describeTorch(missing)).toMatch(/^PyTorch skipped: /);
    // the interleaved phase's long-lived child is not started either, with the same reason
    expect(startTorchServer(2, { python: '/nonexistent/python3' })).toEqual(missing);
  });

  it("gives the child OPENBLAS_NUM_THREADS of the row, without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, and leaves the parent's environment alone", () => {
    const base = { PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', OPENBLAS_NUM_THREADS: '8', LD_LIBRARY_PATH: '/x' };
    const env = torchEnv(2, base, '/'); // '/' exists: stands for Debian's OpenBLAS directory
    expect(env).toEqual({ PATH: '/bin', OPENBLAS_NUM_THREADS: '2', LD_LIBRARY_PATH: '/:/x' });
    expect(base.OPENBLAS_CORETYPE).toBe('Haswell');
    expect(torchEnv(1, { PATH: '/bin' }, '/nonexistent/openblas')).toEqual({ PATH: '/bin', OPENBLAS_NUM_THREADS: '1' });
  });

  it('runs one child per thread count of the rows', () => {
    expect([...byThreads(['sgemm512TwoThreads', 'cnnBatch2', 'cnnBatch2TwoThreads', 'groupNorm'])]).toEqual([
      [1, ['cnnBatch2', 'groupNorm']],
      [2, ['sgemm512TwoThreads', 'cnnBatch2TwoThreads']],
    ]);
  });

  it('prints the BLAS and OpenBLAS core of each run, and flags a BLAS that is not OpenBLAS', () => {
    const text = describeTorch({
      ok: true, version: '1.13', medianMs: {},
      runs: [
        {
          threads: 1, blas: 'generic', blasLibs: ['/o/libblas.so.3', '/o/libopenblasp-r0.3.21.so'], env: { OPENBLAS_NUM_THREADS: '1' },
          openblas: { config: 'OpenBLAS 0.3.21 DYNAMIC_ARCH', corename: 'Cooperlake', threads: 1, library: '/o/libopenblasp-r0.3.21.so' },
        },
        { threads: 2, blas: 'generic', blasLibs: ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'], env: {}, openblas: null },
      ],
    }).split('\n');
    expect(text[1]).toMatch(/^  1 thread\(s\): BLAS_INFO=generic, libblas = OpenBLAS, core Cooperlake, 1 thread\(s\) .*; OPENBLAS_NUM_THREADS=1$/);
    expect(text[2]).toMatch(/not OpenBLAS: \/usr\/lib\/x86_64-linux-gnu\/blas\/libblas\.so\.3 \(torch\.mm may be on the reference BLAS\)/);
  });
});

describe('jax-js peer loader', () => {
  it('loads jax-js on its wasm device, and jit of a gradient runs', async () => {
    const jax = await loadJax();
    expect(jax.defaultDevice()).toBe('wasm');
    const np = jax.numpy;
    // d/dx sum(x * x) = 2x
    const dx = jax.jit(jax.grad((v: InstanceType<typeof jax.Array>) => np.sum(v.ref.mul(v))))(np.array([1, 2, 3]));
    expect(Array.from(dx.dataSync())).toEqual([2, 4, 6]);
    expect(jaxRandom([2, 3]).shape).toEqual([2, 3]);
    forceSync(matmul(8)); // a jitted product, forced on this thread
    expect(Object.keys(JAX_WORKLOADS)).toEqual(expect.arrayContaining(['sgemm512', 'cnnBatch2', 'cnnBatch32', 'groupNorm', 'sgemm512TwoThreads']));
  }, 30_000);

  it('runs no child for one-thread rows', () => {
    expect(runJaxThreads(['sgemm512', 'groupNorm'], 10)).toEqual({ ok: true, medianMs: {} });
  });
});
