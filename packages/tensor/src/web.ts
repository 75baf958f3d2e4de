// Browser entry (@minigrad/tensor/web): Web Workers for the wasm backend's matrix products. The workers run
// WORKER_SOURCE from a Blob URL, so there is no worker file for a bundler to find, and get the compiled module,
// the shared memory and the board by postMessage. Nothing here may import node: modules.
import { PlatformError } from './errors.js';
import { type WorkerInit, checkThreadCount, setWasmThreads } from './kernels/wasm/threads.js';

/** The workers' script as a Blob URL, made once and kept for the page's lifetime (WORKER_SOURCE never changes). */
let workerUrl: string | undefined;

function spawn(source: string, init: WorkerInit): Worker {
  workerUrl ??= URL.createObjectURL(
    new Blob([`${source}\nonmessage = (event) => minigradGemmWorker(event.data);`], { type: 'text/javascript' }),
  );
  const worker = new Worker(workerUrl, { name: 'minigrad-wasm' });
  worker.postMessage(init);
  return worker;
}

/** Why this page cannot share memory with workers, or null if it can. */
function isolationProblem(): string | null {
  if (globalThis.crossOriginIsolated !== true) return 'the page is not cross-origin isolated';
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is unavailable';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return null;
  } catch {
    return 'a shared WebAssembly.Memory cannot be created';
  }
}

/**
 * Splits large float32 matrix products and convolutions of the wasm backend across `threads` threads, the
 * calling one included; 1 goes back to one thread. Results are identical for any thread count. Work below
 * about eight million multiply-adds stays on the calling thread. More than one thread needs a cross-origin
 * isolated page (else a PlatformError); on the main thread the caller spins while it waits for its workers,
 * since browsers forbid Atomics.wait there.
 */
export async function setThreads(threads: number): Promise<void> {
  checkThreadCount(threads);
  const problem = threads > 1 ? isolationProblem() : null;
  if (problem !== null) {
    throw new PlatformError(
      'setThreads',
      `${threads} threads need SharedArrayBuffer and a shared WebAssembly.Memory, but ${problem}: serve the page with ` +
        'the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp',
    );
  }
  await setWasmThreads(threads, spawn);
}

/** Threads the wasm matrix products use (1 until setThreads asks for more). */
export { wasmThreads as getThreads } from './kernels/wasm/threads.js';
