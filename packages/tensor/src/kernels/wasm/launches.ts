// The wasm calls one kernel call launches, logged while a captured step traces it (capture/compile.ts), so that
// its replays can make those calls alone: no KernelCall, no operand checks, no step lists built again. A replay
// of the log is the kernel call only if the wasm calls were all it did to memory, which this file cannot see;
// so the log is taken only for the kernels that promise it (DIRECT_REPLAY in index.ts), and spoiled by anything
// that touches wasm memory from JavaScript on the way: a staged operand (call.ts), the copy helpers and views of
// instance.ts, a wasm call that returns a value, the memory at its maximum.
//
// Scratch: a logged call's scratch cannot live in the call arena, which moves up as resident storage is claimed
// (instance.ts) and would then overlap storage a replay must not touch. The opener hands out scratch of its own
// (`scratchAt`), which lives as long as the log's replays.

/** One wasm call of a log: `fn(...args)`, all numbers (byte addresses, sizes). */
export interface Launch {
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
}

interface Log {
  readonly launches: Launch[];
  /** Byte address of `bytes` bytes of scratch that outlives the log (16-byte aligned), or -1 if there is none. */
  readonly scratchAt: (bytes: number) => number;
  spoiled: boolean;
  /** Depth of runOnThreads calls in progress: their own wasm calls are part of their launch. */
  paused: number;
}

let log: Log | null = null;

/** Starts logging the wasm calls of one kernel call (scratchAt: see the file comment). */
export function openLaunchLog(scratchAt: (bytes: number) => number): void {
  log = { launches: [], scratchAt, spoiled: false, paused: 0 };
}

/** Ends the log: its launches, or null when it was spoiled or launched nothing. */
export function closeLaunchLog(): Launch[] | null {
  const l = log;
  log = null;
  return l === null || l.spoiled || l.launches.length === 0 ? null : l.launches;
}

/** Whether a log is open and counting (not spoiled, not inside a runOnThreads launch). */
export function logging(): boolean {
  return log !== null && !log.spoiled && log.paused === 0;
}

/** Notes `fn(...args)` as the log's next launch. */
export function noteLaunch(fn: Launch['fn'], args: readonly unknown[]): void {
  if (logging()) log!.launches.push({ fn, args });
}

/** Marks the open log as not replayable (JavaScript touched wasm memory, or the call went another way). */
export function spoilLaunchLog(): void {
  if (log !== null) log.spoiled = true;
}

/** Scratch of the log's own for a call placed while logging (see the file comment), or -1. */
export function logScratch(bytes: number): number {
  return log === null ? -1 : log.scratchAt(bytes);
}

/** Runs fn with the log paused (a launch whose inner wasm calls belong to it). */
export function withLogPaused<R>(fn: () => R): R {
  if (log === null) return fn();
  const l = log;
  l.paused++;
  try {
    return fn();
  } finally {
    l.paused--;
  }
}
