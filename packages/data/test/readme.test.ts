// The README's example runs as written (its imports mapped to the packages) and prints what it says.
import { expect, it } from 'vitest';
import * as tensor from '@minigrad/tensor';
import * as data from '@minigrad/data';
import { readmeExample, runExample } from '@minigrad/testing';

it('the README example splits 80/20 and shuffles the 80 anew every epoch', () => {
  const logged: unknown[][] = [];
  runExample(readmeExample(new URL('../README.md', import.meta.url)), { '@minigrad/tensor': tensor, '@minigrad/data': data }, { log: (...v: unknown[]) => logged.push(v) });
  expect(logged[0]).toEqual([3, 20]);
  const batches = logged.slice(1) as [number, number[], number[]][];
  expect(batches.map(([epoch, shape]) => [epoch, shape])).toEqual([0, 0, 0, 1, 1, 1].map((e, i) => [e, [i % 3 === 2 ? 16 : 32, 3]]));
  const epochs = [0, 1].map((e) => batches.filter(([epoch]) => epoch === e).flatMap(([, , labels]) => labels));
  // Each epoch visits the same 80 items once, in another order.
  expect(new Set(epochs[0]).size).toBe(80);
  expect([...epochs[1]!].sort((a, b) => a - b)).toEqual([...epochs[0]!].sort((a, b) => a - b));
  expect(epochs[1]).not.toEqual(epochs[0]);
});
