// The README's example runs as written (its imports mapped to the packages) and reaches its stated result.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as autograd from '@minigrad/autograd';
import * as optim from '@minigrad/optim';

const MODULES: Record<string, unknown> = { '@minigrad/autograd': autograd, '@minigrad/optim': optim };

it('the README example runs and converges', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const body = (code as string).replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => {
    expect(MODULES[from]).toBeDefined();
    return `const {${names}} = modules['${from}'];`;
  });
  const logged: unknown[] = [];
  new Function('modules', 'console', body)(MODULES, { log: (v: unknown) => logged.push(v) });
  expect(logged).toHaveLength(1);
  const w = logged[0] as number[];
  [1, -2, 3].forEach((t, i) => expect(w[i]).toBeCloseTo(t, 2));
});
