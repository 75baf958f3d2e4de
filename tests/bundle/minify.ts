// How the bundle tests build a browser app: esbuild bundles an entry and the built packages it imports (as a
// user's bundler sees them, through tests/bundle/node_modules) into one minified ES module, without keepNames,
// so that every class is renamed.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The minified ES module of `entry` (an absolute path) and everything it imports. */
export async function bundleMinified(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    keepNames: false,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    nodePaths: [fileURLToPath(new URL('./node_modules', import.meta.url))],
  });
  return result.outputFiles[0].text;
}
