import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CONV_CHANNELS, groupsFor, HIDDEN_UNITS, NORMS, type NormName } from './architecture.js';
import { MNIST_SIZE } from './data.js';
import { UsageError } from './usage-error.js';

/** Everything a run of the experiment depends on; results.json records it. */
export interface Options {
  preset: PresetName;
  /** Normalizations to compare. */
  norms: NormName[];
  /** Norms trained at every batch size (the paper's Table 2 sweeps BN and GN); the others only at the smallest one. */
  sweep: NormName[];
  batchSizes: number[];
  epochs: number;
  seeds: number[];
  trainSize: number;
  testSize: number;
  /** GN's group count G, capped at each layer's channel count. */
  groups: number;
  /** Normalize the hidden linear layer too, not only the two conv layers. */
  normalizeHidden: boolean;
  /** Learning rate at batch size 32; a run at batch size N uses lr x N / 32 (the paper's linear scaling). */
  lr: number;
  momentum: number;
  weightDecay: number;
  /** How many times per epoch the curves are sampled (test error, gradient norms). */
  evalsPerEpoch: number;
  out: string;
  save: boolean;
  resume: boolean;
  /** Threads for the large matrix products (the numbers do not depend on it). */
  threads: number;
}

export type PresetName = 'quick' | 'default' | 'full';
type Preset = Pick<Options, 'norms' | 'sweep' | 'batchSizes' | 'epochs' | 'seeds' | 'trainSize' | 'testSize'>;

const ALL_NORMS = [...NORMS];
const PRESETS: Record<PresetName, Preset> = {
  quick: { norms: ['batch', 'group'], sweep: ['batch', 'group'], batchSizes: [2, 32], epochs: 1, seeds: [0], trainSize: 1000, testSize: 500 },
  default: { norms: ALL_NORMS, sweep: ['batch', 'group'], batchSizes: [2, 32], epochs: 2, seeds: [0, 1], trainSize: 1500, testSize: 500 },
  full: { norms: ALL_NORMS, sweep: ['batch', 'group'], batchSizes: [32, 16, 8, 4, 2], epochs: 3, seeds: [0, 1, 2], trainSize: 2000, testSize: 1000 },
};
/** minigrad's WebAssembly backend runs up to 16 threads. */
const MAX_THREADS = 16;

function defaultThreads(): number {
  return Math.min(availableParallelism(), MAX_THREADS);
}

const DEFAULTS = { groups: 4, lr: 0.05, momentum: 0.9, weightDecay: 1e-4, evalsPerEpoch: 2, out: 'out' };

const SPEC = {
  help: { type: 'boolean', short: 'h' },
  quick: { type: 'boolean' },
  full: { type: 'boolean' },
  norms: { type: 'string' },
  sweep: { type: 'string' },
  'batch-sizes': { type: 'string' },
  epochs: { type: 'string' },
  seeds: { type: 'string' },
  seed: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  groups: { type: 'string' },
  lr: { type: 'string' },
  'weight-decay': { type: 'string' },
  'evals-per-epoch': { type: 'string' },
  'conv-only': { type: 'boolean' },
  threads: { type: 'string' },
  out: { type: 'string' },
  save: { type: 'boolean' },
  resume: { type: 'boolean' },
} as const;

const list = (xs: readonly (string | number)[]) => xs.join(',');

export const HELP = `Usage: mnist-demo [options]

Trains a small CNN on MNIST with each normalization (BatchNorm, GroupNorm, LayerNorm, InstanceNorm, none)
at several batch sizes, as in Wu & He, "Group Normalization" (2018), and reports the test error.

Presets (explicit options override them):
  (default)  ${describe(PRESETS.default)}
  --quick    ${describe(PRESETS.quick)}
  --full     ${describe(PRESETS.full)}

Options:
  --norms LIST           normalizations: ${list(NORMS)}
  --sweep LIST           norms trained at every batch size; the others run at the smallest only (batch,group)
  --batch-sizes LIST     images per batch, e.g. 32,16,8,4,2
  --epochs N             passes over the training set
  --seeds N              seeds per configuration (results are mean ± std over seeds)
  --seed S               first seed (${0}); the seeds are S, S+1, ...
  --train-size N         training images
  --test-size N          test images, none of them in the training set (train + test <= ${MNIST_SIZE})
  --groups G             GroupNorm groups, capped at each layer's channels and dividing them (${DEFAULTS.groups})
  --conv-only            normalize the two conv layers only, not the hidden linear layer
  --lr X                 learning rate at batch size 32, scaled by N/32 for batch size N (${DEFAULTS.lr})
  --weight-decay X       SGD weight decay (${DEFAULTS.weightDecay}); momentum is ${DEFAULTS.momentum}
  --evals-per-epoch N    curve points per epoch (${DEFAULTS.evalsPerEpoch})
  --threads N            threads for large matrix products; same results for any N (one per core: ${defaultThreads()})
  --out DIR              where results.json, report.html and checkpoints go (${DEFAULTS.out})
  --save                 write a checkpoint after every epoch of every run (DIR/checkpoints)
  --resume               continue from the checkpoints in DIR/checkpoints (and keep saving)
  -h, --help             show this help
`;

