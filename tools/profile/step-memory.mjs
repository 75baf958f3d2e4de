// Where the bench's CNN step gets its memory: `node tools/profile/step-memory.mjs [--batch 2] [--steps 20]
// [--tidy 1] [root ...]` (roots: checkouts whose packages/*/dist is built; default this repo). Per step, after a
// few warm-up steps: the megabytes of pooled-size arrays (>= 16 KB) that were fresh memory (the pool had none:
// `new Float32Array`, page faults, garbage for the collector) and those the pool handed back, and the minor
// page faults of the process. Counted by wrapping the pool's `take` (every alloc of a poolable size goes
// through it), so the figures do not depend on the machine's load. --tidy 1 also runs each root's step
// inside tidy() (roots whose tensor package has it).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPackages, makeStep } from './cnn-step.mjs';

const argv = process.argv.slice(2);
const opt = { batch: 2, steps: 20, warmup: 5, tidy: 0 };
const roots = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = Number(argv[++i]);
  else roots.push(resolve(argv[i]));
}
if (roots.length === 0) roots.push(resolve(new URL('../..', import.meta.url).pathname));

const BYTES = { float32: 4, float64: 8, int32: 4, bool: 1 };
const POOL_MIN_BYTES = 16384;

async function measure(root, inTidy) {
  const pkgs = await loadPackages(root);
  const pool = await import(pathToFileURL(`${root}/packages/tensor/dist/storage-pool.js`).href);
  const counts = { fresh: 0, pooled: 0 };
  const take = pool.StoragePool.prototype.take;
  pool.StoragePool.prototype.take = function (size, dtype, ...rest) {
    const array = take.call(this, size, dtype, ...rest);
    const bytes = size * BYTES[dtype];
    if (bytes >= POOL_MIN_BYTES) counts[array ? 'pooled' : 'fresh'] += bytes;
    return array;
  };
  const { step } = makeStep(pkgs, { batch: opt.batch, tidy: inTidy });
  for (let i = 0; i < opt.warmup; i++) step();
  counts.fresh = counts.pooled = 0;
  const faults = process.resourceUsage().minorPageFault;
  for (let i = 0; i < opt.steps; i++) step();
  const perStep = (bytes) => (bytes / opt.steps / 1e6).toFixed(2);
  const faultsPerStep = ((process.resourceUsage().minorPageFault - faults) / opt.steps).toFixed(0);
  pool.StoragePool.prototype.take = take;
  console.log(`${root}${inTidy ? ' (tidy)' : ''}  batch ${opt.batch}: fresh ${perStep(counts.fresh)} MB/step, from the pool ${perStep(counts.pooled)} MB/step, ${faultsPerStep} minor page faults/step`);
}

for (const root of roots) {
  await measure(root, false);
  if (opt.tidy && (await loadPackages(root)).tensor.tidy) await measure(root, true);
}
