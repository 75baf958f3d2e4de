// Worker threads for the wasm sgemm: a large product is split by columns of C (never along K), each thread
// running the same packed kernel on its share, so every element is summed in the same order whatever the
// thread count: results are identical for 1, 2 or more threads.
//
// Portable core: the workers run WORKER_SOURCE, which a platform-specific spawner starts (src/node.ts does it
// with worker_threads). All threads share one WebAssembly.Memory; each worker waits on its control block
// (Atomics.wait), runs the sgemm whose arguments the calling thread wrote there and reports completion. The
// calling thread blocks in Atomics.wait for its workers, which browsers forbid on their main thread.
import { ArgumentError } from '../../errors.js';
import { WASM_SHARED_BASE64 } from './module.generated.js';
import { MAX_THREADS, adopt, controlAddress, decode, scratchAddress, wasm, wasmLoaded } from './instance.js';

/** Below this many multiply-adds a product stays on the calling thread (waking a worker costs ~10-50 us). */
export const THREAD_MIN_MULADDS = 1 << 20;
const MAX_PAGES = 32768;
/** A worker that does not answer within this time is taken as dead (instead of hanging the caller forever). */
const WAIT_MS = 60_000;

// Control block (int32 slots): [0] job sequence number (the caller bumps it; -1 = stop), [1] last job done
// (-1 until the worker is ready, -2 once it has stopped), [2..14] the 13 sgemm arguments.
const SEQ = 0;
const DONE = 1;
const ARGS = 2;
const STOPPED = -2;
/** How long stopping waits for a worker to acknowledge (one that never started cannot). */
const STOP_WAIT_MS = 1000;

/** What a worker needs: the compiled shared-memory module, the memory and its control block (int32 index). */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
}

/** A started worker: the spawner's handle to end it. */
export interface WorkerHandle {
  terminate(): unknown;
}

/** Starts a worker that evaluates `source` and then calls `minigradGemmWorker(init)`. */
export type SpawnWorker = (source: string, init: WorkerInit) => WorkerHandle;

/** The worker's program (plain JavaScript, no imports). */
export const WORKER_SOURCE = `
function minigradGemmWorker(init) {
  const e = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;
  const i32 = new Int32Array(init.memory.buffer);
  const c = init.control;
  let seq = 0;
  Atomics.store(i32, c + ${DONE}, 0);
  Atomics.notify(i32, c + ${DONE});
  for (;;) {
    Atomics.wait(i32, c + ${SEQ}, seq);
    seq = Atomics.load(i32, c + ${SEQ});
    if (seq < 0) {
      Atomics.store(i32, c + ${DONE}, ${STOPPED});
      Atomics.notify(i32, c + ${DONE});
      return;
    }
    const a = c + ${ARGS};
    e.sgemm(i32[a], i32[a + 1], i32[a + 2], i32[a + 3], i32[a + 4], i32[a + 5], i32[a + 6], i32[a + 7], i32[a + 8],
      i32[a + 9], i32[a + 10], i32[a + 11], i32[a + 12]);
    Atomics.store(i32, c + ${DONE}, seq);
    Atomics.notify(i32, c + ${DONE});
  }
}
`;

interface Pool {
  memory: WebAssembly.Memory;
  control: Int32Array;
  workers: WorkerHandle[];
  seq: number[];
}

let pool: Pool | null = null;

/** Threads sgemm uses (the calling thread included). */
export function wasmThreads(): number {
  return pool === null ? 1 : pool.workers.length + 1;
}

/**
 * Runs large sgemm calls on `threads` threads (the caller and threads - 1 workers started by `spawn`);
 * 1 stops the workers. Needs SharedArrayBuffer; resolves once every worker is ready.
 */