function describe(p: Preset): string {
  const sizes = [...p.batchSizes].sort((a, b) => b - a);
  const swept = p.norms.filter((n) => p.sweep.includes(n));
  const others = p.norms.filter((n) => !p.sweep.includes(n));
  const runs = [`${list(swept)} at batch sizes ${list(sizes)}`, ...(others.length > 0 ? [`${list(others)} at ${sizes.at(-1)}`] : [])];
  return `${runs.join(' and ')}; ${p.epochs} epoch${p.epochs > 1 ? 's' : ''} over ${p.trainSize} training images, ` +
    `${p.testSize} test images, ${p.seeds.length} seed${p.seeds.length > 1 ? 's' : ''}`;
}

export type Parsed = { help: true } | { help: false; options: Options };

/** Reads the command line; throws UsageError for anything the user got wrong. */
export function parseCli(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: SPEC, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]!);
  }
  if (values.help) return { help: true };
  if (values.quick && values.full) throw new UsageError('--quick and --full cannot be combined');
  const preset: PresetName = values.quick ? 'quick' : values.full ? 'full' : 'default';
  const base = PRESETS[preset];

  const firstSeed = values.seed === undefined ? 0 : integer('--seed', values.seed, 0);
  const seedCount = values.seeds === undefined ? base.seeds.length : integer('--seeds', values.seeds, 1);
  const options: Options = {
    preset,
    norms: values.norms === undefined ? base.norms : normList('--norms', values.norms),
    sweep: values.sweep === undefined ? base.sweep : normList('--sweep', values.sweep),
    batchSizes: values['batch-sizes'] === undefined ? base.batchSizes : integerList('--batch-sizes', values['batch-sizes']),
    epochs: values.epochs === undefined ? base.epochs : integer('--epochs', values.epochs, 1),
    seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i),
    trainSize: values['train-size'] === undefined ? base.trainSize : integer('--train-size', values['train-size'], 1),
    testSize: values['test-size'] === undefined ? base.testSize : integer('--test-size', values['test-size'], 1),
    groups: values.groups === undefined ? DEFAULTS.groups : integer('--groups', values.groups, 1),
    normalizeHidden: !values['conv-only'],
    lr: values.lr === undefined ? DEFAULTS.lr : positive('--lr', values.lr),
    momentum: DEFAULTS.momentum,
    weightDecay: values['weight-decay'] === undefined ? DEFAULTS.weightDecay : nonNegative('--weight-decay', values['weight-decay']),
    evalsPerEpoch: values['evals-per-epoch'] === undefined ? DEFAULTS.evalsPerEpoch : integer('--evals-per-epoch', values['evals-per-epoch'], 1),
    out: values.out ?? DEFAULTS.out,
    save: (values.save ?? false) || (values.resume ?? false),
    resume: values.resume ?? false,
    threads: values.threads === undefined ? defaultThreads() : integer('--threads', values.threads, 1),
  };
  validate(options);
  return { help: false, options };
}

function validate(o: Options): void {
  if (o.threads > MAX_THREADS) throw new UsageError(`--threads ${o.threads}: at most ${MAX_THREADS}`);
  if (o.trainSize + o.testSize > MNIST_SIZE) {
    throw new UsageError(`--train-size ${o.trainSize} + --test-size ${o.testSize} exceeds the ${MNIST_SIZE} MNIST images`);
  }
  for (const n of o.batchSizes) {
    if (n > o.trainSize) {
      throw new UsageError(`--batch-sizes: batch size ${n} is larger than the training set (${o.trainSize} images)`);
    }
  }
  if (o.norms.includes('batch') && o.normalizeHidden && o.batchSizes.includes(1)) {
    throw new UsageError('--batch-sizes 1: BatchNorm after the hidden layer needs 2 or more images per batch (or use --conv-only)');
  }
  if (o.norms.includes('group')) {
    for (const c of [...CONV_CHANNELS, ...(o.normalizeHidden ? [HIDDEN_UNITS] : [])]) groupsFor(o.groups, c);
  }
  if (o.out.trim() === '') throw new UsageError('--out: the folder name is empty');
}

function normList(flag: string, text: string): NormName[] {
  const names = splitList(flag, text);
  for (const n of names) {
    if (!(NORMS as readonly string[]).includes(n)) {
      throw new UsageError(`${flag}: unknown norm '${n}' (expected ${NORMS.join(', ')})`);
    }
  }
  return [...new Set(names)] as NormName[];
}

function integerList(flag: string, text: string): number[] {
  return [...new Set(splitList(flag, text).map((s) => integer(flag, s, 1)))];
}

function splitList(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list, got '${text}'`);
  return items;
}

function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer >= ${min}, got '${text}'`);
  }
  return n;
}

function positive(flag: string, text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UsageError(`${flag}: expected a number > 0, got '${text}'`);
  return x;
}

function nonNegative(flag: string, text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`${flag}: expected a number >= 0, got '${text}'`);
  return x;
}
