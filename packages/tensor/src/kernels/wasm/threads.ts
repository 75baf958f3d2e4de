// Worker threads for the wasm kernels. Work is handed out as lists of steps, each one call of an exported
// kernel (sgemm, im2col, ...) with its integer arguments. A large product is split by columns of C, a conv by
// samples (or, for the weight gradient, by rows of the gradient), never along K: every output element is
// computed by the same calls in the same order whatever the thread count and wherever the cuts fall, so
// results are identical for 1, 2 or more threads. The cuts follow each thread's measured speed (balance.ts).
//
// Portable core: the workers run WORKER_SOURCE, which a platform-specific spawner starts (src/node.ts with
// worker_threads, src/web.ts with Web Workers). All threads share one WebAssembly.Memory; each worker has a block
// of a shared board (a SharedArrayBuffer): it waits on its sequence number (Atomics.wait), runs the steps the
// calling thread wrote there and reports completion. The calling thread sleeps in Atomics.wait for its workers
// where it may block (Node, a Web Worker); a browser's main thread may not (Atomics.wait throws there), so it
// spins on Atomics.load instead.
import { ArgumentError } from '../../errors.js';
import { describeValue } from '../../validate.js';
import { recordSpeeds, resetSpeeds, splitBounds } from './balance.js';
import { MAX_THREADS, loadWasmAsync, onSharedInstance, scratchAddress, selectInstance, sharedForWorkers, wasm } from './instance.js';
import { type Launch, logging, noteLaunch, withLogPaused } from './launches.js';

/**
 * Below this many multiply-adds a product or conv stays on the calling thread. Measured on the 2-core machine
 * (CNN training step at batch 2, one process, medians): with 2^20 the batch-2 convs (7.2M multiply-adds
 * each) went to both threads and the step ran 192 steps/s, with 2^23 they stay on one: 240 (one thread
 * without workers: 271; at batch 32 all three within 4%). Waking a worker and handing work back costs more
 * than half of such a conv saves there. A conv whose activations are resident (tidy(), instance.ts) copies
 * nothing on the calling thread, and splits from an eighth of that: at batch 2 on 2 threads (tools/profile,
 * 7 alternating rounds, medians) the step in tidy() ran 827-841 images/s with 2^23 and 929-950 with 2^20,
 * while the plain step, which copies, stayed within 3% either way.
 */
let threadMinMuladds = 1 << 23;
/** A worker that does not answer within this time is taken as dead (instead of hanging the caller forever). */
const WAIT_MS = 60_000;
/** How long stopping waits for a worker to acknowledge (one that never started cannot). */
const STOP_WAIT_MS = 1000;

/** The kernels a step can call, by index (the worker's table in WORKER_SOURCE lists them in this order). */
export const Kernel = {
  sgemm: 0, sgemmAxpy: 1, sgemmDot: 2, im2col: 3, col2im: 4,
  winogradInput: 5, winogradOutput: 6, winogradGradOut: 7, winogradGradInput: 8, winogradWeightGrad: 9,
} as const;
/** One kernel call: [Kernel index, ...its arguments] (at most STEP_INTS - 1 arguments). */
export type Step = number[];

// A worker's board block (int32 slots): [0] job sequence number (the caller bumps it; -1 = stop), [1] last job
// done (-1 until the worker is ready, -2 once it has stopped), [2] the job's step count, [3] the microseconds
// the worker spent on its last job, then MAX_STEPS steps of STEP_INTS slots. Longer lists go in several jobs.
const SEQ = 0;
const DONE = 1;
const COUNT = 2;
const ELAPSED_US = 3;
const HEADER = 4;
const STEP_INTS = 16;
const MAX_STEPS = 256;
const BLOCK_INTS = HEADER + MAX_STEPS * STEP_INTS;
const STOPPED = -2;
/**
 * Polls before sleeping: a worker checks for its next job, and the caller for a worker's completion, this many
 * times before Atomics.wait, since a conv or a training step posts jobs back to back and waking a sleeping
 * thread costs tens of microseconds (a few microseconds of polling, then sleep).
 */
const SPIN = 2000;

