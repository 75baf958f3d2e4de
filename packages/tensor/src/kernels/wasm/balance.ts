// How work is shared between threads (threads.ts): in proportion to how fast each thread ran its share of
// recent jobs, instead of evenly. Threads of one machine need not be equally fast: the two vCPUs of the bench
// machine often are not (two processes running sgemm 512 at once, 2026-12-06: one at 48-51 GFLOP/s, the other
// at 30-34, though both ran 47-50 three minutes earlier), and hybrid CPUs (performance and efficiency cores) differ by design.
// An even split then waits for the slowest thread. Where work is cut (samples, channels, columns of a
// product) never changes results (see threads.ts), so the cut may follow the measured speeds.

/** Relative speed of each thread (units of work per millisecond, mean about 1); index 0 is the calling thread. */
let speeds: number[] = [1];
/** How much of the previous estimate a new measurement keeps (a descheduled thread moves it only so far). */
const KEEP = 0.7;
/**
 * Each thread's share but the last stays within these multiples of an even share, whatever was measured; the
 * last takes the rest (with two threads, so within the same limits).
 */
const MIN_SHARE = 0.5;
const MAX_SHARE = 1.5;

/** Forgets what was measured: `threads` threads, all taken as equally fast (a new pool of workers). */
export function resetSpeeds(threads: number): void {
  speeds = new Array<number>(threads).fill(1);
}

/**
 * Where to cut n units of work for T threads: T + 1 bounds from 0 to n, thread t taking [bounds[t],
 * bounds[t + 1]), in proportion to the threads' speeds, on multiples of `granule` (but the last bound n).
 */
export function splitBounds(n: number, T: number, granule = 1): number[] {
  const s = Array.from({ length: T }, (_, t) => speeds[t] ?? 1);
  const total = s.reduce((a, b) => a + b, 0);
  const bounds = [0];
  let sum = 0;
  for (let t = 0; t < T - 1; t++) {
    sum += Math.min(MAX_SHARE, Math.max(MIN_SHARE, (s[t] * T) / total)) / T;
    const cut = Math.round((n * sum) / granule) * granule;
    bounds.push(Math.min(n, Math.max(bounds[t], cut)));
  }
  bounds.push(n);
  return bounds;
}

/**
 * Records one job cut at `bounds` (splitBounds): thread t did units [bounds[t], bounds[t + 1]) in ms[t]
 * milliseconds. Jobs where a thread had nothing are skipped.
 */
export function recordSpeeds(bounds: readonly number[], ms: readonly number[]): void {
  const T = bounds.length - 1;
  if (T < 2 || T > speeds.length) return;
  const rates = ms.slice(0, T).map((m, t) => (bounds[t + 1] - bounds[t]) / Math.max(m, 1e-3));
  if (!rates.every((r) => r > 0 && Number.isFinite(r))) return;
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  for (let t = 0; t < rates.length; t++) speeds[t] = KEEP * speeds[t] + ((1 - KEEP) * rates[t]) / mean;
}

/** Sets the speeds (tests: a split as uneven as the limits allow) and returns the previous ones. */
export function setSpeeds(next: number[]): number[] {
  const previous = speeds;
  speeds = [...next];
  return previous;
}
