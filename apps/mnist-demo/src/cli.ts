import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { groupsFor, MAX_BLOCKS, MODELS, normalizedChannels, NORMS, type ModelName, type NormName } from './architecture.js';
import { DATASET_SIZES, DATASETS, DEFAULT_CACHE, type DatasetName } from './datasets.js';
import { UsageError } from './usage-error.js';
import type { ConvAlgorithm } from '@minigrad/tensor';

/** Everything a run of the experiment depends on; results.json records it. */
export interface Options {
  preset: PresetName;
  dataset: DatasetName;
  /** 'resnet' (the experiment: norms after every conv) or 'cnn' (the ablation with a normalized hidden layer). */
  model: ModelName;
  /** The ResNet's down-sampling residual blocks. */
  blocks: number;
  /** Normalizations to compare. */
  norms: NormName[];
  /** Norms trained at every batch size (the paper's Table 2 sweeps BN and GN); the others only at the largest one (Table 1). */
  sweep: NormName[];
  batchSizes: number[];
  epochs: number;
  seeds: number[];
  trainSize: number;
  testSize: number;
  /** GN's group count G, capped at each layer's channel count. */
  groups: number;
  /** Learning rate at batch size 32; a run at batch size N uses lr x N / 32 (the paper's linear scaling). */
  lr: number;
  momentum: number;
  weightDecay: number;
  /** How many times per epoch the curves are sampled (test error, gradient norms). */
  evalsPerEpoch: number;
  out: string;
  /** Where the parsed Fashion-MNIST images are cached. */
  cache: string;
  save: boolean;
  resume: boolean;
  /** Runs trained side by side, one worker thread each. */
  workers: number;
  /** Threads for the large matrix products of each run (the numbers do not depend on it). */
  threads: number;
  /** How the 3x3 stride-1 convs compute (@minigrad/tensor's setConvAlgorithm): the numbers depend on it. */
  conv: ConvAlgorithm;
}

export type PresetName = 'quick' | 'default' | 'full';
type Preset = Pick<Options, 'norms' | 'sweep' | 'batchSizes' | 'epochs' | 'seeds' | 'trainSize' | 'testSize'>;

const ALL_NORMS = [...NORMS];
const TABLE_1_NORMS: NormName[] = ['batch', 'group', 'layer', 'instance'];
const PRESETS: Record<PresetName, Preset> = {
  quick: { norms: ['batch', 'group'], sweep: ['batch', 'group'], batchSizes: [32, 2], epochs: 1, seeds: [0], trainSize: 1500, testSize: 500 },
  default: { norms: TABLE_1_NORMS, sweep: ['batch', 'group'], batchSizes: [32, 8, 2], epochs: 5, seeds: [0, 1, 2], trainSize: 8000, testSize: 2000 },
  full: { norms: ALL_NORMS, sweep: ['batch', 'group'], batchSizes: [32, 16, 8, 4, 2], epochs: 8, seeds: [0, 1, 2, 3, 4], trainSize: 8000, testSize: 2000 },
};
/** minigrad's WebAssembly backend runs up to 16 threads. */
const MAX_THREADS = 16;

/** One run per core side by side: measured faster than splitting each run's kernels over the cores. */
function defaultWorkers(): number {
  return Math.min(availableParallelism(), MAX_THREADS);
}

const DEFAULTS = {
  dataset: 'fashion', model: 'resnet', blocks: 2, groups: 16, lr: 0.1, momentum: 0.9, weightDecay: 1e-4, evalsPerEpoch: 2, out: 'out', threads: 1,
  conv: 'gemm',
} as const;
const CONV_ALGORITHMS: readonly ConvAlgorithm[] = ['gemm', 'winograd'];

const SPEC = {
  help: { type: 'boolean', short: 'h' },
  quick: { type: 'boolean' },
  full: { type: 'boolean' },
  dataset: { type: 'string' },
  model: { type: 'string' },
  blocks: { type: 'string' },
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
  workers: { type: 'string' },
  threads: { type: 'string' },
  conv: { type: 'string' },
  out: { type: 'string' },
  cache: { type: 'string' },
  save: { type: 'boolean' },
  resume: { type: 'boolean' },
} as const;