/** What a worker needs: the compiled shared-memory module, the memory, and its block of the board. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  board: SharedArrayBuffer;
  block: number;
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
  const kernels = [
    e.sgemm, e.sgemmAxpy, e.sgemmDot, e.im2col, e.col2im,
    e.winogradInput, e.winogradOutput, e.winogradGradOut, e.winogradGradInput, e.winogradWeightGrad,
  ];
  const b = new Int32Array(init.board, init.block * 4, ${BLOCK_INTS});
  let seq = 0;
  Atomics.store(b, ${DONE}, 0);
  Atomics.notify(b, ${DONE});
  for (;;) {
    for (let i = 0; i < ${SPIN} && Atomics.load(b, ${SEQ}) === seq; i++);
    Atomics.wait(b, ${SEQ}, seq);
    seq = Atomics.load(b, ${SEQ});
    if (seq < 0) {
      Atomics.store(b, ${DONE}, ${STOPPED});
      Atomics.notify(b, ${DONE});
      return;
    }
    const n = b[${COUNT}];
    const start = performance.now();
    for (let s = 0, p = ${HEADER}; s < n; s++, p += ${STEP_INTS}) {
      kernels[b[p]](b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6], b[p + 7], b[p + 8], b[p + 9],
        b[p + 10], b[p + 11], b[p + 12], b[p + 13], b[p + 14], b[p + 15]);
    }
    b[${ELAPSED_US}] = Math.round((performance.now() - start) * 1000);
    Atomics.store(b, ${DONE}, seq);
    Atomics.notify(b, ${DONE});
  }
}
`;

interface Pool {
  board: Int32Array;
  /** Whether the calling thread sleeps in Atomics.wait (true) or spins (a browser's main thread). */
  block: boolean;
  workers: WorkerHandle[];
  seq: number[];
}

let pool: Pool | null = null;

/**
 * Whether the calling thread may block in Atomics.wait, probed once (no user-agent sniffing): the spec checks
 * that the agent can suspend before it compares the value, so a wait for a value the cell does not hold
 * returns 'not-equal' at once where waiting is allowed and throws a TypeError where it is not.
 */
let blockingAllowed: boolean | undefined;
function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/** Threads the wasm kernels use (the calling thread included). */
export function wasmThreads(): number {
  return pool === null ? 1 : pool.workers.length + 1;
}

/**
 * Threads a job of `muladds` multiply-adds is split across: 1 below the threshold (an eighth of it when its
 * large operands are resident: nothing to copy on the calling thread).
 */
export function threadsFor(muladds: number, resident = false): number {
  return muladds < (resident ? threadMinMuladds / 8 : threadMinMuladds) ? 1 : wasmThreads();
}

/** Sets the threshold of threadsFor and returns the previous one (tests lower it to split small shapes). */
export function setThreadThreshold(muladds: number): number {
  const previous = threadMinMuladds;
  threadMinMuladds = muladds;
  return previous;
}

/** Throws unless `threads` is a thread count setThreads accepts. */
export function checkThreadCount(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ArgumentError('setThreads', `threads must be an integer in [1, ${MAX_THREADS}], got ${describeValue(threads)}`);
  }
}

/**
 * Runs large kernels on `threads` threads (the caller and threads - 1 workers started by `spawn`);
 * 1 stops the workers. Needs SharedArrayBuffer; resolves once every worker is ready, without blocking (a
 * browser starts a worker only once its creator yields).
 */
