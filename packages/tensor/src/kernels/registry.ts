// Kernels keyed by name and backend. The 'js' kernels (js/index.ts) are the reference and the fallback, and
// their table's type is the registry's: getKernel(name) returns that kernel's signature. A faster backend
// registers twins of some of them (wasm/index.ts) and ops pick its version up without changing.
import { getBackend } from '../backend.js';
import { type RecordedCall, activeRecording, refuseCapture } from '../capture/recording.js';
import { jsKernels, type KernelName, type Kernels } from './js/index.js';
import type { Kernel } from './table.js';
import { DIRECT_REPLAY, wasmKernels } from './wasm/index.js';
import { closeLaunchLog, openLaunchLog } from './wasm/launches.js';

export type { Kernel } from './table.js';
export type { KernelName, Kernels } from './js/index.js';

type Table = Map<KernelName, Kernel>;

const tables = new Map<string, Table>([
  ['js', new Map(Object.entries(jsKernels) as [KernelName, Kernel][])],
  ['wasm', new Map(Object.entries(wasmKernels) as [KernelName, Kernel][])],
]);

/** Registers backend's twin of kernel `name` (same signature as the js kernel). */
export function registerKernel<N extends KernelName>(name: N, backend: string, kernel: Kernels[N]): void {
  let table = tables.get(backend);
  if (table === undefined) {
    table = new Map();
    tables.set(backend, table);
  }
  table.set(name, kernel as Kernel);
}

/** The kernel `name` of the active backend, or of the 'js' backend when the active one lacks it. */
export function getKernel<N extends KernelName>(name: N): Kernels[N] {
  const b = getBackend().name;
  const k = (b === 'js' ? undefined : tables.get(b)?.get(name)) ?? tables.get('js')!.get(name);
  if (k === undefined) throw new Error(`no kernel registered for '${name}'`);
  return (activeRecording() === null ? k : recorded(name, k, b === 'wasm' && DIRECT_REPLAY.has(name))) as Kernels[N];
}

/**
 * `kernel` writing every call into the trace in progress (see capture/recording.ts); with `direct`, each call
 * with the wasm calls it launched, which a replay may make instead (kernels/wasm/launches.ts).
 */
function recorded(name: string, kernel: Kernel, direct: boolean): Kernel {
  return (...args: never[]) => {
    const recording = activeRecording();
    if (recording === null) return kernel(...args);
    const call: RecordedCall = { fn: kernel, args, name };
    recording.calls.push(call);
    if (direct) openLaunchLog(recording.scratchAt);
    let result: unknown;
    try {
      result = kernel(...args);
    } finally {
      const launches = direct ? closeLaunchLog() : null;
      if (launches !== null) call.launches = launches;
    }
    // A value handed back to JavaScript would be decided on there, where a replay cannot follow.
    if (result !== undefined) refuseCapture(`kernel '${name}' returns a value to JavaScript`);
    return result;
  };
}

/** Names of the kernels a backend registered (for conformance tests and docs). */
export function kernelNames(backend = 'js'): KernelName[] {
  return [...(tables.get(backend)?.keys() ?? [])];
}
