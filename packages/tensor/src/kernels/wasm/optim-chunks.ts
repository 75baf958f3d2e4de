// The loop every wasm optimizer update shares: the parameter and its state go through wasm memory in chunks
// small enough to stay in cache between the copy in, the update and the copy out. Resident operands (see
// resident.ts) are updated in place, without copies.
import { arenaRegions, copyIn, copyOut, isResident, selectInstance, sharedIsCheaper } from './instance.js';

/** One operand of an update: its array (null when the option that needs it is off) and offset. */
export interface ChunkOperand {
  data: Float32Array | null;
  offset: number;
  /** Copied in before each chunk (false for state the kernel only writes, e.g. a first momentum buffer). */
  read: boolean;
  /** Copied out after each chunk. */
  write: boolean;
}

/**
 * Runs `update(addresses, len)` over n elements in chunks of at most `chunkSize`, with each operand's chunk
 * at addresses[k] (an absent operand gets an empty region: the kernel ignores it, as its flags say). False,
 * having done nothing, when the memory is at its maximum (instance.ts): the caller runs its JS kernel.
 */
export function updateInChunks(
  n: number, chunkSize: number, operands: readonly ChunkOperand[], update: (addresses: number[], len: number) => void,
): boolean {
  const chunk = Math.min(n, chunkSize);
  // On the shared instance, resident operands updated in place, where that copies less (sharedIsCheaper);
  // else on the unshared one, everything copied. Per element, an operand is copied once per read and per write.
  const resident = operands.map((o) => o.data !== null && isResident(o.data));
  const copies = (o: ChunkOperand) => (o.data === null ? 0 : Number(o.read) + Number(o.write));
  const residentCopies = operands.reduce((sum, o, k) => sum + (resident[k] ? copies(o) : 0), 0);
  const otherCopies = operands.reduce((sum, o, k) => sum + (resident[k] ? 0 : copies(o)), 0);
  const onShared = sharedIsCheaper(residentCopies, otherCopies);
  if (!selectInstance(onShared)) return false;
  const inPlace = resident.map((r) => r && onShared);
  const regions = arenaRegions(...operands.map((o, k) => (o.data === null || inPlace[k] ? 0 : chunk)));
  if (regions === null) return false;
  for (let i = 0; i < n; i += chunk) {
    const len = Math.min(chunk, n - i);
    const addresses = operands.map((o, k) => (inPlace[k] ? o.data!.byteOffset + (o.offset + i) * 4 : regions[k]));
    operands.forEach((o, k) => {
      if (o.data !== null && o.read && !inPlace[k]) copyIn(o.data.subarray(o.offset + i, o.offset + i + len), addresses[k]);
    });
    update(addresses, len);
    operands.forEach((o, k) => {
      if (o.data !== null && o.write && !inPlace[k]) copyOut(addresses[k], len, o.data, o.offset + i);
    });
  }
  return true;
}

/** An operand the kernel reads and writes (a parameter or its running state). */
export const inOut = (data: Float32Array | null, offset: number): ChunkOperand => ({ data, offset, read: true, write: true });

/** An operand the kernel only reads (the gradient). */
export const input = (data: Float32Array, offset: number): ChunkOperand => ({ data, offset, read: true, write: false });
