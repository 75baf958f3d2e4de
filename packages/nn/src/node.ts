// Node-only entry point (`@minigrad/nn/node`): safetensors files on disk. Saving writes a temporary file in
// the target's directory, flushes it to disk and renames it over the target, so that a crash or a full disk
// never leaves a half-written checkpoint: readers see the old file or the new one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import type { StateDict } from './state-dict.js';

/** Writes `sd` (and optional string metadata) to `path` as safetensors, atomically. */
export function saveFile(path: string, sd: StateDict, metadata?: Record<string, string>): void {
  const bytes = saveSafetensors(sd, metadata);
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  syncDirectory(dir);
}

/** Makes the rename itself durable where the platform allows opening a directory (not on Windows). */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on directories; the data itself is already on disk
  } finally {
    closeSync(fd);
  }
}

/** Reads a safetensors file into a state dict. */
export function loadFile(path: string): StateDict {
  const buf = readFileSync(path);
  return loadSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

export { loadSafetensors, saveSafetensors, safetensorsMetadata } from './safetensors.js';
