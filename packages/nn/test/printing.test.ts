// Parameters print as PyTorch prints them (fixtures from tools/fixtures/printing.py); console.log of a module
// prints its tree (util.inspect), not its hook maps and flags.
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { type DType, tensor } from '@minigrad/tensor';
import { Conv2d, Linear, Module, Parameter, ReLU, Sequential } from '@minigrad/nn';
import { type EncodedTensor, loadFixtures, values } from '@minigrad/testing';

interface Case {
  name: string;
  inputs: EncodedTensor[];
  requiresGrad: boolean;
  text: string;
}

const { cases } = loadFixtures<Case>(new URL('./fixtures/print.json', import.meta.url));

describe('a Parameter prints like PyTorch', () => {
  for (const c of cases) {
    test(c.name, () => {
      const e = c.inputs[0];
      const p = new Parameter(tensor(values(e), { dtype: e.dtype as DType, shape: e.shape }), c.requiresGrad);
      expect(String(p)).toBe(c.text);
      expect(inspect(p)).toBe(c.text);
    });
  }
});

describe('console.log of a module', () => {
  test('prints what toString() prints, at the top level and nested', () => {
    const model = new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Linear(4, 2));
    const tree = [
      'Sequential(',
      '  (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1))',
      '  (1): ReLU()',
      '  (2): Linear(in_features=4, out_features=2, bias=True)',
      ')',
    ].join('\n');
    expect(inspect(model)).toBe(tree);
    expect(inspect({ model })).toBe(`{\n  model: ${tree.split('\n').join('\n  ')}\n}`);
    expect(inspect(model)).not.toMatch(/_forwardHooks|_buffers|training/);
  });

  test('a user module without a typeName prints under its class name', () => {
    class TwoLayer extends Module {
      fc = new Linear(2, 2);
      override forward(x: never) {
        return this.fc.call(x);
      }
    }
    expect(inspect(new TwoLayer())).toBe('TwoLayer(\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n)');
  });
});
