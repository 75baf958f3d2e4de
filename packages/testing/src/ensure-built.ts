// For tests that load built output (packed tarballs, a browser page): builds the named packages when a dist
// file is missing or older than the package's sources. `pnpm test` has built them already; a single vitest
// run may not have.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `tsc -b` on packages/<name> of `root` for each name whose dist/<file> is stale. */
export function ensureBuilt(root: string, packages: readonly string[], file = 'index.js'): void {
  const stale = packages.some((p) => {
    const built = join(root, 'packages', p, 'dist', file);
    return !existsSync(built) || statSync(built).mtimeMs < newestMtime(join(root, 'packages', p, 'src'));
  });
  if (stale) execFileSync('npx', ['tsc', '-b', ...packages.map((p) => `packages/${p}`)], { cwd: root, stdio: 'pipe' });
}
