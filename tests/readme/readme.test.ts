// The root README's example is run as written: its first ```ts block, plus one line that reads the final loss.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

test('the README example trains: two images are fitted in 20 SGD steps', async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const file = join(mkdtempSync(join(tmpdir(), 'minigrad-readme-')), 'example.ts');
  writeFileSync(file, `${code}\nexport const finalLoss = F.crossEntropy(model.call(x), y).item();\n`);
  const { finalLoss } = (await import(/* @vite-ignore */ file)) as { finalLoss: number };
  // Chance level is ln(10) = 2.30; memorizing two images drives the loss far below it.
  expect(finalLoss).toBeLessThan(0.1);
});
