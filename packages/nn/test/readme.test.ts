// The README example is readme-example.ts verbatim; importing that file runs it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('is the code of readme-example.ts, and it runs', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const example = /\/\/ --- example ---\n([\s\S]*?)\/\/ --- end ---/.exec(source)![1];
    expect(block).toBe(example);
    const { bytes, loss, model } = await import('./readme-example.js');
    expect(Number.isFinite(loss.item())).toBe(true);
    expect(bytes.length).toBeGreaterThan(4 * 8 * 14 * 14 * 10);
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '4.weight', '4.bias']);
  });
});
