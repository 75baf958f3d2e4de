// Node-only entry (@minigrad/tensor/node): worker threads for the wasm backend's matrix products.
import { Worker } from 'node:worker_threads';
import { type WorkerInit, setWasmThreads, wasmThreads } from './kernels/wasm/threads.js';

/**
 * Splits large float32 matrix products (and the convolutions built on them) of the wasm backend across
 * `threads` threads, the calling one included; 1 goes back to one thread. Results are identical for any
 * thread count. Products below about a million multiply-adds stay on the calling thread.
 */
export async function setThreads(threads: number): Promise<void> {
  await setWasmThreads(threads, (source: string, init: WorkerInit) => {
    const worker = new Worker(`${source}\nminigradGemmWorker(require('node:worker_threads').workerData);`, {
      eval: true,
      workerData: init,
    });
    // Idle workers must not keep the process alive.
    worker.unref();
    return worker;
  });
}

/** Threads the wasm matrix products use. */
export function getThreads(): number {
  return wasmThreads();
}
