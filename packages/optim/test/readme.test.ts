// The README's example runs as written (its imports mapped to the packages) and reaches its stated result.
import { expect, it } from 'vitest';
import * as autograd from '@minigrad/autograd';
import * as optim from '@minigrad/optim';
import { readmeExample, runExample } from '@minigrad/testing';

const MODULES: Record<string, unknown> = { '@minigrad/autograd': autograd, '@minigrad/optim': optim };

it('the README example runs and converges', () => {
  const logged: unknown[] = [];
  runExample(readmeExample(new URL('../README.md', import.meta.url)), MODULES, { log: (v: unknown) => logged.push(v) });
  expect(logged).toHaveLength(1);
  const w = logged[0] as number[];
  [1, -2, 3].forEach((t, i) => expect(w[i]).toBeCloseTo(t, 2));
});
