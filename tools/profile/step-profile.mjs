// Where the bench's CNN+GroupNorm training step spends its time: `node tools/profile/step-profile.mjs [--batch 2]
// [--steps 2000] [--threads 1] [--tidy 1] [--compiled 1] [--winograd 1] [--top 25] [--callers newArray,copyIn] [root]` (root: a checkout whose packages/*/dist is built; default this
// repo). Runs the step of apps/bench/src/suites/cnn.ts (plain SGD, lr 0.01) under V8's sampling profiler
// (node:inspector, in process) and prints the self time per step by category, then the heaviest functions.
// --callers: for each named function, its self time split by its callers (four frames up).
// Self time: a typed array's `set`, `fill` or constructor runs inside V8 and is charged to the JS function that
// called it, so copies into and out of wasm memory show up under the instance.ts helpers that do them.
// Gaps: each sample is charged the time until the next one. When the process is descheduled (a loaded shared
// host) that gap can be tens of milliseconds and would land on whichever function happened to be sampled (one
// 70 ms gap in a cheap function looks like 0.35 ms/step over 200 steps); a gap beyond GAP_US is charged its
// nominal interval there and the rest to the category 'descheduled (sample gaps)', reported beside the others.
import { Session } from 'node:inspector';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPackages, makeStep } from './cnn-step.mjs';

const argv = process.argv.slice(2);
const opt = { batch: 2, steps: 2000, threads: 1, tidy: 0, compiled: 0, winograd: 0, top: 25, warmup: 200, callers: '' };
let root = resolve(new URL('../..', import.meta.url).pathname);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--callers') opt.callers = argv[++i];
  else if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = Number(argv[++i]);
  else root = resolve(argv[i]);
}

// The main entry first: before this session's fix, the node entry alone did not load the kernels.
await import(pathToFileURL(`${root}/packages/tensor/dist/index.js`).href);
const { setThreads } = await import(pathToFileURL(`${root}/packages/tensor/dist/node.js`).href);
if (opt.threads > 1) await setThreads(opt.threads);
// --tidy 1: the step inside tidy(), its activations handed back to the pool at its end.
const packages = await loadPackages(root);
// --winograd 1: the 3x3 convs by Winograd (setConvAlgorithm, for the whole run).
if (opt.winograd === 1) packages.tensor.setConvAlgorithm('winograd');
// --compiled 1: the step captured by compile() (traced in the warm-up, then its kernel calls replayed).
const { step } = makeStep(packages, { batch: opt.batch, tidy: opt.tidy === 1, compiled: opt.compiled === 1 });
for (let i = 0; i < opt.warmup; i++) step();

const session = new Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((res, rej) => session.post(method, params, (err, r) => (err ? rej(err) : res(r))));
await post('Profiler.enable');
const INTERVAL_US = 100;
/** A gap between samples longer than this means the process was not running (see the header). */
const GAP_US = 10 * INTERVAL_US;
await post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
await post('Profiler.start');
const t0 = performance.now();
for (let i = 0; i < opt.steps; i++) step();
const wallMs = (performance.now() - t0) / opt.steps;
const { profile } = await post('Profiler.stop');
if (opt.threads > 1) await setThreads(1);

/** The category of a profile node's self time, from its function name and script. */
function category({ functionName: f, url }) {
  if (f === '(garbage collector)') return 'GC';
  if (f === '(program)' || f === '(idle)' || f === '(root)') return 'V8 other (program, idle)';
  if (url === '' || url.startsWith('wasm://')) {
    if (/^(sgemm|multiply|pack|micro|kernel|gemm)/i.test(f) || /gemm/i.test(f)) return 'wasm gemm';
    if (/im2col|col2im/i.test(f)) return 'wasm im2col/col2im';
    if (/winograd/i.test(f)) return 'wasm Winograd transforms';
    if (/^norm/i.test(f) || /norm/i.test(f)) return 'wasm norm';
    if (url.startsWith('wasm://')) return 'wasm other kernels (pool, relu, channels, sgd)';
    return 'V8 builtins/native';
  }
  // A KernelCall's place/finish stage the operands that are not resident (kernels/wasm/call.ts); evict copies a
  // resident storage out when its tidy() scope ends.
  if (/kernels\/wasm\/(instance|call)/.test(url) || /^(copyIn|copyOut|zeroFill|stage|arenaRegions|reserveArena|f32|evict)$/.test(f)) {
    return 'copies in/out of wasm memory';
  }
  if (/storage|backend\.js|kernels\/wasm\/resident/.test(url) || /^(alloc|newArray|newTypedArray|take|give|detach)$/.test(f)) {
    return 'allocation, zero-fill, pool';
  }
  if (/kernels\/js\//.test(url)) return 'js kernels';
  if (/kernels\/wasm\//.test(url)) return 'wasm wrappers, thread dispatch';
  if (/tensor\/dist\/capture\//.test(url)) return 'replay and guards (compile)';
  if (/packages\/autograd\//.test(url)) return 'autograd (tape, engine, ops)';
  if (/packages\/nn\//.test(url)) return 'nn (modules, functional)';
  if (/packages\/optim\//.test(url)) return 'optim';
  if (/packages\/tensor\//.test(url)) return 'tensor ops (dispatch, shapes, iteration)';
  return 'other JS';
}

const times = profile.timeDeltas;
const selfUs = new Map();
let gapUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  let us = times[i + 1] ?? times[i];
  if (us > GAP_US) {
    gapUs += us - INTERVAL_US;
    us = INTERVAL_US;
  }
  selfUs.set(id, (selfUs.get(id) ?? 0) + us);
}
const byCat = new Map();
if (gapUs > 0) byCat.set('descheduled (sample gaps)', gapUs);
const byFn = new Map();
for (const n of profile.nodes) {
  const us = selfUs.get(n.id) ?? 0;
  if (us === 0) continue;
  const cat = category(n.callFrame);
  byCat.set(cat, (byCat.get(cat) ?? 0) + us);
  const file = n.callFrame.url.replace(/^.*\/packages\//, '');
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${file}:${n.callFrame.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
}
const totalUs = [...byCat.values()].reduce((a, b) => a + b, 0);
const perStep = (us) => (us / 1000 / opt.steps).toFixed(3);
console.log(`batch ${opt.batch}, ${opt.threads} thread(s)${opt.tidy ? ", in tidy()" : ""}${opt.compiled ? ", compiled" : ""}${opt.winograd ? ", Winograd" : ""}, ${opt.steps} steps: ${wallMs.toFixed(3)} ms/step wall (profiled), ${perStep(totalUs)} ms/step sampled`);
console.log('\n| category | ms/step | share |\n|---|---:|---:|');
for (const [cat, us] of [...byCat].sort((a, b) => b[1] - a[1])) {
  console.log(`| ${cat} | ${perStep(us)} | ${((100 * us) / totalUs).toFixed(1)}% |`);
}
console.log(`\nheaviest functions (self ms/step):`);
for (const [fn, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, opt.top)) console.log(`${perStep(us).padStart(7)}  ${fn}`);

const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
const frame = (n) => `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
for (const target of opt.callers.split(',').filter(Boolean)) {
  const byChain = new Map();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== target) continue;
    const chain = [];
    for (let p = parent.get(n.id); p && chain.length < 4; p = parent.get(p.id)) chain.push(frame(p));
    const key = chain.join(' < ');
    byChain.set(key, (byChain.get(key) ?? 0) + (selfUs.get(n.id) ?? 0));
  }
  console.log(`\n${target}, self ms/step by caller:`);
  for (const [chain, us] of [...byChain].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${perStep(us).padStart(7)}  ${chain}`);
}
