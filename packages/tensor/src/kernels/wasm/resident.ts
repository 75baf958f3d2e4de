// Resident storage: float32 arrays that live in the shared wasm memory (instance.ts), so that the kernels read
// and write them in place instead of copying them into the call arena and back (call.ts).
//
// wasm memory is never returned, and a region must never be handed out twice while anything can still read it
// through an old view. So a region is only given to a storage whose end its owner reports: the backend hands
// them out inside tidy() scopes only, and each is either recycled (its region back here) or evicted to an
// ordinary array when its scope ends (backend.ts, tidy.ts). A training loop asks for the same lengths every
// step, so free regions are kept by their length; a request with no free region of its own length takes the
// smallest free one up to twice as long (shapes that vary, say a last smaller batch, reuse memory instead of
// claiming more), and claims stop at CLAIM_LIMIT: past it storage is an ordinary array again.
import { claimResident, residentView, zeroResident } from './instance.js';

/** The most resident storage ever claimed, in bytes: wasm memory is never given back to the system. */
const CLAIM_LIMIT = 512 * 1024 * 1024;

/** Byte addresses of free regions by capacity in floats (each list a stack). */
const free = new Map<number, number[]>();
/** The capacity (floats) of every region handed out, by byte address. */
const capacityAt = new Map<number, number>();
let claimedBytes = 0;

/**
 * A view of `size` resident floats, zero-filled unless `zeroFill` is false (then it holds whatever its last
 * user wrote), or null where there is no shared memory or no room (instance.ts, CLAIM_LIMIT).
 */
export function takeResident(size: number, zeroFill: boolean): Float32Array | null {
  const capacity = freeCapacity(size);
  let at = capacity === undefined ? undefined : free.get(capacity)!.pop();
  if (at === undefined) {
    if (claimedBytes + size * 4 > CLAIM_LIMIT) return null;
    at = claimResident(size * 4);
    if (at < 0) return null;
    claimedBytes += size * 4;
    capacityAt.set(at, size);
  }
  if (zeroFill) zeroResident(at, size);
  return residentView(at, size);
}

/** Takes back a view takeResident gave out; its owner must never touch it again. */
export function giveResident(region: Float32Array): void {
  const capacity = capacityAt.get(region.byteOffset)!;
  let list = free.get(capacity);
  if (list === undefined) free.set(capacity, (list = []));
  list.push(region.byteOffset);
}

/** The capacity of the free regions that serve a request of `size` floats: its own, else the smallest up to 2x. */
function freeCapacity(size: number): number | undefined {
  if (free.get(size)?.length) return size;
  let best: number | undefined;
  for (const [capacity, list] of free) {
    if (list.length !== 0 && capacity > size && capacity <= 2 * size && (best === undefined || capacity < best)) best = capacity;
  }
  return best;
}
