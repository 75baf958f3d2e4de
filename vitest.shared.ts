// Tests import sibling packages from their TypeScript sources, so `vitest run` needs no build first.
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export const alias = {
  '@minigrad/tensor': pkg('tensor'),
  '@minigrad/autograd': pkg('autograd'),
  '@minigrad/nn': pkg('nn'),
  '@minigrad/optim': pkg('optim'),
};
