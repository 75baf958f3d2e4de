// jax-js on more than one thread, in a child process: `node dist/peers/jaxjs-threads.js --threads N
// [--budget ms] ids...` installs the Web Worker shim (web-worker.ts) with navigator.hardwareConcurrency = N
// before importing jax-js, so that jax-js's wasm device creates a pool of N workers, then times each workload
// on jax-js's asynchronous path (`await array.data()`: kernels split over the N workers, this thread waits)
// with the harness's warm-up and samples. Prints {"threads", "workers": workers jax-js started, "medianMs"}
// as JSON, and fails if jax-js did not start exactly N workers.
// The bench's process runs it after the suites for the rows with threads > 1 (runJaxThreads below), as it
// runs PyTorch: a global Worker and navigator in the bench's own process would change what tfjs detects.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureAsync } from '../harness.js';
import { WORKLOADS, type WorkloadId } from '../workloads.js';
import * as webWorker from './web-worker.js';

const SELF = fileURLToPath(import.meta.url);

export type JaxThreadsResult =
  | { ok: true; medianMs: Partial<Record<WorkloadId, number>> }
  | { ok: false; reason: string };

/** Medians of jax-js on the given rows, each on its row's thread count (one child per thread count). */
export function runJaxThreads(ids: readonly WorkloadId[], budgetMs: number): JaxThreadsResult {
  const groups = new Map<number, WorkloadId[]>();
  for (const id of ids) {
    const t = WORKLOADS[id].threads ?? 1;
    if (t > 1) groups.set(t, [...(groups.get(t) ?? []), id]);
  }
  const medianMs: Partial<Record<WorkloadId, number>> = {};
  for (const [threads, group] of groups) {
    const args = ['--expose-gc', SELF, '--threads', String(threads), '--budget', String(budgetMs), ...group];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000 });
    if (r.error || r.status !== 0) {
      const last = String(r.stderr ?? '').trim().split('\n').pop() ?? '';
      return { ok: false, reason: `node ${args.slice(1).join(' ')}: ${r.error?.message ?? `exited with ${r.status ?? r.signal}`}${last ? `: ${last}` : ''}` };
    }
    Object.assign(medianMs, (JSON.parse(r.stdout) as { medianMs: Partial<Record<WorkloadId, number>> }).medianMs);
  }
  return { ok: true, medianMs };
}

async function child(argv: string[]): Promise<void> {
  let threads = 2;
  let budgetMs = 1000;
  while (argv[0] === '--threads' || argv[0] === '--budget') {
    if (argv[0] === '--threads') threads = Number(argv[1]);
    else budgetMs = Number(argv[1]);
    argv = argv.slice(2);
  }
  webWorker.installWebWorker(threads);
  const { JAX_WORKLOADS, forceAsync, loadJax } = await import('./jaxjs.js');
  await loadJax();
  const gc = (globalThis as { gc?: () => void }).gc;
  const medianMs: Partial<Record<WorkloadId, number>> = {};
  for (const id of argv as WorkloadId[]) {
    const make = JAX_WORKLOADS[id];
    if (!make) throw new Error(`jaxjs-threads: no jax-js workload '${id}'`);
    const call = make();
    await forceAsync(call); // traces and compiles, and starts the workers
    gc?.();
    const slow = id.startsWith('cnn');
    const timing = await measureAsync(() => forceAsync(call), { budgetMs, ...(slow ? { minWarmup: 1, minSamples: id.includes('32') ? 3 : 5 } : {}) });
    medianMs[id] = timing.medianMs;
  }
  if (webWorker.workersStarted !== threads) {
    throw new Error(`jaxjs-threads: jax-js started ${webWorker.workersStarted} workers, expected ${threads}`);
  }
  console.log(JSON.stringify({ threads, workers: webWorker.workersStarted, medianMs }));
  process.exit(0); // the pool's workers are unref'd; exit without waiting for them
}

if (process.argv[1] === SELF) await child(process.argv.slice(2));
