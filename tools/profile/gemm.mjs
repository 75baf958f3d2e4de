// Times the wasm backend's matrix products and convolutions from the built tensor package, on one thread
// and on several: `node tools/profile/gemm.mjs [--rounds 7] [--ms 150] [--threads 1,2] [--stat median|max]
// [--only 512,conv] [root ...]`. Several roots (checkouts with packages/tensor/dist built; default this repo)
// are timed in alternating rounds in one process, and each root's outputs are compared bit for bit with the
// first root's (a changed kernel may round differently: the comparison is reported, not enforced).
// GFLOP/s counts 2 M N K per product. --stat max shows the best round, which a busy machine disturbs least.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = { rounds: 7, ms: 150, threads: '1,2', stat: 'median', only: '' };
const roots = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) {
    const v = argv[++i];
    opt[argv[i - 1].slice(2)] = Number.isNaN(Number(v)) || v.includes(',') ? v : Number(v);
  } else roots.push(resolve(argv[i]));
}
if (roots.length === 0) roots.push(resolve(new URL('../..', import.meta.url).pathname));
const threadCounts = String(opt.threads).split(',').map(Number);

// [name, flops, make(t, wasmKernels) -> () => Tensor]; t is the root's @minigrad/tensor. Conv shapes: the CNN of
// issue 7.
const conv = (N, C, O, H) => ({ x: [N, C, H, H], w: [O, C, 3, 3], g: [N, O, H, H], flops: 2 * N * O * H * H * C * 9 });
// 'sgemm 512 kernel' calls the wasm gemm kernel on preallocated arrays: matmul's allocation of a fresh output
// (page faults on first touch, which are slow on this machine) is left out.
const kernelGemm = (n) => (t, k) => {
  const a = t.randn([n, n]).toTypedArray(), b = t.randn([n, n]).toTypedArray(), c = new Float32Array(n * n);
  return () => (k.gemm(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, false), { toTypedArray: () => c });
};
const cases = [
  ['sgemm 512 kernel', 2 * 512 ** 3, kernelGemm(512)],
  ['sgemm 512', 2 * 512 ** 3, (t) => { const a = t.randn([512, 512]), b = t.randn([512, 512]); return () => t.matmul(a, b); }],
  ['sgemm 256', 2 * 256 ** 3, (t) => { const a = t.randn([256, 256]), b = t.randn([256, 256]); return () => t.matmul(a, b); }],
];
for (const [N, C, O, H] of [[2, 1, 32, 28], [2, 32, 64, 14], [32, 1, 32, 28], [32, 32, 64, 14]]) {
  const s = conv(N, C, O, H);
  const tag = `conv ${N}x${C}x${H}x${H} -> ${O}`;
  cases.push([`${tag} fwd`, s.flops, (t) => { const x = t.randn(s.x), w = t.randn(s.w); return () => t.conv2d(x, w, null, { padding: 1 }); }]);
  if (C > 1) cases.push([`${tag} gradIn`, s.flops, (t) => { const g = t.randn(s.g), w = t.randn(s.w); return () => t.conv2dBackwardInput(g, w, s.x, { padding: 1 }); }]);
  cases.push([`${tag} gradW`, s.flops, (t) => { const g = t.randn(s.g), x = t.randn(s.x); return () => t.conv2dBackwardWeight(g, x, s.w, { padding: 1 }); }]);
}
for (const [M, K, N] of [[2, 3136, 128], [32, 3136, 128]]) {
  cases.push([`linear ${M}x${K} -> ${N} fwd`, 2 * M * N * K, (t) => { const x = t.randn([M, K]), w = t.randn([N, K]); return () => t.matmul(x, w.t()); }]);
  cases.push([`linear ${M}x${K} -> ${N} gradW`, 2 * M * N * K, (t) => { const g = t.randn([M, N]), x = t.randn([M, K]); return () => t.matmul(g.t(), x); }]);
  cases.push([`linear ${M}x${K} -> ${N} gradX`, 2 * M * N * K, (t) => { const g = t.randn([M, N]), w = t.randn([N, K]); return () => t.matmul(g, w); }]);
}
const selected = opt.only ? cases.filter(([name]) => String(opt.only).split(',').some((w) => name.includes(w))) : cases;

const loaded = [];
for (const root of roots) {
  const dist = (p) => import(pathToFileURL(`${root}/packages/tensor/dist/${p}`).href);
  // The conv gradients live in tensor/internal; the cases call them through `t` like the public ops.
  const t = { ...(await dist('index.js')), ...(await dist('internal.js')) };
  const node = await dist('node.js');
  const { wasmKernels } = await dist('kernels/wasm/index.js');
  t.setBackend('wasm');
  t.manualSeed(0);
  loaded.push({ t, node, runs: selected.map(([, , make]) => make(t, wasmKernels)) });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const stat = opt.stat === 'max' ? (xs) => Math.max(...xs) : median;
for (const threads of threadCounts) {
  for (const l of loaded) await l.node.setThreads(threads);
  const gflops = selected.map(() => roots.map(() => []));
  const same = selected.map(() => true);
  selected.forEach(([, , ], c) => {
    const first = loaded[0].runs[c]().toTypedArray();
    for (let k = 1; k < loaded.length; k++) {
      const other = loaded[k].runs[c]().toTypedArray();
      same[c] &&= other.length === first.length && other.every((v, i) => Object.is(v, first[i]));
    }
  });
  for (let r = 0; r < opt.rounds; r++) {
    selected.forEach(([, flops], c) => {
      const order = r % 2 ? [...loaded.keys()].reverse() : [...loaded.keys()];
      const reps = Math.max(2, Math.round((opt.ms * 1e-3 * 3e10) / flops / loaded.length / opt.rounds));
      for (const k of order) {
        const run = loaded[k].runs[c];
        run();
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) run();
        gflops[c][k].push((flops * reps) / (performance.now() - t0) / 1e6);
      }
    });
  }
  console.log(`\n${threads} thread(s), GFLOP/s (${opt.stat} of ${opt.rounds} rounds)`);
  console.log('case'.padEnd(34) + roots.map((_, k) => `root ${k}`.padStart(10)).join('') + (roots.length > 1 ? '  same bits' : ''));
  selected.forEach(([name], c) => {
    console.log(name.padEnd(34) + gflops[c].map((xs) => stat(xs).toFixed(1).padStart(10)).join('') + (roots.length > 1 ? `  ${same[c] ? 'yes' : 'no'}` : ''));
  });
}
roots.forEach((root, k) => console.log(`root ${k}: ${root}`));
for (const l of loaded) await l.node.setThreads(1);
