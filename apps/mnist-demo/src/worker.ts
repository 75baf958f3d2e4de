// A worker thread of the pool (pool.ts): trains the runs it is sent, one at a time, and posts back the
// progress and the result of each.
import { parentPort } from 'node:worker_threads';
import { wasmAvailable } from '@minigrad/tensor';
import { setThreads } from '@minigrad/tensor/node';
import { runCheckpoints } from './checkpoint.js';
import type { WorkerJob, WorkerMessage } from './pool.js';
import { executeRun, trainSettings } from './run.js';
import { UsageError } from './usage-error.js';

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
let threadsSet = false;

port.on('message', async ({ options, data, run, index }: WorkerJob) => {
  try {
    if (!threadsSet && wasmAvailable()) await setThreads(options.threads);
    threadsSet = true;
    let lastPost = 0;
    const result = executeRun(options, data, run, (...args) => {
      // at most ~10 messages a second: posting every step of a batch-2 run would cost more than the step
      const now = performance.now();
      if (now - lastPost < 100) return;
      lastPost = now;
      post({ type: 'steps', index, args });
    }, runCheckpoints(options, run, trainSettings(options, run)));
    post({ type: 'done', index, result });
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    post({ type: 'failed', index, error: { message: error.message, stack: error.stack, usage: e instanceof UsageError } });
  }
});
