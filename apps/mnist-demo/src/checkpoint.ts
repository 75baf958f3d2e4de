import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile, saveFile } from '@minigrad/nn/node';
import type { OptimizerStateDict, SchedulerStateDict } from '@minigrad/optim';
import type { Options } from './cli.js';
import { writeFileAtomic } from './report/files.js';
import type { Run } from './report/results.js';
import type { Checkpoints, TrainSettings, TrainState } from './train.js';
import { UsageError } from './usage-error.js';

/** The JSON half of a checkpoint: optimizer, schedule, the loop's state and the weights file it goes with. */
interface CheckpointFile {
  /** The options the run was started with; a checkpoint only resumes the same run. */
  fingerprint: string;
  weights: string;
  optimizer: OptimizerStateDict;
  schedule: SchedulerStateDict;
  state: TrainState;
}

/**
 * The checkpoints of one run, in DIR/checkpoints/<norm>-b<batch size>-s<seed>.*, keyed by every option that
 * changes its numbers (the epochs too: the learning-rate schedule spans them).
 */
export function runCheckpoints(o: Options, run: Run, settings: TrainSettings): Checkpoints {
  const fingerprint = JSON.stringify({
    ...settings, norm: run.norm, dataset: o.dataset, model: o.model, blocks: o.blocks, groups: o.groups, trainSize: o.trainSize, testSize: o.testSize,
    // Runs of the default arithmetic keep the fingerprint they had before --conv existed.
    ...(o.conv === 'gemm' ? {} : { conv: o.conv }),
  });
  return checkpointsFor(join(o.out, 'checkpoints'), `${run.norm}-b${run.batchSize}-s${run.seed}`, fingerprint, o);
}

/**
 * Checkpoints of one run in `dir`: after every epoch, the model's state dict (parameters and BN's running
 * statistics) as safetensors through @minigrad/nn/node, then `<run>.json` with the optimizer's state dict
 * (momentum buffers), the schedule's, the data order's RNG state and the curves so far. Both are written atomically and the
 * JSON names the weights file of its own epoch, so an interruption at any moment leaves a consistent pair.
 */
function checkpointsFor(dir: string, run: string, fingerprint: string, o: Pick<Options, 'save' | 'resume'>): Checkpoints {
  const jsonPath = join(dir, `${run}.json`);
  const read = (): CheckpointFile | null => {
    if (!existsSync(jsonPath)) return null;
    const ckpt = tryRead(jsonPath);
    if (ckpt === null) throw new UsageError(`--resume: ${jsonPath} is not a checkpoint this program wrote`);
    return ckpt;
  };
  return {
    load({ model, optimizer, schedule }) {
      const ckpt = o.resume ? read() : null;
      if (ckpt === null) return null;
      if (ckpt.fingerprint !== fingerprint) {
        throw new UsageError(`--resume: ${jsonPath} was saved with other options (${ckpt.fingerprint}); use another --out or leave out --resume`);
      }
      try {
        model.loadStateDict(loadFile(join(dir, ckpt.weights)));
        optimizer.loadStateDict(ckpt.optimizer);
        schedule.loadStateDict(ckpt.schedule);
      } catch (e) {
        throw new UsageError(`--resume: cannot load the checkpoint ${jsonPath} (${(e as Error).message.split('\n')[0]})`);
      }
      return ckpt.state;
    },
    save({ model, optimizer, schedule }, state) {
      if (!o.save) return;
      mkdirSync(dir, { recursive: true });
      const previous = existsSync(jsonPath) ? tryRead(jsonPath)?.weights : undefined;
      const weights = `${run}.epoch${state.epochsDone}.safetensors`;
      saveFile(join(dir, weights), model.stateDict(), { run, epoch: String(state.epochsDone) });
      const ckpt: CheckpointFile = { fingerprint, weights, optimizer: optimizer.stateDict(), schedule: schedule.stateDict(), state };
      writeFileAtomic(jsonPath, JSON.stringify(ckpt));
      if (previous !== undefined && previous !== weights) rmSync(join(dir, previous), { force: true });
    },
  };
}

function tryRead(path: string): CheckpointFile | null {
  try {
    const ckpt = JSON.parse(readFileSync(path, 'utf8')) as Partial<CheckpointFile>;
    const complete = typeof ckpt.fingerprint === 'string' && typeof ckpt.weights === 'string' && ckpt.state && ckpt.optimizer && ckpt.schedule;
    return complete ? (ckpt as CheckpointFile) : null;
  } catch {
    return null;
  }
}