const list = (xs: readonly (string | number)[]) => xs.join(',');

export const HELP = `Usage: mnist-demo [options]

The experiment of Wu & He, "Group Normalization" (ECCV 2018), at laptop scale: a small ResNet with
BatchNorm, GroupNorm, LayerNorm, InstanceNorm or no normalization after every conv, trained on
Fashion-MNIST (or MNIST) at batch sizes from 32 down to 2. Reports the test error (the paper's Tables 1
and 2) and, for BN, the mechanism: the error with batch statistics and after precise BN, and the noise of
its batch statistics. Writes results.json and report.html.

Presets (explicit options override them):
  (default)  ${describe(PRESETS.default)}
  --quick    ${describe(PRESETS.quick)} (a smoke run: its numbers mean nothing)
  --full     ${describe(PRESETS.full)}

Options:
  --dataset NAME         ${list(DATASETS)} (${DEFAULTS.dataset})
  --model NAME           resnet: norms after every conv (the experiment); cnn: the ablation whose hidden
                         linear layer is normalized too, where BN over 2 samples is a sign function (${DEFAULTS.model})
  --blocks N             the ResNet's down-sampling residual blocks, 1 to ${MAX_BLOCKS} (${DEFAULTS.blocks}): feature maps 7, 4, 2
  --norms LIST           normalizations: ${list(NORMS)}
  --sweep LIST           norms trained at every batch size; the others run at the largest only (batch,group)
  --batch-sizes LIST     images per batch, e.g. 32,16,8,4,2
  --epochs N             passes over the training set (the same for every batch size)
  --seeds N              seeds per configuration (results are mean ± std over seeds)
  --seed S               first seed (0); the seeds are S, S+1, ...
  --train-size N         training images
  --test-size N          test images, none of them in the training set
  --groups G             GroupNorm groups, capped at each layer's channels and dividing them (${DEFAULTS.groups})
  --lr X                 learning rate at batch size 32, scaled by N/32 for batch size N (${DEFAULTS.lr})
  --weight-decay X       SGD weight decay (${DEFAULTS.weightDecay}); momentum is ${DEFAULTS.momentum}
  --evals-per-epoch N    curve points per epoch (${DEFAULTS.evalsPerEpoch})
  --workers N            runs trained side by side, one thread each (one per core: ${defaultWorkers()})
  --threads N            threads for the large matrix products of each run (${DEFAULTS.threads}); same results for any N
  --conv NAME            the 3x3 stride-1 convs: gemm (im2col and a matrix product, PyTorch's arithmetic) or
                         winograd (Winograd F(2x2, 3x3): fewer multiplies, other rounding) (${DEFAULTS.conv})
  --out DIR              where results.json, report.html and checkpoints go (${DEFAULTS.out})
  --cache DIR            where the parsed Fashion-MNIST images are kept (node_modules/.cache/mnist-demo)
  --save                 write a checkpoint after every epoch of every run (DIR/checkpoints)
  --resume               continue from the checkpoints in DIR/checkpoints (and keep saving)
  -h, --help             show this help
`;

function describe(p: Preset): string {
  const sizes = [...p.batchSizes].sort((a, b) => b - a);
  const swept = p.norms.filter((n) => p.sweep.includes(n));
  const others = p.norms.filter((n) => !p.sweep.includes(n));
  const runs = [...(others.length > 0 ? [`${list(others)} at ${sizes[0]}`] : []), `${list(swept)} at batch sizes ${list(sizes)}`];
  return `${runs.join(' and ')}; ${p.epochs} epoch${p.epochs > 1 ? 's' : ''} over ${p.trainSize} training images, ` +
    `${p.testSize} test images, ${p.seeds.length} seed${p.seeds.length > 1 ? 's' : ''}`;
}

export type Parsed = { help: true } | { help: false; options: Options };

