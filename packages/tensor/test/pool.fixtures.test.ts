// Replays tools/fixtures/tensor_nets.py: max/avg/adaptive-avg pooling values, argmax indices and input
// gradients from torch.autograd (float64), on contiguous and strided inputs, and in float32.
import { expect, test } from 'vitest';
import {
  type Tensor, adaptiveAvgPool2d, adaptiveAvgPool2dBackward, avgPool2d, avgPool2dBackward, maxPool2d,
  maxPool2dBackward, tensor, zeros,
} from '@minigrad/tensor';
import { describeEachBackend } from './backends.js';
import { type EncodedTensor, assertClose, loadFixtures, values } from '../../../tools/fixtures/fixtures.js';

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

type Layout = 'contiguous' | 'strided' | 'float32';

function decode(e: EncodedTensor, layout: Layout): Tensor {
  const t = tensor(values(e), { dtype: layout === 'float32' ? 'float32' : 'float64', shape: e.shape });
  if (layout !== 'strided') return t;
  const n = t.ndim;
  if (n < 2) return zeros([...t.shape, 2], { dtype: 'float64' }).select(-1, 0).copyFrom(t);
  const holder = zeros([...t.shape.slice(0, -2), t.shape[n - 1], t.shape[n - 2], 2], { dtype: 'float64' })
    .select(-1, 0).transpose(-1, -2);
  return holder.copyFrom(t);
}

function check(got: Tensor, e: EncodedTensor, layout: Layout, label: string): void {
  expect(got.shape, label).toEqual(e.shape);
  const tol = layout === 'float32' ? { atol: 1e-5, rtol: 1e-5 } : { atol: 1e-12, rtol: 1e-11 };
  assertClose(got.toTypedArray(), values(e), { ...tol, label });
}

const { cases } = loadFixtures<PoolCase>(new URL('./fixtures/nets_pool.json', import.meta.url));

describeEachBackend('PyTorch fixtures: pooling', () => {
  for (const op of ['maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d'] as const) {
    const opCases = cases.filter((c) => c.op === op);
    for (const layout of ['contiguous', 'strided', 'float32'] as const) {
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
