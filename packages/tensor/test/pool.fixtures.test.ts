// Replays tools/fixtures/tensor_nets.py: max/avg/adaptive-avg pooling values, argmax indices and input
// gradients from torch.autograd (float64), on contiguous and strided inputs, and in float32.
import { expect, test } from 'vitest';
import { type Tensor, adaptiveAvgPool2d, avgPool2d, maxPool2d } from '@minigrad/tensor';
import { adaptiveAvgPool2dBackward, avgPool2dBackward, maxPool2dBackward } from '@minigrad/tensor/internal';
import { type EncodedTensor, loadFixtures, values, describeEachBackend } from '@minigrad/testing';
import { type Layout, LAYOUTS, checkFixture, decode } from './fixture-layouts.js';

interface PoolCase {
  op: 'maxPool2d' | 'avgPool2d' | 'adaptiveAvgPool2d';
  x: EncodedTensor;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options straight from JSON
  opts: any;
  outputSize: number | [number | null, number | null];
  out: EncodedTensor;
  indices?: EncodedTensor;
  gradOut: EncodedTensor;
  gradX: EncodedTensor;
}

const TOL = { float32: { atol: 1e-5, rtol: 1e-5 }, float64: { atol: 1e-12, rtol: 1e-11 } };

function check(got: Tensor, e: EncodedTensor, layout: Layout, label: string): void {
  checkFixture(got, e, layout, TOL, label);
}

const { cases } = loadFixtures<PoolCase>(new URL('./fixtures/nets_pool.json', import.meta.url));

describeEachBackend('PyTorch fixtures: pooling', () => {
  for (const op of ['maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d'] as const) {
    const opCases = cases.filter((c) => c.op === op);
    for (const layout of LAYOUTS) {
      test(`${op}: forward and input gradient of ${opCases.length} configurations (${layout})`, () => {
        expect(opCases.length).toBeGreaterThan(4);
        for (const [i, c] of opCases.entries()) {
          const label = `${op}[${i}] x${JSON.stringify(c.x.shape)} ${JSON.stringify(c.opts ?? c.outputSize)}`;
          const x = decode(c.x, layout);
          const g = decode(c.gradOut, layout);
          if (op === 'maxPool2d') {
            const { values: v, indices } = maxPool2d(x, c.opts);
            check(v, c.out, layout, `${label} values`);
            expect(indices.dtype).toBe('int32');
            expect(Array.from(indices.toTypedArray()), `${label} indices`).toEqual(values(c.indices!));
            check(maxPool2dBackward(g, indices, c.x.shape), c.gradX, layout, `${label} gradX`);
          } else if (op === 'avgPool2d') {
            check(avgPool2d(x, c.opts), c.out, layout, `${label} forward`);
            check(avgPool2dBackward(g, c.x.shape, c.opts), c.gradX, layout, `${label} gradX`);
          } else {
            check(adaptiveAvgPool2d(x, c.outputSize), c.out, layout, `${label} forward`);
            check(adaptiveAvgPool2dBackward(g, c.x.shape), c.gradX, layout, `${label} gradX`);
          }
        }
      });
    }
  }
});
