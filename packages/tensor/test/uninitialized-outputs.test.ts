// Outputs allocated uninitialized (uninitializedTensor: a pooled array keeps its last owner's values) must be
// written in full by their kernel. Each case runs an op once on a clean pool (the reference), then again after
// poisoning the pool with NaN-filled arrays (int32: a sentinel) of the output's size: the output must be one of
// the poisoned arrays (so the case tests the uninitialized path) and have the reference's bits.
import { expect, it } from 'vitest';
import { type DType, type Tensor, type TypedArray, conv2d, manualSeed, matmul, maxPool2d, randn } from '@minigrad/tensor';
import { conv2dBackwardWeight, maxPool2dBackward } from '@minigrad/tensor/internal';
import { describeEachBackend, firstDifference, poisonPool } from '@minigrad/testing';

interface Case {
  name: string;
  run: () => Tensor[];
}

const x = randn([2, 3, 16, 16]);
const w = randn([8, 3, 3, 3]);
const bias = randn([8]);
const pooled = randn([2, 8, 32, 32]);
const { values: pooledValues, indices: pooledIndices } = maxPool2d(pooled, { kernelSize: 2 });
const a = randn([64, 32]);
const b = randn([32, 64]);

const cases: Case[] = [
  { name: 'conv2d (with bias)', run: () => [conv2d(x, w, bias, { padding: 1 })] },
  { name: 'conv2d (no bias, stride 2, two groups)', run: () => [conv2d(randn([2, 4, 64, 32]), randn([8, 2, 3, 3]), null, { stride: [2, 1], padding: 1, groups: 2 })] },
  {
    name: 'conv2dBackwardWeight',
    run: () => [conv2dBackwardWeight(randn([2, 32, 6, 6]), randn([2, 16, 8, 8]), [32, 16, 3, 3])],
  },
  { name: 'maxPool2d values and indices', run: () => { const r = maxPool2d(pooled, { kernelSize: 2 }); return [r.values, r.indices]; } },
  { name: 'maxPool2d with padding and stride 1', run: () => { const r = maxPool2d(randn([1, 4, 32, 32]), { kernelSize: 3, stride: 1, padding: 1 }); return [r.values, r.indices]; } },
  { name: 'maxPool2dBackward', run: () => [maxPool2dBackward(pooledValues, pooledIndices, pooled.shape)] },
  { name: 'relu', run: () => [randn([64, 64]).relu()] },
  { name: 'relu of a transposed (strided) input', run: () => [randn([64, 64]).t().relu()] },
  { name: 'exp, float64', run: () => [randn([64, 32], { dtype: 'float64' }).exp()] },
  { name: 'add with a broadcast row', run: () => [randn([64, 64]).add(randn([64]))] },
  { name: 'mul by a number, strided input', run: () => [randn([64, 64]).t().mul(3)] },
  { name: 'gt (bool result)', run: () => [randn([128, 128]).gt(randn([128, 1]))] },
  { name: 'matmul', run: () => [matmul(a, b)] },
  { name: 'matmul, batched and float64', run: () => [matmul(randn([2, 32, 16], { dtype: 'float64' }), randn([16, 32], { dtype: 'float64' }))] },
  { name: 'matmul of a transposed operand', run: () => [matmul(b.t(), a.t())] },
];

describeEachBackend('outputs on the uninitialized path are written in full', (backend) => {
  for (const c of cases) {
    it(c.name, () => {
      // The same seed gives the reference and the poisoned run the same random inputs.
      manualSeed(7);
      const outs = c.run();
      const reference = outs.map((t) => t.data.slice());
      const keys = new Map<string, { size: number; dtype: DType }>();
      for (const t of outs) keys.set(`${t.dtype}:${t.numel()}`, { size: t.numel(), dtype: t.dtype });
      const poisoned = new Set<TypedArray>();
      for (const { size, dtype } of keys.values()) for (const p of poisonPool(backend, size, dtype, 4)) poisoned.add(p);
      manualSeed(7);
      const again = c.run();
      for (let i = 0; i < again.length; i++) {
        expect(poisoned.has(again[i].data), `output ${i} came from the poisoned pool`).toBe(true);
        expect(firstDifference(again[i].data, reference[i]), `output ${i}: first differing byte`).toBe(-1);
      }
    });
  }
});
