import { describe, expect, it } from 'vitest';
import { useTfBackend } from '../src/peers/tfjs.js';

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
