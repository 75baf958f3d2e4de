import { describe, expect, it } from 'vitest';
import { useTfBackend } from '../src/peers/tfjs.js';
import { runTorch } from '../src/peers/torch.js';

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
    const missing = runTorch(['sgemm512'], '/nonexistent/python3');
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining('/nonexistent/python3 -c "import torch": spawnSync /nonexistent/python3 ENOENT') });
    const noTorch = runTorch(['sgemm512'], process.execPath); // node cannot run '-c import torch'
    expect(noTorch.ok).toBe(false);
  });
});
