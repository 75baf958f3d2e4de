// Test-side runner for README examples: the first ```ts block, run as written with its
// `import { ... } from '<package>'` lines bound to the modules the test passes in.
import { readFileSync } from 'node:fs';

/** The first ```ts block of the Markdown file at `url`. */
export function readmeExample(url: URL): string {
  const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(url, 'utf8'))?.[1];
  if (code === undefined) throw new Error(`${url.pathname} has no \`\`\`ts block`);
  return code;
}

/** Runs `code` with its package imports taken from `modules` and `console` replaced by `log`'s owner. */
export function runExample(code: string, modules: Record<string, unknown>, console: { log: (...args: unknown[]) => void }): void {
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => {
    if (!(from in modules)) throw new Error(`the example imports '${from}', which the test did not provide`);
    return `const {${names}} = modules[${JSON.stringify(from)}];`;
  });
  new Function('modules', 'console', body)(modules, console);
}
