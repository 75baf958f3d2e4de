// The README's normalization example is norm-readme-example.ts verbatim; importing that file runs it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README normalization example', () => {
  it('is the code of norm-readme-example.ts, and it runs', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Normalization'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const source = readFileSync(new URL('./norm-readme-example.ts', import.meta.url), 'utf8');
    expect(block).toBe(/\/\/ --- example ---\n([\s\S]*?)\/\/ --- end ---/.exec(source)![1]);
    const { x, gn, bn, loss, sameAsLayerNorm } = await import('./norm-readme-example.js');
    expect(Number.isFinite(loss.item())).toBe(true);
    expect(x.grad!.shape).toEqual([2, 6, 4, 4]);
    expect(gn.weight!.grad!.shape).toEqual([6]);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(sameAsLayerNorm).toBe(0);
  });
});