/** Reads the command line; throws UsageError for anything the user got wrong. */
export function parseCli(argv: string[]): Parsed {
  let values;
  try {
    // `pnpm demo -- --help` hands the app a leading '--' (pnpm keeps `pnpm demo --help` for itself)
    const args = argv[0] === '--' ? argv.slice(1) : argv;
    ({ values } = parseArgs({ args, options: SPEC, strict: true, allowPositionals: false }));
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
    dataset: values.dataset === undefined ? DEFAULTS.dataset : oneOf('--dataset', values.dataset, DATASETS),
    model: values.model === undefined ? DEFAULTS.model : oneOf('--model', values.model, MODELS),
    blocks: values.blocks === undefined ? DEFAULTS.blocks : integer('--blocks', values.blocks, 1),
    norms: values.norms === undefined ? base.norms : normList('--norms', values.norms),
    sweep: values.sweep === undefined ? base.sweep : normList('--sweep', values.sweep),
    batchSizes: values['batch-sizes'] === undefined ? base.batchSizes : integerList('--batch-sizes', values['batch-sizes']),
    epochs: values.epochs === undefined ? base.epochs : integer('--epochs', values.epochs, 1),
    seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i),
    trainSize: values['train-size'] === undefined ? base.trainSize : integer('--train-size', values['train-size'], 1),
    testSize: values['test-size'] === undefined ? base.testSize : integer('--test-size', values['test-size'], 1),
    groups: values.groups === undefined ? DEFAULTS.groups : integer('--groups', values.groups, 1),
    lr: values.lr === undefined ? DEFAULTS.lr : positive('--lr', values.lr),
    momentum: DEFAULTS.momentum,
    weightDecay: values['weight-decay'] === undefined ? DEFAULTS.weightDecay : nonNegative('--weight-decay', values['weight-decay']),
    evalsPerEpoch: values['evals-per-epoch'] === undefined ? DEFAULTS.evalsPerEpoch : integer('--evals-per-epoch', values['evals-per-epoch'], 1),
    out: values.out ?? DEFAULTS.out,
    cache: values.cache ?? DEFAULT_CACHE,
    save: (values.save ?? false) || (values.resume ?? false),
    resume: values.resume ?? false,
    workers: values.workers === undefined ? defaultWorkers() : integer('--workers', values.workers, 1),
    threads: values.threads === undefined ? DEFAULTS.threads : integer('--threads', values.threads, 1),
    conv: values.conv === undefined ? DEFAULTS.conv : oneOf('--conv', values.conv, CONV_ALGORITHMS),
  };
  validate(options);
  return { help: false, options };
}

function validate(o: Options): void {
  for (const [flag, n] of [['--threads', o.threads], ['--workers', o.workers]] as const) {
    if (n > MAX_THREADS) throw new UsageError(`${flag} ${n}: at most ${MAX_THREADS}`);
  }
  const available = DATASET_SIZES[o.dataset];
  if (o.trainSize + o.testSize > available) {
    throw new UsageError(`--train-size ${o.trainSize} + --test-size ${o.testSize} exceeds the ${available} images of --dataset ${o.dataset}`);
  }
  for (const n of o.batchSizes) {
    if (n > o.trainSize) {
      throw new UsageError(`--batch-sizes: batch size ${n} is larger than the training set (${o.trainSize} images)`);
    }
  }
  if (o.norms.includes('batch') && o.batchSizes.includes(1)) {
    // The ResNet's last feature map is 4 x 4, so BN would work; its noise and train-mode error would not.
    throw new UsageError('--batch-sizes 1: BatchNorm needs 2 or more images per batch to estimate batch statistics');
  }
  if (o.blocks > MAX_BLOCKS) throw new UsageError(`--blocks ${o.blocks}: at most ${MAX_BLOCKS}`);
  if (o.norms.includes('group')) for (const c of normalizedChannels(o.model, o.blocks)) groupsFor(o.groups, c);
  if (o.out.trim() === '') throw new UsageError('--out: the folder name is empty');
}

function oneOf<T extends string>(flag: string, text: string, names: readonly T[]): T {
  if (!(names as readonly string[]).includes(text)) throw new UsageError(`${flag}: unknown value '${text}' (expected ${names.join(', ')})`);
  return text as T;
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
