// Runs the README example verbatim and checks every `//=>` comment against what it prints.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import * as lib from '@minigrad/tensor';

test('the README example runs and prints what it says', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const expected = [...code.matchAll(/\/\/=> (.*)$/gm)].map((m) => m[1]);
  const printed: string[] = [];
  const log = (...args: unknown[]) => printed.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
  // Plain JavaScript once the import line becomes a destructuring of the package.
  const body = code.replace(/import \{([^}]*)\} from '@minigrad\/tensor';/, 'const {$1} = lib;');
  new Function('lib', 'console', body)(lib, { log });
  expect(expected.length).toBeGreaterThan(3);
  expect(printed).toEqual(expected);
});
