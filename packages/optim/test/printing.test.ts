// Optimizers print as PyTorch's repr (fixtures from tools/fixtures/printing.py, with minigrad's option names),
// from toString(), String() and console.log (util.inspect), which would otherwise dump the state map.
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { tensor } from '@minigrad/autograd';
import * as optim from '@minigrad/optim';
import { loadFixtures } from '@minigrad/testing';

interface Case {
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  groups: Record<string, unknown>[];
  scheduler: boolean;
  text: string;
}

const { cases } = loadFixtures<Case>(new URL('./fixtures/print.json', import.meta.url));

describe('an optimizer prints like PyTorch', () => {
  for (const c of cases) {
    test(`${c.optimizer} ${JSON.stringify(c.groups)}${c.scheduler ? ' with a scheduler' : ''}`, () => {
      const groups = c.groups.map((g) => ({ ...g, params: [tensor([1, 1], { requiresGrad: true })] }));
      const Optimizer = optim[c.optimizer] as new (params: unknown) => optim.Optimizer;
      const opt = new Optimizer(groups);
      if (c.scheduler) new optim.StepLR(opt, 2);
      expect(opt.toString()).toBe(c.text);
      expect(String(opt)).toBe(c.text);
      expect(inspect(opt)).toBe(c.text);
    });
  }
});
