// Issue 14's ratios measured interleaved: `node --expose-gc tools/profile/step-vs-torch.mjs [--rounds 5]
// [--budget 1] [workload ids...]` (default: the four CNN step rows and the two sgemm rows), from apps/bench's
// built dist (`pnpm build` first). Each round times every workload on minigrad (the bench's cases, its
// harness, its budget in seconds) and then on PyTorch (apps/bench's torch peer: one child process per
// thread count, OpenBLAS in its environment), so both sides of a ratio see the same minutes of machine
// load; it prints each round's ratios and their medians, with the load average before and after.
// Speeds in each row's bench unit (steps/s, images/s, GFLOP/s); the sgemm two-thread row is also divided by the
// one-thread row of the same round (issue 14's sgemm target).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = { rounds: 5, budget: 1 };
const ids = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = Number(argv[++i]);
  else ids.push(argv[i]);
}
if (ids.length === 0) ids.push('sgemm512', 'sgemm512TwoThreads', 'cnnBatch2', 'cnnBatch2TwoThreads', 'cnnBatch32', 'cnnBatch32TwoThreads');

const dist = resolve(new URL('../../apps/bench/dist', import.meta.url).pathname);
const load = (file) => import(pathToFileURL(`${dist}/${file}`).href);
const [{ runCase }, { runTorch }, { WORKLOADS }] = await Promise.all([load('harness.js'), load('peers/torch.js'), load('workloads.js')]);
// The tensor package the suites import (the same module: Node resolves the workspace link to this path).
const { setThreads } = await import(pathToFileURL(resolve(dist, '../../../packages/tensor/dist/node.js')).href);
const suites = await Promise.all(['tensor', 'backends', 'cnn'].map((s) => load(`suites/${s}.js`)));
// The bench's case of each workload, without its peers (PyTorch is timed below, the others are not needed).
const cases = new Map();
for (const { cases: list } of suites) for (const c of list) if (c.workload && ids.includes(c.workload)) cases.set(c.workload, { ...c, peers: undefined });
for (const id of ids) if (!cases.has(id)) throw new Error(`no bench case measures workload ${id}`);

const speed = (id, ms) => WORKLOADS[id].fromMs(ms);
const la = () => loadavg()[0].toFixed(1);
const rows = new Map(ids.map((id) => [id, []]));
const scaling = [];
console.log(`${ids.length} workloads, ${opt.rounds} rounds of minigrad then PyTorch, ${opt.budget} s each; load average ${la()}`);
for (let r = 0; r < opt.rounds; r++) {
  const mine = {};
  for (const id of ids) {
    globalThis.gc?.();
    const result = await runCase(cases.get(id), { budgetMs: opt.budget * 1000 });
    mine[id] = result.timing.medianMs;
    await setThreads(1); // a two-thread case's setup left two threads on
  }
  const torch = runTorch(ids, { budgetS: opt.budget });
  if (!torch.ok) throw new Error(`PyTorch: ${torch.reason}`);
  const line = [];
  for (const id of ids) {
    const ratio = torch.medianMs[id] / mine[id];
    rows.get(id).push({ ms: mine[id], torchMs: torch.medianMs[id], ratio });
    line.push(`${id} ${ratio.toFixed(2)}x`);
  }
  if (mine.sgemm512 && mine.sgemm512TwoThreads) {
    scaling.push(mine.sgemm512 / mine.sgemm512TwoThreads);
    line.push(`sgemm 2/1 threads ${scaling.at(-1).toFixed(2)}x`);
  }
  console.log(`round ${r + 1} (load ${la()}): ${line.join(', ')}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`\n| workload | minigrad | PyTorch | minigrad/PyTorch (median of rounds; min-max) |\n|---|---:|---:|---:|`);
for (const [id, rs] of rows) {
  const unit = WORKLOADS[id].unit;
  const ratios = rs.map((x) => x.ratio);
  console.log(`| ${WORKLOADS[id].label} | ${speed(id, median(rs.map((x) => x.ms))).toFixed(1)} ${unit} | ${speed(id, median(rs.map((x) => x.torchMs))).toFixed(1)} ${unit} | ${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}) |`);
}
if (scaling.length > 0) console.log(`\nminigrad sgemm 512, 2 threads / 1 thread: ${median(scaling).toFixed(2)}x (${Math.min(...scaling).toFixed(2)}-${Math.max(...scaling).toFixed(2)})`);
console.log(`load average at the end ${la()}`);
