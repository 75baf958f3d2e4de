// Scheduler state dicts: the scheduler's own fields as JSON-safe data (non-finite numbers written as strings),
// tagged with the scheduler's class so that loading into another kind is an error.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import type { LRScheduler } from './lr-scheduler.js';

/** What a scheduler's `stateDict()` returns: its fields as JSON-safe data, tagged with its class. */
export interface SchedulerStateDict {
  /** The scheduler class that wrote it. */
  scheduler: string;
  [field: string]: unknown;
}

function toJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJson);
  return value;
}

function fromJson(value: unknown, like: unknown): unknown {
  if (typeof like === 'number' && typeof value === 'string') return Number(value);
  if (Array.isArray(value)) return value.map((v, i) => fromJson(v, Array.isArray(like) ? like[i] ?? like[0] : undefined));
  return value;
}

/** The own fields of `obj` except `skip` (functions and objects other than arrays are not state). */
export function schedulerFields(kind: string, obj: object, skip: string[]): SchedulerStateDict {
  const out: SchedulerStateDict = { scheduler: kind };
  for (const [key, value] of Object.entries(obj)) {
    if (skip.includes(key) || typeof value === 'function') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) continue;
    out[key] = toJson(value);
  }
  return out;
}

/** Assigns the saved fields back after checking the kind and that every field exists on `obj`. */
export function restoreSchedulerFields(kind: string, obj: object, sd: SchedulerStateDict, skip: string[] = []): void {
  const op = `${kind}.loadStateDict`;
  if (sd === null || typeof sd !== 'object') throw new ArgumentError(op, 'expected a state dict from stateDict()');
  if (sd.scheduler !== kind) throw new ArgumentError(op, `the state dict was saved by ${typeof sd.scheduler === 'string' ? sd.scheduler : describeValue(sd.scheduler)}, not ${kind}`);
  const target = obj as Record<string, unknown>;
  for (const key of Object.keys(sd)) {
    if (key === 'scheduler' || skip.includes(key)) continue;
    if (!(key in target)) throw new ArgumentError(op, `unknown field ${key} in the state dict`);
  }
  for (const [key, value] of Object.entries(sd)) {
    if (key === 'scheduler' || skip.includes(key)) continue;
    target[key] = fromJson(value, target[key]);
  }
}

/** A scheduler that drives others (ChainedScheduler, SequentialLR): its own fields plus each inner scheduler's state. */
export function compositeState(kind: string, obj: { readonly schedulers: LRScheduler[] }): SchedulerStateDict {
  const sd = schedulerFields(kind, obj, ['optimizer', 'schedulers']);
  sd.schedulers = obj.schedulers.map((s) => s.stateDict());
  return sd;
}

/** Restores what compositeState wrote, after checking it holds one state per inner scheduler. */
export function restoreCompositeState(kind: string, obj: { readonly schedulers: LRScheduler[] }, sd: SchedulerStateDict): void {
  if (sd === null || typeof sd !== 'object') throw new ArgumentError(`${kind}.loadStateDict`, 'expected a state dict from stateDict()');
  const saved = sd.schedulers;
  if (!Array.isArray(saved) || saved.length !== obj.schedulers.length) {
    throw new ArgumentError(`${kind}.loadStateDict`, `expected state for ${obj.schedulers.length} schedulers`);
  }
  restoreSchedulerFields(kind, obj, sd, ['schedulers']);
  obj.schedulers.forEach((s, i) => s.loadStateDict(saved[i] as SchedulerStateDict));
}
