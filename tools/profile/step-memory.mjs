// Where the bench's CNN step gets its memory: `node tools/profile/step-memory.mjs [--batch 2] [--steps 20]
// [--tidy 1] [root ...]` (roots: checkouts whose packages/*/dist is built; default this repo). Per step, after a
// few warm-up steps: the megabytes of pooled-size arrays (>= 16 KB) that were fresh memory (the pool had none:
// `new Float32Array`, page faults, garbage for the collector) and those the pool handed back, and the minor
// page faults of the process. Counted by wrapping the pool's `take` (every alloc of a poolable size goes
// through it), so the figures do not depend on the machine's load. --tidy 1 also runs each root's step
// inside tidy() (roots whose tensor package has it).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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
  const pkg = (name, entry = 'index') => import(pathToFileURL(`${root}/packages/${name}/dist/${entry}.js`).href);
  const [tensor, autograd, nn, optim, pool] = await Promise.all([pkg('tensor'), pkg('autograd'), pkg('nn'), pkg('optim'), pkg('tensor', 'storage-pool')]);
  const counts = { fresh: 0, pooled: 0 };
  const take = pool.StoragePool.prototype.take;
  pool.StoragePool.prototype.take = function (size, dtype, ...rest) {
    const array = take.call(this, size, dtype, ...rest);
    const bytes = size * BYTES[dtype];
    if (bytes >= POOL_MIN_BYTES) counts[array ? 'pooled' : 'fresh'] += bytes;
    return array;
  };
  const { Conv2d, GroupNorm, ReLU, MaxPool2d, Flatten, Linear, Sequential, F } = nn;
  tensor.manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 32, 3, { padding: 1 }), new GroupNorm(8, 32), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, { padding: 1 }), new GroupNorm(8, 64), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(64 * 7 * 7, 128), new ReLU(), new Linear(128, 10),
  );
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = autograd.randn([opt.batch, 1, 28, 28]);
  const target = tensor.randint(0, 10, [opt.batch]);
  const plain = () => {
    optimizer.zeroGrad();
    F.crossEntropy(model.call(x), target).backward();
    optimizer.step();
  };
  const step = inTidy ? () => tensor.tidy(plain) : plain;
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
  if (opt.tidy) {
    const { tidy } = await import(pathToFileURL(`${root}/packages/tensor/dist/index.js`).href);
    if (tidy) await measure(root, true);
  }
}
