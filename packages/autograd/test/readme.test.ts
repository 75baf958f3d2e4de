// The README's example runs and prints what its comments say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import { registry } from '../src/internal.js';
import { readmeExample, runExample } from '@minigrad/testing';

describe('README example', () => {
  it('runs', () => {
    const printed: unknown[] = [];
    runExample(readmeExample(new URL('../README.md', import.meta.url)), { '@minigrad/autograd': lib }, { log: (v: unknown) => printed.push(v) });
    expect(printed[0]).toEqual([[4, 0], [6, 0]]);
    expect(printed[1]).toEqual([2, 0]);
    expect(String(printed[2]).split('\n')[0]).toBe('%0 = matmul(const[2,2], leaf[2,2]) -> [2,2] float32 (freed)');
    const w = [[0.5, -1], [2, 0.1]].flat().map(Math.fround);
    const second = (printed[3] as number[][]).flat();
    second.forEach((v, i) => expect(v).toBeCloseTo(-2 * Math.tanh(w[i]) * (1 - Math.tanh(w[i]) ** 2), 6));
  });
});

describe('README op list', () => {
  it('names exactly the registered ops', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.split('## Registered ops')[1].split('\n## ')[0];
    const listed = [...section.matchAll(/`([\w.]+)`/g)].map((m) => m[1]);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...registry.keys()].sort());
  });
});