export async function setWasmThreads(threads: number, spawn: SpawnWorker): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ArgumentError('setThreads', `threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`);
  }
  if (!wasmLoaded()) throw new Error('setWasmThreads: the wasm backend is unavailable');
  stopWorkers();
  if (threads === 1) return;
  const pages = Math.max(2, wasm().memory.buffer.byteLength / 65536);
  const memory = pool?.memory ?? new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
  const module = new WebAssembly.Module(decode(WASM_SHARED_BASE64));
  adopt(new WebAssembly.Instance(module, { env: { memory } }), threads);
  const control = new Int32Array(memory.buffer);
  const next: Pool = { memory, control, workers: [], seq: [] };
  for (let w = 0; w < threads - 1; w++) {
    const c = controlAddress(w) >> 2;
    control[c + SEQ] = 0;
    control[c + DONE] = -1;
    next.seq.push(0);
    next.workers.push(spawn(WORKER_SOURCE, { module, memory, control: c }));
  }
  pool = next;
  const deadline = Date.now() + WAIT_MS;
  for (let w = 0; w < threads - 1; w++) {
    while (Atomics.load(control, (controlAddress(w) >> 2) + DONE) !== 0) {
      if (Date.now() > deadline) {
        stopWorkers();
        throw new Error('setWasmThreads: a worker did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

/**
 * Stops the workers and waits until each has left its loop, so that a new pool can reuse the control blocks
 * without an old worker mistaking the reset for a job (terminate() alone is asynchronous).
 */
function stopWorkers(): void {
  if (pool === null) return;
  const i32 = pool.control;
  for (let w = 0; w < pool.workers.length; w++) {
    const c = (controlAddress(w) >> 2) + SEQ;
    Atomics.store(i32, c, -1);
    Atomics.notify(i32, c);
  }
  for (let w = 0; w < pool.workers.length; w++) {
    const d = (controlAddress(w) >> 2) + DONE;
    for (;;) {
      const done = Atomics.load(i32, d);
      if (done === STOPPED || Atomics.wait(i32, d, done, STOP_WAIT_MS) === 'timed-out') break;
    }
    pool.workers[w].terminate();
  }
  // The shared instance stays (memory and all); only the workers go.
  pool.workers = [];
  pool.seq = [];
}

/** The packed sgemm (C row stride N), split by column ranges across the threads when it is large enough. */
export function packedSgemm(
  M: number, N: number, K: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number,
  c: number, acc: number,
): void {
  const e = wasm();
  const T = wasmThreads();
  if (T === 1 || M * N * K < THREAD_MIN_MULADDS || N < 16 * T) {
    e.sgemm(M, N, K, a, ars, acs, b, brs, bcs, c, N, acc, scratchAddress(0));
    return;
  }
  const p = pool as Pool;
  const i32 = p.control;
  // Column boundaries on multiples of 8 (the micro-kernel's width), so the threads' tiles line up with the
  // single-thread ones.
  const bound = (t: number) => (t === T ? N : Math.round((N * t) / T / 8) * 8);
  for (let t = 1; t < T; t++) {
    const j0 = bound(t);
    const args = (controlAddress(t - 1) >> 2) + ARGS;
    i32[args] = M; i32[args + 1] = bound(t + 1) - j0; i32[args + 2] = K;
    i32[args + 3] = a; i32[args + 4] = ars; i32[args + 5] = acs;
    i32[args + 6] = b + j0 * bcs * 4; i32[args + 7] = brs; i32[args + 8] = bcs;
    i32[args + 9] = c + j0 * 4; i32[args + 10] = N; i32[args + 11] = acc; i32[args + 12] = scratchAddress(t);
    const seq = ++p.seq[t - 1];
    const s = (controlAddress(t - 1) >> 2) + SEQ;
    Atomics.store(i32, s, seq);
    Atomics.notify(i32, s);
  }
  e.sgemm(M, bound(1), K, a, ars, acs, b, brs, bcs, c, N, acc, scratchAddress(0));
  for (let t = 1; t < T; t++) {
    const d = (controlAddress(t - 1) >> 2) + DONE;
    for (;;) {
      const done = Atomics.load(i32, d);
      if (done === p.seq[t - 1]) break;
      if (Atomics.wait(i32, d, done, WAIT_MS) === 'timed-out') throw new Error('sgemm: a worker thread stopped answering');
    }
  }
}
