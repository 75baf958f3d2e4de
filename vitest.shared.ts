// Tests import sibling packages from their TypeScript sources, so `vitest run` needs no build first.
// Exact-match patterns: '@minigrad/nn' must not also capture the Node entry '@minigrad/nn/node'.
import { fileURLToPath } from 'node:url';

const src = (file: string) => fileURLToPath(new URL(`./packages/${file}`, import.meta.url));

export const alias = [
  { find: /^@minigrad\/(tensor|autograd|nn|optim|data|testing)$/, replacement: src('$1/src/index.ts') },
  { find: /^@minigrad\/(tensor|nn)\/node$/, replacement: src('$1/src/node.ts') },
  { find: /^@minigrad\/(tensor|autograd|nn)\/internal$/, replacement: src('$1/src/internal.ts') },
];
