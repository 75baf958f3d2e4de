// The open tidy() scopes and the storages allocated in each (tidy.ts releases them). Kept apart from tidy.ts
// so that Tensor (which reports every allocation here) does not import the code that walks tensors.
import { MinigradError } from './errors.js';
import type { Storage } from './storage.js';
import type { Tensor } from './tensor.js';

/** Storages allocated in each open scope, innermost last. */
export const scopes: Storage[][] = [];
/** Storages that outlive every scope (keep, and what the library keeps). */
export const kept = new WeakSet<Storage>();

/** Whether a tidy() scope is open (its allocations may be resident: the scope's end reports their end). */
export function inScope(): boolean {
  return scopes.length !== 0;
}

/** Called by Tensor.zeros for every storage it allocates. */
export function trackAllocation(storage: Storage): void {
  if (scopes.length !== 0) scopes[scopes.length - 1].push(storage);
}

/**
 * Whether t's storage was emptied under it: released by tidy() (or a recycled buffer wrongly kept). Reading it
 * must fail, never return stale or foreign numbers.
 */
export function isReleased(t: Tensor): boolean {
  return t.storage.size === 0 && t.numel() !== 0;
}

/** The error a tensor whose memory tidy released throws when it is used. */
export function releasedError(shape: readonly number[]): MinigradError {
  return new MinigradError(
    'Tensor',
    `the memory of this tensor (shape [${shape.join(',')}]) was released when the tidy() scope that made it ended; ` +
      'return it from the function passed to tidy, or keep() it, to use it afterwards',
  );
}
