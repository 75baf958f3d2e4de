// The part of the Web Worker API that jax-js's wasm worker pool uses, over node:worker_threads, for the child
// process of jaxjs-threads.ts only (Node 20 has no global Worker). jax-js creates each worker from a blob: URL
// of a classic script that sets `self.onmessage` and calls `postMessage`; messages carry its shared
// WebAssembly.Memory and compiled WebAssembly.Modules, which worker_threads can post.
import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeWorker } from 'node:worker_threads';

const PRELUDE = `const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (message) => parentPort.postMessage(message);
parentPort.on('message', (data) => { if (typeof self.onmessage === 'function') self.onmessage({ data }); });
`;

/** Workers started so far (the child reports it: proof that jax-js used its pool). */
export let workersStarted = 0;

class WebWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  #worker: NodeWorker | undefined;
  #queue: unknown[] = [];

  constructor(url: string | URL) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`web-worker shim: only blob: URLs are supported, got ${String(url)}`);
    // The script is read asynchronously; messages posted before it starts are queued.
    void blob.text().then((source) => {
      const worker = new NodeWorker(PRELUDE + source, { eval: true });
      worker.unref(); // idle workers must not keep the process alive
      worker.on('message', (data) => this.onmessage?.({ data }));
      worker.on('error', (e) => this.onerror?.({ message: e.message }));
      for (const message of this.#queue) worker.postMessage(message);
      this.#queue = [];
      this.#worker = worker;
      workersStarted++;
    });
  }

  postMessage(message: unknown): void {
    if (this.#worker) this.#worker.postMessage(message);
    else this.#queue.push(message);
  }

  terminate(): void {
    void this.#worker?.terminate();
  }
}

/** Makes `Worker` a global and navigator.hardwareConcurrency = threads (the size of jax-js's pool). */
export function installWebWorker(threads: number): void {
  const g = globalThis as { Worker?: unknown; navigator?: object };
  g.Worker = WebWorker;
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'hardwareConcurrency', { value: threads, configurable: true });
}