export async function setWasmThreads(threads: number, spawn: SpawnWorker): Promise<void> {
  checkThreadCount(threads);
  // The Node or web entry may be imported alone (before anything that loads the module at import).
  if (!(await loadWasmAsync())) throw new Error('setWasmThreads: the wasm backend is unavailable (no WebAssembly SIMD)');
  stopWorkers();
  if (threads === 1) return;
  // The workers instantiate the shared instance's module over its memory (instance.ts), where resident storage
  // already lives: starting or stopping threads moves nothing.
  const shared = sharedForWorkers();
  if (shared === null) throw new Error('setWasmThreads: worker threads need SharedArrayBuffer and shared WebAssembly memory');
  const { module, memory } = shared;
  const board = new Int32Array(new SharedArrayBuffer((threads - 1) * BLOCK_INTS * 4));
  const next: Pool = { board, block: canBlock(), workers: [], seq: [] };
  for (let w = 0; w < threads - 1; w++) {
    board[w * BLOCK_INTS + DONE] = -1;
    next.seq.push(0);
    next.workers.push(spawn(WORKER_SOURCE, { module, memory, board: board.buffer as SharedArrayBuffer, block: w * BLOCK_INTS }));
  }
  pool = next;
  resetSpeeds(threads);
  const deadline = Date.now() + WAIT_MS;
  for (let w = 0; w < threads - 1; w++) {
    while (Atomics.load(board, w * BLOCK_INTS + DONE) !== 0) {
      if (Date.now() > deadline) {
        stopWorkers();
        throw new Error('setWasmThreads: a worker did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

/**
 * Stops the workers and waits until each has left its loop, so that none is left waiting on a board that a
 * new pool no longer uses (terminate() alone is asynchronous).
 */
function stopWorkers(): void {
  if (pool === null) return;
  const b = pool.board;
  for (let w = 0; w < pool.workers.length; w++) {
    Atomics.store(b, w * BLOCK_INTS + SEQ, -1);
    Atomics.notify(b, w * BLOCK_INTS + SEQ);
  }
  for (let w = 0; w < pool.workers.length; w++) {
    const d = w * BLOCK_INTS + DONE;
    for (;;) {
      const done = Atomics.load(b, d);
      if (done === STOPPED || !waitWhile(pool, d, done, STOP_WAIT_MS)) break;
    }
    pool.workers[w].terminate();
  }
  // The shared instance stays (memory and all); only the workers go.
  pool.workers = [];
  pool.seq = [];
  resetSpeeds(1);
}

/** Calls one step's kernel on the calling thread. */
function runStep(step: Step): void {
  const e = wasm();
  const [k, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14] = step;
  switch (k) {
    case Kernel.sgemm: return e.sgemm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    case Kernel.sgemmAxpy: return e.sgemmAxpy(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    case Kernel.sgemmDot: return e.sgemmDot(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    case Kernel.im2col: return e.im2col(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    case Kernel.col2im: return e.col2im(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    case Kernel.winogradInput: return e.winogradInput(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    case Kernel.winogradOutput: return e.winogradOutput(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    case Kernel.winogradGradOut: return e.winogradGradOut(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    case Kernel.winogradGradInput: return e.winogradGradInput(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    case Kernel.winogradWeightGrad: return e.winogradWeightGrad(a0, a1, a2, a3, a4);
    default: throw new Error(`wasm threads: unknown kernel ${k}`);
  }
}

/** Writes steps [from, from + MAX_STEPS) of `steps` to worker w's block and wakes it; false if none are left. */
function post(p: Pool, w: number, steps: Step[], from: number): boolean {
  const n = Math.min(MAX_STEPS, steps.length - from);
  if (n <= 0) return false;
  const base = w * BLOCK_INTS;
  for (let s = 0; s < n; s++) p.board.set(steps[from + s], base + HEADER + s * STEP_INTS);
  p.board[base + COUNT] = n;
  const seq = ++p.seq[w];
  Atomics.store(p.board, base + SEQ, seq);
  Atomics.notify(p.board, base + SEQ);
  return true;
}

/**
 * Waits until board cell i no longer holds `value`, at most `ms` milliseconds; false on timeout. Sleeps in
 * Atomics.wait where the calling thread may block, else spins.
 */
function waitWhile(p: Pool, i: number, value: number, ms: number): boolean {
  if (p.block) return Atomics.wait(p.board, i, value, ms) !== 'timed-out';
  const deadline = Date.now() + ms;
  while (Atomics.load(p.board, i) === value) if (Date.now() > deadline) return false;
  return true;
}

/** Waits until worker w has finished its last job; returns the milliseconds the worker spent on it. */
function awaitWorker(p: Pool, w: number): number {
  const d = w * BLOCK_INTS + DONE;
  for (let i = 0; i < SPIN && Atomics.load(p.board, d) !== p.seq[w]; i++);
  for (;;) {
    const done = Atomics.load(p.board, d);
    if (done === p.seq[w]) return p.board[w * BLOCK_INTS + ELAPSED_US] / 1000;
    if (!waitWhile(p, d, done, WAIT_MS)) throw new Error('wasm kernels: a worker thread stopped answering');
  }
}

/**
 * Runs lists[t] on thread t: lists[0] on the calling thread, lists[t] on worker t - 1 (lists.length <= the
 * thread count). One list runs step by step, each large packed product split by columns across the threads.
 * Returns once every list is done. `bounds`, where the work was cut among the lists (splitBounds), lets the
 * next split follow how fast each thread ran its share (balance.ts).
 */
export function runOnThreads(lists: Step[][], bounds?: readonly number[]): void {
  if (!logging()) return runLists(lists, bounds);
  // A captured step's trace (launches.ts): one launch (its steps' wasm calls are part of it), which the
  // replays repeat on the same instance.
  noteLaunch(runListsOn as Launch['fn'], [onSharedInstance(), lists, bounds]);
  withLogPaused(() => runLists(lists, bounds));
}

/** runOnThreads as a replay repeats it: on the instance (shared or not) its steps' addresses belong to. */
function runListsOn(shared: boolean, lists: Step[][], bounds?: readonly number[]): void {
  selectInstance(shared);
  runLists(lists, bounds);
}

/** runOnThreads without the launch log. */
function runLists(lists: Step[][], bounds?: readonly number[]): void {
  const p = pool;
  // A call placed on the unshared instance (no resident operand, not split: call.ts) stays on this thread.
  if (p === null || !onSharedInstance()) {
    for (const list of lists) for (const step of list) runStep(step);
    return;
  }
  if (lists.length === 1) {
    for (const step of lists[0]) runSplit(p, step);
    return;
  }
  const posted = lists.map((list, t) => t > 0 && post(p, t - 1, list, 0));
  const start = performance.now();
  for (const step of lists[0]) runStep(step);
  const ms = [performance.now() - start];
  for (let t = 1; t < lists.length; t++) {
    ms.push(0);
    if (!posted[t]) continue;
    ms[t] += awaitWorker(p, t - 1);
    for (let from = MAX_STEPS; post(p, t - 1, lists[t], from); from += MAX_STEPS) ms[t] += awaitWorker(p, t - 1);
  }
  if (bounds !== undefined) recordSpeeds(bounds, ms);
}

/**
 * Cuts n units of work (samples, products) among T threads in proportion to their speeds (balance.ts) and runs
 * listFor(from, to, t) on thread t for its run [from, to) (nothing for an empty run); the cut and the threads'
 * times feed the next split.
 */
export function runInRuns(n: number, T: number, listFor: (from: number, to: number, t: number) => Step[]): void {
  const bounds = splitBounds(n, T);
  runOnThreads(Array.from({ length: T }, (_, t) => (bounds[t + 1] > bounds[t] ? listFor(bounds[t], bounds[t + 1], t) : [])), bounds);
}

/** Runs one step, split by columns of C across the threads when it is a large packed product. */
function runSplit(p: Pool, step: Step): void {
  const [k, M, N, K, a, ars, acs, b, brs, bcs, c, ldc, acc, scratch] = step;
  const T = k === Kernel.sgemm ? Math.min(threadsFor(M * N * K), N >> 4) : 1;
  if (T <= 1) {
    runStep(step);
    return;
  }
  // Column boundaries on multiples of 16 (the micro-kernel's width), so that no thread gets a ragged tile
  // inside the product; each thread's share follows its measured speed (balance.ts).
  const bounds = splitBounds(N, T, 16);
  const posted = [false];
  for (let t = 1; t < T; t++) {
    const j0 = bounds[t];
    posted.push(post(p, t - 1, [[Kernel.sgemm, M, bounds[t + 1] - j0, K, a, ars, acs, b + j0 * bcs * 4, brs, bcs, c + j0 * 4, ldc, acc, scratchAddress(t)]], 0));
  }
  const start = performance.now();
  wasm().sgemm(M, bounds[1], K, a, ars, acs, b, brs, bcs, c, ldc, acc, scratch);
  const ms = [performance.now() - start];
  for (let t = 1; t < T; t++) ms.push(posted[t] ? awaitWorker(p, t - 1) : 0);
  recordSpeeds(bounds, ms);
}
