// Builds the lab (web/) as a static site: Vite bundles the page and its worker (with minigrad's packages
// from their sources, the wasm kernels inlined), then the data files are packed from the npm packages.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImages } from '../datasets.js';
import { DATASETS, type DatasetName } from '../datasets.js';
import { packImages } from './images.js';
import { LAB_IMAGES } from './session.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The app's folder (this file runs from src/lab under vitest and from dist/lab when built). */
export const APP_DIR = join(here, '..', '..');
export const WEB_DIR = join(APP_DIR, 'web');
export const DEFAULT_LAB_OUT = join(APP_DIR, 'out', 'lab');
const PACKAGES = join(APP_DIR, '..', '..', 'packages');

export interface BuiltLab {
  dir: string;
  /** Every file of the site with its size in bytes, paths relative to `dir`. */
  files: { path: string; bytes: number }[];
}

/** Writes the site into `outDir` (emptied first): index.html, assets/ (JS, CSS), data/<dataset>.bin. */
export async function buildLab(outDir = DEFAULT_LAB_OUT, o: { cacheDir?: string; datasets?: readonly DatasetName[] } = {}): Promise<BuiltLab> {
  const { build } = await import('vite');
  // The ./internal entries too: one copy of each package (a dist copy beside the sources would hold a second
  // Tensor class and kernel table).
  const alias = [
    { find: /^@minigrad\/(tensor|autograd|nn|optim|data)$/, replacement: join(PACKAGES, '$1', 'src', 'index.ts') },
    { find: /^@minigrad\/(tensor|autograd|nn)\/internal$/, replacement: join(PACKAGES, '$1', 'src', 'internal.ts') },
  ];
  await build({
    configFile: false,
    root: WEB_DIR,
    base: './',
    logLevel: 'warn',
    resolve: { alias },
    worker: { format: 'es' },
    build: {
      outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false,
      // no "JavaScript callbacks ran for 2.3s" notes on a busy machine
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
  mkdirSync(join(outDir, 'data'), { recursive: true });
  for (const dataset of o.datasets ?? DATASETS) {
    writeFileSync(join(outDir, 'data', `${dataset}.bin`), packImages(loadImages(dataset, o.cacheDir), dataset, LAB_IMAGES));
  }
  return { dir: outDir, files: listFiles(outDir) };
}

function listFiles(dir: string, root = dir): { path: string; bytes: number }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? listFiles(path, root) : [{ path: relative(root, path), bytes: statSync(path).size }];
  });
}

/** The payload by kind in KB (JS, CSS, HTML, data), for the build's summary line. */
export function payload(files: readonly { path: string; bytes: number }[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const f of files) {
    const kind = f.path.endsWith('.bin') ? 'data' : (f.path.split('.').pop() ?? 'other');
    kinds[kind] = (kinds[kind] ?? 0) + f.bytes / 1024;
  }
  return Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, Math.round(v)]));
}
