/**
 * The experiment of Wu & He, "Group Normalization" (ECCV 2018), Section 4, on MNIST: train the same CNN
 * with BatchNorm, GroupNorm, LayerNorm, InstanceNorm or no normalization, at batch sizes from 32 down
 * to 2, and compare the test error. BN estimates its statistics from the batch, so they get noisy as the
 * batch shrinks; GN, LN and IN normalize within each image and do not depend on the batch size.
 */
import { realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { wasmAvailable } from '@minigrad/tensor';
import { setThreads } from '@minigrad/tensor/node';
import { NORM_LABELS } from './architecture.js';
import { runCheckpoints } from './checkpoint.js';
import { HELP, parseCli, type Options } from './cli.js';
import { loadMnist, SPLIT_SEED } from './data.js';
import { buildModel, describeModel } from './model.js';
import { createProgress, type Output } from './progress.js';
import { ensureWritableDir } from './report/files.js';
import type { Run, RunResult } from './report/results.js';
import { formatTable } from './report/table.js';
import { writeReport } from './report/write.js';
import { train, type TrainSettings } from './train.js';
import { UsageError } from './usage-error.js';

/** Every norm at the smallest batch size, the swept norms (BN, GN) at every size (the paper's Table 2). */
export function planRuns(o: Options): Run[] {
  const smallest = Math.min(...o.batchSizes);
  const sizes = [...o.batchSizes].sort((a, b) => b - a);
  return sizes.flatMap((batchSize) =>
    o.norms
      .filter((norm) => batchSize === smallest || o.sweep.includes(norm))
      .flatMap((norm) => o.seeds.map((seed) => ({ norm, batchSize, seed }))),
  );
}

/** SGD with momentum; the learning rate scales linearly with the batch size (lr x N / 32), as in the paper. */
export function trainSettings(o: Options, run: Run): TrainSettings {
  const lr = (o.lr * run.batchSize) / 32;
  return { batchSize: run.batchSize, epochs: o.epochs, lr, momentum: o.momentum, weightDecay: o.weightDecay, evalsPerEpoch: o.evalsPerEpoch, seed: run.seed };
}

export async function main(argv: string[], out: Output = process.stdout): Promise<void> {
  const parsed = parseCli(argv);
  if (parsed.help) {
    out.write(HELP);
    return;
  }
  const o = parsed.options;
  ensureWritableDir(o.out);
  if (wasmAvailable()) await setThreads(o.threads);
  const started = performance.now();

  // Data: a fixed split of the package's 10,000 digits, normalized with the training mean and std.
  const data = loadMnist(o.trainSize, o.testSize);

  const progress = createProgress(out);
  const plan = planRuns(o);
  const runs: RunResult[] = [];
  for (const [i, run] of plan.entries()) {
    // The model with the run's normalization, initialized from the run's seed, and how it is trained.
    const model = buildModel({ norm: run.norm, groups: o.groups, normalizeHidden: o.normalizeHidden, seed: run.seed });
    const settings = trainSettings(o, run);
    const label = `[${i + 1}/${plan.length}] ${NORM_LABELS[run.norm].padEnd(4)} batch ${String(run.batchSize).padStart(2)} seed ${run.seed}`;
    const bar = progress.startRun(label, o.epochs * Math.floor(o.trainSize / run.batchSize));
    const state = train(model, data, settings, bar, runCheckpoints(o, run, settings));
    // The test error at the end of training, in eval mode (BN with its running statistics).
    const final = state.curve.at(-1)!;
    bar.finish(`test error ${final.testError.toFixed(2)}%  (${state.seconds.toFixed(1)} s)`);
    runs.push({
      ...run, lr: settings.lr, steps: state.steps, testError: final.testError, testLoss: final.testLoss, curve: state.curve,
      gradients: state.gradients, seconds: state.seconds, imagesPerSecond: (state.steps * run.batchSize) / state.seconds,
    });
  }

  // The report: the table of test errors (norm x batch size), results.json and report.html.
  const { results, files } = writeReport(o.out, {
    title: 'Group Normalization vs. Batch Normalization on MNIST',
    createdAt: new Date().toISOString(),
    command: ['mnist-demo', ...argv].join(' '),
    options: o,
    data: { trainSize: o.trainSize, testSize: o.testSize, splitSeed: SPLIT_SEED, mean: data.mean, std: data.std },
    model: describeModel(o.normalizeHidden),
    runs,
    totalSeconds: (performance.now() - started) / 1000,
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length },
  });
  const count = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  out.write(`\n${formatTable(results.summary)}\n\n${count} in ${results.totalSeconds.toFixed(0)} s. Wrote ${files.join(' and ')}\n`);
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
