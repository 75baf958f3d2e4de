// The root README's example is run as written, plus one line that prints the final loss.
import { expect, test } from 'vitest';
import * as tensor from '@minigrad/tensor';
import * as autograd from '@minigrad/autograd';
import * as nn from '@minigrad/nn';
import * as optim from '@minigrad/optim';
import { readmeExample, runExample } from '../../tools/readme-example.js';

test('the README example trains: two images are fitted in 20 SGD steps', () => {
  const code = `${readmeExample(new URL('../../README.md', import.meta.url))}\nconsole.log(F.crossEntropy(model.call(x), y).item());`;
  const printed: unknown[] = [];
  const modules = { '@minigrad/tensor': tensor, '@minigrad/autograd': autograd, '@minigrad/nn': nn, '@minigrad/optim': optim };
  runExample(code, modules, { log: (v) => printed.push(v) });
  // Chance level is ln(10) = 2.30; memorizing two images drives the loss far below it.
  expect(printed).toHaveLength(1);
  expect(printed[0]).toBeLessThan(0.1);
});
