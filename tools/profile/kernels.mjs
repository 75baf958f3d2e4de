// Times single tensor kernels (the training step's relu and conv-bias sum) from the built packages:
// `node tools/profile/kernels.mjs [--rounds 9] [--reps 200] [root ...]`. Several roots (checkouts with
// packages/tensor/dist built; default this repo) are timed in alternating rounds in one process, and each
// root's outputs are compared bit for bit with the first root's.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = { rounds: 9, reps: 200 };
const roots = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = Number(argv[++i]);
  else roots.push(resolve(argv[i]));
}
if (roots.length === 0) roots.push(resolve(new URL('../..', import.meta.url).pathname));

/** Normal-ish samples with a few -0, NaN and infinities mixed in. */
function sample(Ctor, n) {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() + Math.random() - 1;
  for (const [i, v] of [[0, -0], [1, NaN], [2, Infinity], [3, -Infinity]]) if (i < n) a[i] = v;
  return a;
}

// [name, make(kernels) -> () => output]; the shapes are those of the batch-2 training step.
const cases = [];
for (const [dt, Ctor] of [['f32', Float32Array], ['f64', Float64Array]]) {
  for (const n of [256, 1024, 4096, 25088, 50176]) {
    // Several inputs in turn, so that the branch predictor cannot learn one sign pattern by heart.
    const xs = Array.from({ length: 8 }, () => sample(Ctor, n));
    const out = new Ctor(n);
    cases.push([`relu ${dt} n=${n}`, ({ unaryKernels }) => {
      let k = 0;
      return () => { unaryKernels.relu(n, xs[k], 0, 1, out, 0, 1, 0, 0); k = (k + 1) & 7; return out; };
    }]);
  }
}
for (const shape of [[2, 32, 28, 28], [2, 64, 14, 14], [32, 64, 14, 14], [3, 1, 5, 7], [1, 4, 9, 2], [5, 6, 1, 1], [4, 3, 10]]) {
  const [N, C] = shape;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const x = sample(Float32Array, N * C * inner).map((v) => (Number.isFinite(v) ? v : 0.5));
  cases.push([`sum [0,2,..] f32 ${shape.join('x')}`, ({ reduceDims }) => {
    const t = reduceDims.tensor(x, shape);
    return () => reduceDims.sum(t).data;
  }]);
}

const loaded = [];
for (const root of roots) {
  const dist = (p) => import(pathToFileURL(`${root}/packages/tensor/dist/${p}`).href);
  const { unaryKernels } = await dist('kernels/js/elementwise.js');
  const tensor = await dist('index.js');
  tensor.setBackend('js');
  const reduceDims = {
    tensor: (data, shape) => tensor.tensor(Array.from(data), { dtype: 'float32' }).reshape(shape),
    sum: (t) => t.sum([...t.shape.keys()].filter((d) => d !== 1)),
  };
  loaded.push({ unaryKernels, reduceDims });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, make] of cases) {
  const bytes = (k) => new Uint8Array(make(loaded[k])().slice().buffer);
  const ref = bytes(0);
  loaded.forEach((_, k) => {
    const got = bytes(k);
    if (got.length !== ref.length || got.some((b, i) => b !== ref[i])) console.log(`  ${name}: root ${k} differs from root 0`);
  });
  const runs = loaded.map((k) => make(k));
  for (const run of runs) for (let i = 0; i < 50; i++) run();
  const us = runs.map(() => []);
  for (let r = 0; r < opt.rounds; r++) {
    for (let k = 0; k < runs.length; k++) {
      const t0 = performance.now();
      for (let i = 0; i < opt.reps; i++) runs[k]();
      us[k].push(((performance.now() - t0) * 1000) / opt.reps);
    }
  }
  console.log(`${name.padEnd(30)} ${us.map((u) => `${median(u).toFixed(2)} us`).join('  ')}`);
}
