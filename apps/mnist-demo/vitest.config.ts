import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.shared.js';

// '@minigrad/nn/node' must come before '@minigrad/nn', which would otherwise swallow it as a prefix.
const nnNode = fileURLToPath(new URL('../../packages/nn/src/node.ts', import.meta.url));

export default defineProject({
  resolve: { alias: [{ find: '@minigrad/nn/node', replacement: nnNode }, ...Object.entries(alias).map(([find, replacement]) => ({ find, replacement }))] },
  test: { name: 'mnist-demo' },
});
