import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { alias } from '../../vitest.shared.js';

// The Node entries must come before '@minigrad/nn' and '@minigrad/tensor', which would swallow them as prefixes.
const nodeEntry = (pkg: string) => ({ find: `@minigrad/${pkg}/node`, replacement: fileURLToPath(new URL(`../../packages/${pkg}/src/node.ts`, import.meta.url)) });

export default defineProject({
  resolve: { alias: [nodeEntry('nn'), nodeEntry('tensor'), ...Object.entries(alias).map(([find, replacement]) => ({ find, replacement }))] },
  test: { name: 'mnist-demo' },
});
