// TensorFlow.js 4.22 as a peer, loaded from disk (nothing is downloaded). The only file of the bench that
// touches tfjs's loading quirks:
// - the CommonJS builds (package "main") are loaded through createRequire; Node's ESM loader rejects the
//   extensionless relative imports of the per-file ESM builds;
// - those CommonJS bundles carry no gradient functions (the full @tensorflow/tfjs package imports them from the
//   ESM files), so tf.grad fails without them. They are loaded from the ESM files with a resolve hook that
//   appends '.js'; both builds share tfjs's global engine and gradient registry, so the CommonJS API sees them;
// - the wasm backend reads its .wasm files from its own dist folder (setWasmPaths with a file path).
import { register } from 'node:module';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';

export type { TF };
export type TfBackend = 'cpu' | 'wasm';

const require = createRequire(import.meta.url);

let loaded: typeof TF | undefined;

/** Loads tfjs-core with both backends and the gradient functions (once). */
export async function loadTfjs(): Promise<typeof TF> {
  if (loaded) return loaded;
  const tf = require('@tensorflow/tfjs-core') as typeof TF;
  require('@tensorflow/tfjs-backend-cpu');
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep);
  register(
    'data:text/javascript,' +
      encodeURIComponent(
        'export async function resolve(s, c, next) { try { return await next(s, c); } catch (e) {' +
          ' if (s.startsWith(".") && !s.endsWith(".js")) return next(s + ".js", c); throw e; } }',
      ),
  );
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  tf.enableProdMode(); // no debug-mode checks per op
  loaded = tf;
  return tf;
}

/** Loads tfjs and makes `backend` the active backend. */
export async function useTfBackend(backend: TfBackend): Promise<typeof TF> {
  const tf = await loadTfjs();
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialize`);
  await tf.ready();
  return tf;
}
