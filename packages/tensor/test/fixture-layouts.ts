// The three layouts the PyTorch fixture replays (conv.fixtures.test.ts, pool.fixtures.test.ts) run each case in:
// float64 contiguous, float64 strided (non-contiguous views), and float32.
import { expect } from 'vitest';
import { type Tensor, tensor, zeros } from '@minigrad/tensor';
import { type EncodedTensor, assertClose, values } from '@minigrad/testing';

export type Layout = 'contiguous' | 'strided' | 'float32';
export const LAYOUTS: readonly Layout[] = ['contiguous', 'strided', 'float32'];

/** A fixture tensor in the given layout. */
export function decode(e: EncodedTensor, layout: Layout): Tensor {
  const t = tensor(values(e), { dtype: layout === 'float32' ? 'float32' : 'float64', shape: e.shape });
  if (layout !== 'strided') return t;
  // Same values, non-contiguous: stored with the last two dims swapped and every element 2 apart.
  const n = t.ndim;
  if (n < 2) return zeros([...t.shape, 2], { dtype: 'float64' }).select(-1, 0).copyFrom(t);
  const holder = zeros([...t.shape.slice(0, -2), t.shape[n - 1], t.shape[n - 2], 2], { dtype: 'float64' })
    .select(-1, 0).transpose(-1, -2);
  holder.copyFrom(t);
  if (t.numel() > 1) expect(holder.isContiguous()).toBe(false);
  return holder;
}

export interface Tolerance { atol: number; rtol: number }

/** got has the fixture's shape and values, within the float32 or the float64 tolerance by layout. */
export function checkFixture(
  got: Tensor, e: EncodedTensor, layout: Layout, tol: { float32: Tolerance; float64: Tolerance }, label: string,
): void {
  expect(got.shape, label).toEqual(e.shape);
  assertClose(got.toTypedArray(), values(e), { ...(layout === 'float32' ? tol.float32 : tol.float64), label });
}
