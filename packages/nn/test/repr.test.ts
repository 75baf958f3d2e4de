// Python's float repr, which PyTorch's extra_repr uses (eps=1e-05): pyFloat must print the same text.
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '@minigrad/testing';
import { pyFloat } from '../src/repr.js';

const { cases } = loadFixtures<{ value: number | 'inf' | '-inf'; repr: string }>(new URL('./fixtures/float_repr.json', import.meta.url));

describe('pyFloat', () => {
  for (const c of cases) {
    it(c.repr, () => {
      const v = c.value === 'inf' ? Infinity : c.value === '-inf' ? -Infinity : c.value;
      expect(pyFloat(v)).toBe(c.repr);
    });
  }
});
