// Node-only entry point (`@minigrad/nn/node`): safetensors files on disk. Saving writes a temporary file in
// the target's directory, flushes it to disk and renames it over the target, so that a crash or a full disk
// never leaves a half-written checkpoint: readers see the old file or the new one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ArgumentError, describeValue } from '@minigrad/tensor';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import type { StateDict } from './state-dict.js';

/**
 * The temporary file of a save to `path`: named by the target alone (no pid, no random part), so that a save
 * killed between writing it and the rename leaves a file the next save of the same target overwrites and
 * renames away, instead of one that stays forever. (Two processes saving the same target at the same time
 * would share it: saves of one checkpoint are expected to come from one writer.)
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

/** A file-system failure as a MinigradError naming the target (the fs error is its cause). */
function fsError(op: string, path: string, what: string, e: unknown): ArgumentError {
  // Node's message ("ENOENT: no such file or directory, open '<temp file>'") ends with the path it used;
  // only its first part is kept, so the message names the target the caller gave.
  const reason = String((e as Error).message).split(', ')[0];
  return new ArgumentError(op, `cannot ${what} '${path}' (${reason})`, { cause: e });
}

function checkPath(op: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(op, `path must be a non-empty string, got ${describeValue(path)}`);
}

/** Writes `sd` (and optional string metadata) to `path` as safetensors, atomically. */
export function saveFile(path: string, sd: StateDict, metadata?: Record<string, string>): void {
  const op = 'saveFile';
  checkPath(op, path);
  const bytes = saveSafetensors(sd, metadata);
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  let fd: number;
  try {
    // 'w' truncates what a killed save of this target left behind.
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw fsError(op, path, 'save', e);
  }
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw fsError(op, path, 'save', e);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw fsError(op, path, 'save', e);
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
  checkPath('loadFile', path);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw fsError('loadFile', path, 'read', e);
  }
  return loadSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

export { loadSafetensors, saveSafetensors, safetensorsMetadata } from './safetensors.js';
