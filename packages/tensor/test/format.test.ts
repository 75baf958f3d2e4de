// toString() against PyTorch's print (fixtures from tools/fixtures/tensor.py).
import { describe, expect, test } from 'vitest';
import { type DType, tensor } from '@minigrad/tensor';
import { type EncodedTensor, loadFixtures, values } from '@minigrad/testing';

interface Case {
  inputs: EncodedTensor[];
  text: string;
}

const { cases } = loadFixtures<Case>(new URL('./fixtures/format.json', import.meta.url));

describe('toString prints like PyTorch', () => {
  for (const c of cases) {
    const e = c.inputs[0];
    test(`${e.dtype}[${e.shape}]`, () => {
      const t = tensor(values(e), { dtype: e.dtype as DType, shape: e.shape });
      expect(t.toString()).toBe(c.text.replace(/torch\./g, ''));
    });
  }
});
