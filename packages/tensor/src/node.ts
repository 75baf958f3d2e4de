// Node-only entry (@minigrad/tensor/node): worker threads for the wasm backend's matrix products.
import { Worker } from 'node:worker_threads';
import { type WorkerInit, setWasmThreads } from './kernels/wasm/threads.js';

/**
 * Splits large float32 matrix products and convolutions of the wasm backend across `threads` threads, the
 * calling one included; 1 goes back to one thread. Results are identical for any thread count. Work below
 * about eight million multiply-adds stays on the calling thread.
 */
export async function setThreads(threads: number): Promise<void> {
  await setWasmThreads(threads, (source: string, init: WorkerInit) => {
    // A dynamic import reads workerData whether Node evaluates the source as CommonJS or, when the main
    // program was started with --input-type=module (inherited by eval workers), as an ES module.
    const worker = new Worker(`${source}\nimport('node:worker_threads').then((m) => minigradGemmWorker(m.workerData));`, {
      eval: true,
      workerData: init,
    });
    // Idle workers must not keep the process alive.
    worker.unref();
    return worker;
  });
}

/** Threads the wasm matrix products use (1 until setThreads asks for more). */
export { wasmThreads as getThreads } from './kernels/wasm/threads.js';
