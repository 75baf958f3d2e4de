// Times the CNN+GroupNorm training step of issue 7 from the built packages (`npx tsc -b packages/nn packages/optim` first): `node [--cpu-prof] tools/profile/train-step.mjs [--batch 2] [--steps 300] [--rounds 5] [--groups 8] [--phases 1] [--momentum 0.9] [--tidy 1] [root ...]`.
// Each root is a checkout whose packages/*/dist is built (default: this repo); several roots are timed in
// alternating rounds in one process, so that a before/after comparison sees the same machine load. --tidy 1
// also times each root's step wrapped in tidy() (roots whose tensor package has it), in the same rounds.
import { resolve } from 'node:path';
import { loadPackages, makeStep } from './cnn-step.mjs';

const argv = process.argv.slice(2);
const opt = { batch: 2, steps: 300, rounds: 5, groups: 8, warmup: 50, momentum: 0.9, tidy: 0 };
const roots = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a.startsWith('--')) opt[a.slice(2)] = Number(argv[++i]);
  else roots.push(resolve(a));
}
if (roots.length === 0) roots.push(resolve(new URL('../..', import.meta.url).pathname));

/** The step as a user writes it; with --phases 1 the same step, with the time of each phase summed into `phaseMs`. */
function stepOf(pkgs, tidy) {
  const made = makeStep(pkgs, { batch: opt.batch, groups: opt.groups, momentum: opt.momentum, tidy });
  if (!opt.phases) return made.step;
  const { model, optimizer, x, target, F } = made.parts;
  const phased = () => {
    let t = performance.now();
    const lap = (k) => {
      const now = performance.now();
      phaseMs[k] += now - t;
      t = now;
    };
    optimizer.zeroGrad();
    lap('zeroGrad');
    const out = model.call(x);
    lap('model');
    const loss = F.crossEntropy(out, target);
    lap('loss');
    loss.backward();
    lap('backward');
    optimizer.step();
    lap('step');
  };
  return tidy ? () => pkgs.tensor.tidy(phased) : phased;
}
const phaseMs = { zeroGrad: 0, model: 0, loss: 0, backward: 0, step: 0 };

const steps = [];
const labels = [];
for (const root of roots) {
  const pkgs = await loadPackages(root);
  steps.push(stepOf(pkgs, false));
  labels.push(root);
  if (opt.tidy && pkgs.tensor.tidy) {
    steps.push(stepOf(pkgs, true));
    labels.push(`${root} (tidy)`);
  }
}
for (const step of steps) for (let i = 0; i < opt.warmup; i++) step();

const perRound = steps.map(() => []);
// CPU time of the process per step (all its threads: GC helpers, workers): on a loaded machine it moves far
// less than the wall-clock rate, which also counts the time spent waiting for a core.
const cpuPerRound = steps.map(() => []);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let r = 0; r < opt.rounds; r++) {
  for (let k = 0; k < steps.length; k++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    for (let i = 0; i < opt.steps; i++) steps[k]();
    perRound[k].push((opt.steps * 1000) / (performance.now() - t0));
    cpuPerRound[k].push((cpuMs() - c0) / opt.steps);
  }
}
if (opt.phases) {
  const total = Object.values(phaseMs).reduce((a, b) => a + b, 0);
  const calls = (opt.warmup + opt.rounds * opt.steps) * steps.length;
  for (const [k, ms] of Object.entries(phaseMs)) console.log(`${k.padEnd(9)} ${(ms / calls).toFixed(3)} ms/step  ${((100 * ms) / total).toFixed(1)}%`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (let k = 0; k < steps.length; k++) {
  const m = median(perRound[k]);
  console.log(`${labels[k]}  batch ${opt.batch}: ${m.toFixed(1)} steps/s, ${(m * opt.batch).toFixed(0)} images/s (median of ${opt.rounds} rounds: ${perRound[k].map((v) => v.toFixed(0)).join(' ')}); CPU ${median(cpuPerRound[k]).toFixed(3)} ms/step`);
}
