// Times the training step's pooling, relu-gradient and per-channel kernels on the wasm backend, from the built
// packages: `node tools/profile/elementwise.mjs [--rounds 9] [--filter text] [root ...]`. Several roots
// (checkouts with packages/*/dist built; default this repo) are timed in alternating rounds in one process on
// the same inputs, and each root's outputs are compared bit for bit with the first root's. The shapes are the
// CNN's at batch 2 and 32; the kernels are called directly on preallocated arrays (allocating a fresh output
// per call costs more than most of these kernels, and varies a lot on a loaded machine).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = { rounds: 9, filter: '' };
const roots = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) {
    const key = argv[i].slice(2);
    opt[key] = key === 'filter' ? argv[++i] : Number(argv[++i]);
  } else roots.push(resolve(argv[i]));
}
if (roots.length === 0) roots.push(resolve(new URL('../..', import.meta.url).pathname));

// One pool of random values: every root's case draws the same inputs from it.
const pool = new Float32Array(1 << 22);
for (let i = 0; i < pool.length; i++) pool[i] = Math.random() + Math.random() - 1;
let cursor = 0;
const sample = (n) => {
  cursor = (cursor + 7919) % (pool.length - n);
  return pool.slice(cursor, cursor + n);
};

const loaded = [];
for (const root of roots) {
  const tensor = await import(pathToFileURL(`${root}/packages/tensor/dist/index.js`).href);
  // Builds before relu's gradient moved into the tensor package register it from autograd.
  await import(pathToFileURL(`${root}/packages/autograd/dist/index.js`).href);
  tensor.setBackend('wasm');
  const kernel = (...names) => {
    for (const name of names) {
      try {
        return tensor.getKernel(name);
      } catch {}
    }
    throw new Error(`${root}: none of ${names.join(', ')}`);
  };
  loaded.push({ tensor, kernel });
}

// [name, elements, make({ tensor, kernel }) -> () => output typed array]
const cases = [];
for (const B of [2, 32]) {
  for (const [C, H] of [[32, 28], [64, 14]]) {
    const shape = [B, C, H, H];
    const n = B * C * H * H;
    const L = H * H;
    const geometry = { planes: B * C, H, W: H, oH: H / 2, oW: H / 2, kH: 2, kW: 2, strideH: 2, strideW: 2, padH: 0, padW: 0, dilationH: 1, dilationW: 1 };
    cases.push([`maxPool2d ${shape.join('x')}`, n, ({ kernel }) => {
      const k = kernel('maxPool2d');
      const x = sample(n), values = new Float32Array(n / 4), indices = new Int32Array(n / 4);
      return () => (k(geometry, x, values, indices), values);
    }]);
    cases.push([`maxPool2dBackward ${shape.join('x')}`, n, ({ kernel }) => {
      const k = kernel('maxPool2dBackward');
      const indices = new Int32Array(n / 4);
      kernel('maxPool2d')(geometry, sample(n), new Float32Array(n / 4), indices);
      const gradOut = sample(n / 4), gradIn = new Float32Array(n);
      // Zeroed first: older builds add onto gradIn.
      return () => (gradIn.fill(0), k(B * C, L, L / 4, gradOut, indices, gradIn), gradIn);
    }]);
    cases.push([`reluBackward ${shape.join('x')}`, n, ({ kernel }) => {
      const k = kernel('reluBackward', 'autograd.maskPositive');
      const g = sample(n), y = sample(n), out = new Float32Array(n);
      return () => (k(n, g, 0, y, 0, out), out);
    }]);
    cases.push([`sumChannels ${shape.join('x')}`, n, ({ kernel }) => {
      const k = kernel('sumChannels');
      const x = sample(n), out = new Float32Array(C);
      return () => (k(B, C, L, x, 0, out, 1), out);
    }]);
    cases.push([`addChannelBias ${shape.join('x')}`, n, ({ kernel }) => {
      const k = kernel('addChannelBias');
      const x = sample(n), bias = sample(C), out = new Float32Array(n);
      return () => (out.set(x), k(B, C, L, bias, out), out);
    }]);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`medians over ${opt.rounds} alternating rounds; roots: ${roots.join('  ')}`);
for (const [name, n, make] of cases) {
  if (!name.includes(opt.filter)) continue;
  const start = cursor;
  const runs = loaded.map((k) => {
    cursor = start;
    return make(k);
  });
  const ref = new Uint8Array(runs[0]().slice().buffer);
  runs.forEach((run, k) => {
    const got = new Uint8Array(run().slice().buffer);
    if (k > 0 && (got.length !== ref.length || got.some((b, i) => b !== ref[i]))) console.log(`  ${name}: root ${k} differs from root 0`);
  });
  const reps = Math.max(3, Math.round(2e6 / n));
  for (const run of runs) for (let i = 0; i < reps; i++) run();
  const us = runs.map(() => []);
  for (let r = 0; r < opt.rounds; r++) {
    runs.forEach((run, k) => {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) run();
      us[k].push(((performance.now() - t0) * 1000) / reps);
    });
  }
  console.log(`${name.padEnd(32)} ${us.map((u) => `${median(u).toFixed(1)} us`.padStart(12)).join('')}`);
}
