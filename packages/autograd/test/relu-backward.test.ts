// reluBackward's bit-mask kernel against a plain select, bit for bit: both dtypes, special gradient values
// (Inf, NaN, -0) that must vanish where the output is not positive, and operands at a storage offset.
import { tensor as tensorT, type DType } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { reluBackward } from '../src/ops/relu-backward.js';
import { Variable } from '../src/index.js';

describe('reluBackward kernel', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(`masks the gradient exactly (${dtype}, at a storage offset)`, () => {
      const g = [1.5, -2, Infinity, -Infinity, NaN, -0, 3, -4, 5, NaN, 0.25, -0.5];
      const y = [0, 1, 0, 2, 0, 3, NaN, 0, 4e-30, 7, -0, 1];
      // Element 0 of each storage is padding, so the operands start at offset 1.
      const gStore = tensorT([9, ...g], { dtype });
      const yStore = tensorT([9, ...y], { dtype });
      const gv = gStore.narrow(0, 1, g.length).reshape([3, 4]);
      const yv = yStore.narrow(0, 1, y.length).reshape([3, 4]);
      expect(gv.offset).toBe(1);
      const out = Array.from(reluBackward(new Variable(gv), yv).data.toTypedArray());
      const want = Array.from(gv.toTypedArray()).map((v, i) => ((yv.toTypedArray()[i] as number) > 0 ? v : 0));
      expect(out.length).toBe(want.length);
      out.forEach((v, i) => expect(Object.is(v, want[i])).toBe(true));
    });
  }
});
