// The root README's example is run as written, plus one line that prints the final loss.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as tensor from '@minigrad/tensor';
import * as autograd from '@minigrad/autograd';
import * as nn from '@minigrad/nn';
import * as optim from '@minigrad/optim';
import { readmeExample, runExample } from '@minigrad/testing';

const example = readmeExample(new URL('../../README.md', import.meta.url));

test('the README example trains: two images are fitted in 20 SGD steps, and it prints the loss as it goes', () => {
  const code = `${example}\nconsole.log(F.crossEntropy(model.call(x), y).item());`;
  const printed: unknown[] = [];
  const modules = { '@minigrad/tensor': tensor, '@minigrad/autograd': autograd, '@minigrad/nn': nn, '@minigrad/optim': optim };
  runExample(code, modules, { log: (v) => printed.push(v) });
  expect(printed.slice(0, 5)).toEqual([1, 5, 10, 15, 20].map((s) => expect.stringMatching(new RegExp(`^step ${s}: loss \\d\\.\\d{4}$`))));
  // Chance level is ln(10) = 2.30; memorizing two images drives the loss far below it.
  expect(printed).toHaveLength(6);
  expect(printed[5]).toBeLessThan(0.1);
});

test('examples/first-model.mjs, which `pnpm example` runs, is the README example', () => {
  const file = readFileSync(new URL('../../examples/first-model.mjs', import.meta.url), 'utf8');
  expect(file.slice(file.indexOf('\n') + 1)).toBe(example);
});
