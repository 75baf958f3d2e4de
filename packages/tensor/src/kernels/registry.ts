// Kernels keyed by op name and backend. The 'js' kernels are the reference and the fallback; a faster
// backend registers the same names and ops pick its version up without changing.
import { getBackend } from '../backend.js';
import { jsKernels } from './js/index.js';
import { wasmKernels } from './wasm/index.js';

export type Kernel = (...args: any[]) => any;

const tables = new Map<string, Map<string, Kernel>>([
  ['js', new Map(Object.entries(jsKernels))],
  ['wasm', new Map(Object.entries(wasmKernels))],
]);

export function registerKernel(name: string, backend: string, kernel: Kernel): void {
  let table = tables.get(backend);
  if (table === undefined) {
    table = new Map();
    tables.set(backend, table);
  }
  table.set(name, kernel);
}

/** The kernel `name` of the active backend, or of the 'js' backend when the active one lacks it. */
export function getKernel<K extends Kernel>(name: string): K {
  const b = getBackend().name;
  const k = (b === 'js' ? undefined : tables.get(b)?.get(name)) ?? tables.get('js')?.get(name);
  if (k === undefined) throw new Error(`no kernel registered for '${name}'`);
  return k as K;
}

/** Names of the kernels a backend registered (for conformance tests and docs). */
export function kernelNames(backend = 'js'): string[] {
  return [...(tables.get(backend)?.keys() ?? [])];
}
