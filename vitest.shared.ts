// Tests import sibling packages from their TypeScript sources, so `vitest run` needs no build first.
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export const alias = {
  // Subpath entries first: '@minigrad/nn' would otherwise also capture '@minigrad/nn/node'.
  '@minigrad/nn/node': fileURLToPath(new URL('./packages/nn/src/node.ts', import.meta.url)),
  '@minigrad/tensor': pkg('tensor'),
  '@minigrad/autograd': pkg('autograd'),
  '@minigrad/nn': pkg('nn'),
  '@minigrad/optim': pkg('optim'),
};
