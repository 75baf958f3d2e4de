// Times 10,000 chained [2,2] adds with grad + backward (the per-op overhead of the tape) from the built packages: `node [--cpu-prof] tools/profile/chained-adds.mjs [--rounds 15] [root ...]`.
// Several roots (checkouts with packages/*/dist built; default this repo) are timed in alternating rounds.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = { rounds: 15, chain: 10_000 };
const roots = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = Number(argv[++i]);
  else roots.push(resolve(argv[i]));
}
if (roots.length === 0) roots.push(resolve(new URL('../..', import.meta.url).pathname));

const runs = [];
for (const root of roots) {
  const { randn } = await import(pathToFileURL(`${root}/packages/autograd/dist/index.js`).href);
  const a = randn([2, 2], { requiresGrad: true });
  const b = randn([2, 2], { requiresGrad: true });
  runs.push(() => {
    let x = a;
    for (let i = 0; i < opt.chain; i++) x = x.add(b);
    x.sum().backward();
    a.grad = null;
    b.grad = null;
  });
}
for (const run of runs) for (let i = 0; i < 10; i++) run();
const ms = roots.map(() => []);
for (let r = 0; r < opt.rounds; r++) {
  for (let k = 0; k < runs.length; k++) {
    const t0 = performance.now();
    runs[k]();
    ms[k].push(performance.now() - t0);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (let k = 0; k < roots.length; k++) console.log(`${roots[k]}  ${opt.chain} chained adds + backward: ${median(ms[k]).toFixed(1)} ms (median of ${opt.rounds})`);
