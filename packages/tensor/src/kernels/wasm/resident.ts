// Resident storage: float32 arrays that live in the shared wasm memory (instance.ts), so that the kernels read
// and write them in place instead of copying them into the call arena and back (call.ts).
//
// wasm memory is never returned, and a region must never be handed out twice while anything can still read it
// through an old view. So a region is only given to a storage whose end its owner reports: the backend hands
// them out inside tidy() scopes only, and each is either recycled (its region back here) or evicted to an
// ordinary array when its scope ends (backend.ts, tidy.ts). Free regions are kept by exact length: a training
// loop asks for the same lengths every step.
import { claimResident, residentView, zeroResident } from './instance.js';

/** Byte addresses of free regions by float count (each list a stack). */
const free = new Map<number, number[]>();

/**
 * A view of `size` resident floats, zero-filled unless `zeroFill` is false (then it holds whatever its last
 * user wrote), or null where there is no shared memory or no room (instance.ts).
 */
export function takeResident(size: number, zeroFill: boolean): Float32Array | null {
  let at = free.get(size)?.pop();
  if (at === undefined) {
    at = claimResident(size * 4);
    if (at < 0) return null;
  }
  if (zeroFill) zeroResident(at, size);
  return residentView(at, size);
}

/** Takes back a view takeResident gave out; its owner must never touch it again. */
export function giveResident(region: Float32Array): void {
  let list = free.get(region.length);
  if (list === undefined) free.set(region.length, (list = []));
  list.push(region.byteOffset);
}
