// Resident storage: float32 arrays that live in the wasm instance's (shared) memory, so that the kernels read
// and write them in place instead of copying them into the call arena and back (call.ts).
//
// Memory is never returned to wasm (its memory only grows), and a region must never be handed out twice while
// anything can still read it through an old view. So a region is only given to a storage whose end its owner
// reports: the backend hands them out inside tidy() scopes only, and every such storage is either recycled
// (region back here) or evicted to an ordinary array when its scope ends (backend.ts, tidy.ts). Freed regions
// are kept by exact length: a training loop asks for the same lengths every step.
import { claimResident, f32 } from './instance.js';

/** Free regions (views) by float count; each list is a stack. */
const free = new Map<number, Float32Array[]>();

/**
 * A view of `size` resident floats, zero-filled unless `zeroFill` is false (then it holds whatever its last
 * user wrote), or null when there is no shared memory or resident storage is full.
 */
export function takeResident(size: number, zeroFill: boolean): Float32Array | null {
  let region = free.get(size)?.pop();
  if (region === undefined) {
    const at = claimResident(size * 4);
    if (at < 0) return null;
    region = new Float32Array(f32().buffer, at, size);
  }
  if (zeroFill) region.fill(0);
  return region;
}

/** Takes back a view takeResident gave out; its owner must never touch it again. */
export function giveResident(region: Float32Array): void {
  let list = free.get(region.length);
  if (list === undefined) free.set(region.length, (list = []));
  list.push(region);
}
