import { Worker } from 'node:worker_threads';
import { wasmAvailable } from '@minigrad/tensor';
import { setThreads } from '@minigrad/tensor/node';
import { runCheckpoints } from './checkpoint.js';
import type { Options } from './cli.js';
import type { Data } from './data.js';
import type { Run, RunResult } from './report/results.js';
import { executeRun, trainSettings } from './run.js';
import type { OnSteps } from './train.js';
import { UsageError } from './usage-error.js';

/** What the pool tells its caller: a run started, made progress, or finished. */
export interface PoolEvents {
  started(index: number): void;
  steps: (index: number, ...args: Parameters<OnSteps>) => void;
  finished(index: number, result: RunResult): void;
}

/** A message from a worker (worker.ts) to the pool. */
export type WorkerMessage =
  | { type: 'steps'; index: number; args: Parameters<OnSteps> }
  | { type: 'done'; index: number; result: RunResult }
  | { type: 'failed'; index: number; error: { message: string; stack?: string; usage: boolean } };

/** A run handed to a worker; `data` holds SharedArrayBuffers, so no image is copied. */
export interface WorkerJob {
  options: Options;
  data: Data;
  run: Run;
  index: number;
}

/**
 * Trains every planned run and returns the results in plan order. With one worker the runs train here,
 * one after the other; with more, each worker thread takes the next run as it finishes one. A run's numbers
 * do not depend on where it trains (every run seeds its own generators, and the kernels give the same bits
 * for any thread count), so results are the same for any --workers.
 */
export async function runAll(o: Options, data: Data, plan: readonly Run[], events: PoolEvents): Promise<RunResult[]> {
  if (o.workers === 1 || plan.length === 1) {
    if (wasmAvailable()) await setThreads(o.threads);
    return plan.map((run, index) => {
      events.started(index);
      const result = executeRun(o, data, run, (...args) => events.steps(index, ...args), runCheckpoints(o, run, trainSettings(o, run)));
      events.finished(index, result);
      return result;
    });
  }
  const results: RunResult[] = new Array(plan.length);
  let next = 0;
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const thread = new Worker(new URL('./worker.js', import.meta.url));
      const take = () => {
        if (next === plan.length) {
          void thread.terminate().then(() => resolve());
          return;
        }
        const index = next++;
        events.started(index);
        thread.postMessage({ options: o, data, run: plan[index]!, index } satisfies WorkerJob);
      };
      thread.on('message', (m: WorkerMessage) => {
        if (m.type === 'steps') events.steps(m.index, ...m.args);
        else if (m.type === 'done') {
          results[m.index] = m.result;
          events.finished(m.index, m.result);
          take();
        } else {
          void thread.terminate();
          // a user's mistake (e.g. a checkpoint from other options) stays a one-line UsageError
          reject(m.error.usage ? new UsageError(m.error.message) : Object.assign(new Error(m.error.message), { stack: m.error.stack }));
        }
      });
      thread.on('error', reject);
      take();
    });
  await Promise.all(Array.from({ length: Math.min(o.workers, plan.length) }, worker));
  return results;
}
