// Resident storage: float32 arrays that live in the shared wasm memory (instance.ts), so that the kernels read
// and write them in place instead of copying them into the call arena and back (call.ts).
//
// wasm memory is never returned, and a region must never be handed out twice while anything can still read it
// through an old view. So a region is only given to a storage whose end someone reports: the backend hands
// them out inside tidy() scopes, and when its scope ends each is recycled (its region back here), evicted to
// an ordinary array, or, if it is kept (a parameter, a gradient, optimizer state: long-lived and hot) and
// large, adopted: it stays, and the garbage collector reports its end (a FinalizationRegistry on the storage,
// which every view of the region keeps reachable, see `adoptResident`). Storage meant to be kept from the start
// (keptZeros: layer weights) is adopted as it is handed out, outside any scope. A training loop asks for the same lengths every
// step, so free regions are kept by their length; a request with no free region of its own length takes the
// smallest free one up to twice as long (shapes that vary, say a last smaller batch, reuse memory instead of
// claiming more), and claims stop at CLAIM_LIMIT: past it storage is an ordinary array again.
import { claimResident, residentView, zeroResident } from './instance.js';

/** The most resident storage ever claimed, in bytes: wasm memory is never given back to the system. */
const CLAIM_LIMIT = 512 * 1024 * 1024;

/** The most adopted storage alive at once, in bytes; past it kept storage is evicted (see `adoptResident`). */
let adoptedLimit = 128 * 1024 * 1024;
/**
 * Kept storage smaller than this (floats) is evicted rather than adopted: copying it out costs little, and a
 * region the garbage collector frees comes back only when it runs (never inside a synchronous loop).
 */
const ADOPT_MIN = 4096;

/** Byte addresses of free regions by capacity in floats (each list a stack). */
const free = new Map<number, number[]>();
/** The capacity (floats) of every region handed out, by byte address. */
const capacityAt = new Map<number, number>();
let claimedBytes = 0;
let adoptedBytes = 0;

/** Frees the region of an adopted storage that the garbage collector found dead (held value: its address). */
const collector = new FinalizationRegistry<number>((at) => {
  adoptedBytes -= capacityAt.get(at)! * 4;
  freeRegion(at);
});
/**
 * What keeps a resident view's memory in use: its storage once adopted, the view it was cut from for a
 * subarray. A WeakMap entry holds its value as long as its key lives, so a user who holds only a `.data` array
 * (or a subarray of it) still keeps the storage, and so its region, from the collector.
 */
const owners = new WeakMap<object, object>();
const plainSubarray = Float32Array.prototype.subarray;
/**
 * The prototype of resident views: Float32Array's, with a subarray that keeps the view it was cut from
 * reachable. A prototype rather than an own property: it costs ~50 ns per view against ~300 for
 * defineProperty (Node 20), and the view stays a Float32Array to every check (constructor, instanceof,
 * Object.keys, equality in tests).
 */
const residentPrototype: Float32Array = Object.create(Float32Array.prototype, {
  subarray: {
    value(this: Float32Array, begin?: number, end?: number): Float32Array {
      return linked(plainSubarray.call(this, begin, end), this);
    },
  },
});

/** `view` with `owner` recorded as what keeps its memory in use, and a subarray that does the same. */
function linked(view: Float32Array, owner: object | null): Float32Array {
  if (owner !== null) owners.set(view, owner);
  return Object.setPrototypeOf(view, residentPrototype) as Float32Array;
}

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
  return linked(residentView(at, size), null);
}

/**
 * Takes back the region of `storage`, a view takeResident gave out (adopted or not); its owner must never
 * touch it again.
 */
export function giveResident(storage: object, region: Float32Array): void {
  if (collector.unregister(storage)) adoptedBytes -= capacityAt.get(region.byteOffset)! * 4;
  freeRegion(region.byteOffset);
}

/** Puts the region at byte address `at` on the free list of its capacity. */
function freeRegion(at: number): void {
  const capacity = capacityAt.get(at)!;
  let list = free.get(capacity);
  if (list === undefined) free.set(capacity, (list = []));
  list.push(at);
}

/** Whether a storage of `size` floats could be adopted now (large enough, and room under the limit). */
export function mayAdopt(size: number): boolean {
  return size >= ADOPT_MIN && adoptedBytes + size * 4 <= adoptedLimit;
}

/**
 * Lets `storage` (whose region is `region`) keep its region after its scope, until the garbage collector finds
 * the storage and every view of the region unreachable, or it is given back. False, leaving it to be evicted,
 * when it is small or the adopted bytes are at their limit (a loop that reads every step's gradients holds
 * them until the collector runs).
 */
export function adoptResident(storage: object, region: Float32Array): boolean {
  const bytes = capacityAt.get(region.byteOffset)! * 4;
  if (region.length < ADOPT_MIN || adoptedBytes + bytes > adoptedLimit) return false;
  adoptedBytes += bytes;
  owners.set(region, storage);
  collector.register(storage, region.byteOffset, storage);
  return true;
}

/**
 * Frees the region of a captured step's storage that the garbage collector found dead (held value: its
 * address). Apart from `collector`: a step's memory does not count against the limit of adopted bytes.
 */
const pinnedCollector = new FinalizationRegistry<number>((at) => {
  pinnedBytes -= capacityAt.get(at)! * 4;
  freeRegion(at);
});
let pinnedBytes = 0;

/**
 * Keeps the region of a captured step's storage (capture/compile.ts), whatever its size: the step's replays
 * write it, so it stays until the garbage collector finds the storage and every view of it gone (the step and
 * the tensors it returned). Its bytes count as pinned, not adopted: they do not keep kept storage out.
 */
export function adoptPinned(storage: object, region: Float32Array): void {
  if (owners.get(region) === storage) return; // adopted or pinned already
  pinnedBytes += capacityAt.get(region.byteOffset)! * 4;
  owners.set(region, storage);
  pinnedCollector.register(storage, region.byteOffset);
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

/**
 * Bytes of wasm memory claimed for resident storage so far (never given back: a region is reused once freed)
 * and, of those, held by adopted storage now and by captured steps' storage (pinned).
 */
export function residentBytes(): { claimed: number; adopted: number; pinned: number } {
  return { claimed: claimedBytes, adopted: adoptedBytes, pinned: pinnedBytes };
}

/** Sets the limit of adopted bytes and returns the previous one (tests lower it to reach it). */
export function setAdoptedLimit(bytes: number): number {
  const previous = adoptedLimit;
  adoptedLimit = bytes;
  return previous;
}
