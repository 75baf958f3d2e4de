/**
 * The experiment of Wu & He, "Group Normalization" (ECCV 2018), Section 4, at laptop scale: train the same
 * small ResNet with BatchNorm, GroupNorm, LayerNorm, InstanceNorm or no normalization after every conv, at
 * batch sizes from 32 down to 2, and compare the test error. BN estimates its statistics from the batch, so
 * they get noisy as the batch shrinks; GN, LN and IN normalize within each image and do not depend on the
 * batch size. For BN the run also measures that noise and what it costs (mechanism.ts).
 */
import { realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NORM_LABELS } from './architecture.js';
import { HELP, parseCli, type Options } from './cli.js';
import { SPLIT_SEED } from './data.js';
import { DATASET_TITLES, loadData } from './datasets.js';
import { describeModel } from './models/index.js';
import { runAll } from './pool.js';
import { createProgress, duration, type Output } from './progress.js';
import { ensureWritableDir } from './report/files.js';
import type { Run } from './report/results.js';
import { formatFindings, formatMechanism, formatNoise, formatTable } from './report/table.js';
import { writeReport } from './report/write.js';
import { runSteps } from './run.js';
import { UsageError } from './usage-error.js';

/**
 * Every norm at the largest batch size (the paper's Table 1), the swept norms (BN, GN) at every size
 * (Table 2), largest first; each configuration once per seed.
 */
export function planRuns(o: Options): Run[] {
  const sizes = [...o.batchSizes].sort((a, b) => b - a);
  return sizes.flatMap((batchSize) =>
    o.norms
      .filter((norm) => batchSize === sizes[0] || o.sweep.includes(norm))
      .flatMap((norm) => o.seeds.map((seed) => ({ norm, batchSize, seed }))),
  );
}

export async function main(argv: string[], out: Output = process.stdout): Promise<void> {
  const parsed = parseCli(argv);
  if (parsed.help) {
    out.write(HELP);
    return;
  }
  const o = parsed.options;
  ensureWritableDir(o.out);
  const started = performance.now();
  if (o.preset === 'quick') out.write('--quick: a smoke run on a few hundred images; its numbers mean nothing.\n');

  // Data: a fixed split of the data set, normalized with the training mean and std, shared with the workers.
  const data = loadData(o.dataset, o.trainSize, o.testSize, { cacheDir: o.cache, shared: o.workers > 1 });

  const plan = planRuns(o);
  const labels = plan.map((r) => `${NORM_LABELS[r.norm].padEnd(4)} batch ${String(r.batchSize).padStart(2)} seed ${r.seed}`);
  const progress = createProgress(plan.map((r, i) => ({ label: labels[i]!, steps: runSteps(o, r), epochs: o.epochs, batchSize: r.batchSize })), out);
  const runs = await runAll(o, data, plan, {
    started: (i) => progress.started(i),
    steps: (i, done, stats) => progress.steps(i, done, stats),
    finished: (i, r) => {
      const bn = r.testErrorPreciseBn === undefined ? '' : `, train mode ${r.testErrorTrainMode!.toFixed(2)}%, precise BN ${r.testErrorPreciseBn.toFixed(2)}%`;
      progress.finished(i, `test error ${r.testError.toFixed(2)}%${bn} (${r.seconds.toFixed(1)} s)`);
    },
  }).finally(() => progress.stop());

  // The report: the tables of test errors (norm x batch size), results.json and report.html.
  const { results, files } = writeReport(o.out, {
    title: `Group Normalization vs. Batch Normalization on ${DATASET_TITLES[o.dataset]}`,
    createdAt: new Date().toISOString(),
    command: ['mnist-demo', ...argv].join(' '),
    config: configOf(o),
    data: { dataset: o.dataset, trainSize: o.trainSize, testSize: o.testSize, splitSeed: SPLIT_SEED, mean: data.mean, std: data.std },
    model: describeModel(o.model, o.blocks),
    runs,
    totalSeconds: (performance.now() - started) / 1000,
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
  });
  const count = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  // pnpm runs the app in its own folder; INIT_CWD is where the user typed the command
  const from = process.env.INIT_CWD ?? process.cwd();
  const shown = files.map((f) => (relative(from, f).startsWith('..') ? resolve(f) : relative(from, resolve(f))));
  const sections = [formatTable(results.summary), formatFindings(results), formatMechanism(results.summary), formatNoise(results.bnNoise)];
  out.write(`\n${sections.filter((s) => s !== '').join('\n\n')}\n\n${count} in ${duration(results.totalSeconds)}. Wrote ${shown.join(' and ')}\n`);
}

/** The options that shape the numbers, as results.json records them. */
function configOf(o: Options) {
  const { out: _out, save: _save, resume: _resume, ...config } = o;
  return { ...config, normLayers: o.model === 'resnet' ? ('conv' as const) : ('conv+hidden' as const) };
}

/** Runs main; a user mistake becomes one line on stderr and exit code 1, never a stack trace. */
export async function cli(argv: string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  try {
    await main(argv, out);
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`mnist-demo: ${e.message}\n`);
    return 1;
  }
}

// Run when started as a program (node dist/main.js, possibly through a symlink), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await cli(process.argv.slice(2));
}
