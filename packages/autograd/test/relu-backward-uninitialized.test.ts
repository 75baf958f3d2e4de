// reluBackward allocates its result uninitialized (the kernel writes all n elements): with the backend's pool
// poisoned by NaN-filled arrays of its size, relu's gradient must take one and keep the bits of a clean run.
import { type TypedArray, manualSeed, randn } from '@minigrad/tensor';
import { expect, it } from 'vitest';
import { Variable, grad } from '../src/index.js';
import { describeEachBackend, poisonPool } from '@minigrad/testing';

function gradOfRelu(): TypedArray {
  manualSeed(5);
  const x = new Variable(randn([64, 64]), true);
  const [g] = grad([x.relu()], [x], { gradOutputs: [new Variable(randn([64, 64]))] });
  return g!.data.data;
}

describeEachBackend('relu gradient from a poisoned pool', (backend) => {
  it('is written in full', () => {
    const reference = gradOfRelu().slice();
    const poisoned = poisonPool(backend, 64 * 64, 'float32', 8);
    const again = gradOfRelu();
    expect(poisoned.has(again)).toBe(true);
    expect(Array.from(again).every((v, i) => Object.is(v, reference[i]))).toBe(true);
  });
});
