// Runs the README example verbatim and checks every `//=>` comment against what it prints.
import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import * as lib from '@minigrad/tensor';
import { readmeExample, runExample } from '@minigrad/testing';

test('the README example runs and prints what it says', () => {
  const code = readmeExample(new URL('../README.md', import.meta.url));
  const expected = [...code.matchAll(/\/\/=> (.*)$/gm)].map((m) => m[1]);
  const printed: string[] = [];
  const log = (...args: unknown[]) => printed.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
  runExample(code, { '@minigrad/tensor': lib }, { log });
  expect(expected.length).toBeGreaterThan(3);
  expect(printed).toEqual(expected);
});
