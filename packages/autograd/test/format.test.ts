// Variables print as PyTorch prints tensors in autograd (fixtures from tools/fixtures/printing.py), from
// toString(), String() and console.log (util.inspect).
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { type DType, tensor as plainTensor } from '@minigrad/tensor';
import { Variable, tensor } from '@minigrad/autograd';
import { type EncodedTensor, loadFixtures, values } from '@minigrad/testing';

interface Case {
  name: string;
  inputs: EncodedTensor[];
  requiresGrad: boolean;
  text: string;
}

/** The expression each fixture case printed, by its name; leaves print the input itself. */
const EXPRESSIONS: Record<string, (v: Variable) => Variable> = {
  mul: (v) => v.mul(2), add: (v) => v.add(1), sub: (v) => v.sub(1), div: (v) => v.div(2), neg: (v) => v.neg(),
  exp: (v) => v.exp(), tanh: (v) => v.tanh(), sigmoid: (v) => v.sigmoid(), relu: (v) => v.relu(), pow: (v) => v.pow(2),
  sum: (v) => v.sum(), mean: (v) => v.mean(), softmax: (v) => v.softmax(1), logSoftmax: (v) => v.logSoftmax(1),
  transpose: (v) => v.transpose(0, 1), unsqueeze: (v) => v.unsqueeze(0), 'mul float64': (v) => v.mul(2),
};

const { cases } = loadFixtures<Case>(new URL('./fixtures/print.json', import.meta.url));

describe('a Variable prints like PyTorch', () => {
  for (const c of cases) {
    test(c.name, () => {
      const e = c.inputs[0];
      const x = new Variable(plainTensor(values(e), { dtype: e.dtype as DType, shape: e.shape }), c.requiresGrad);
      const out = c.name.startsWith('leaf') || c.name === 'no grad' ? x : EXPRESSIONS[c.name](x);
      expect(out.toString()).toBe(c.text);
      expect(String(out)).toBe(c.text);
      expect(inspect(out)).toBe(c.text);
    });
  }

  test('every expression has its fixture', () => {
    expect(Object.keys(EXPRESSIONS).filter((name) => !cases.some((c) => c.name === name))).toEqual([]);
  });

  test('console.log of an object holding Variables prints them, not their internals', () => {
    const text = inspect({ w: tensor([1, 2], { requiresGrad: true }) });
    expect(text).toBe('{ w: tensor([1., 2.], requires_grad=True) }');
    expect(text).not.toMatch(/gradBuf|hooks/);
  });
});

describe('grad_fn names', () => {
  test("PyTorch's pattern over minigrad's op names: max.dim gives MaxBackward0 as in PyTorch", () => {
    const x = tensor([[1, 3], [2, 0]], { requiresGrad: true });
    expect(String(x.max(1).values)).toBe('tensor([3., 2.], grad_fn=<MaxBackward0>)');
  });
});
