// The launch log (kernels/wasm/launches.ts): while a captured step traces a wasm kernel call, the wasm calls it
// launched, which its replays make instead of the call. Checked here: the launches redo the call on the values
// its operands hold at replay (resident operands in place, JavaScript's own arrays copied in and out by
// launches of their own), a call's scratch is the opener's (not the call arena), and what spoils the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getBackend, setBackend, wasmAvailable } from '../src/index.js';
import { getKernel } from '../src/internal.js';
import { f32 } from '../src/kernels/wasm/instance.js';
import { type Launch, closeLaunchLog, openLaunchLog } from '../src/kernels/wasm/launches.js';
import { takeResident } from '../src/kernels/wasm/resident.js';

const previous = getBackend();
beforeEach(() => setBackend('wasm'));
afterEach(() => {
  closeLaunchLog();
  setBackend(previous);
});

function replay(launches: readonly Launch[]): void {
  for (const l of launches) l.fn(...(l.args as never[]));
}

/** Scratch from resident memory, noting each request's size. */
function scratchFrom(requests: number[]): (bytes: number) => number {
  return (bytes) => {
    requests.push(bytes);
    return takeResident(Math.max(4, Math.ceil(bytes / 4)), false)!.byteOffset;
  };
}

const signs = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7 + k) % 5) - 2.5);
const relu = (a: Float32Array) => Array.from(a, (v) => (v < 0 ? 0 : v));

/** Runs fn with a launch log open; returns its launches (null if spoiled or empty). */
function logged(fn: () => void, scratchAt: (bytes: number) => number = scratchFrom([])): Launch[] | null {
  openLaunchLog(scratchAt);
  fn();
  return closeLaunchLog();
}

describe.skipIf(!wasmAvailable())('launch log', () => {
  const n = 4096;

  it('a kernel on resident operands is one launch, which redoes it on the values at replay', () => {
    const x = takeResident(n, false)!;
    const out = takeResident(n, false)!;
    x.set(signs(n, 0));
    const launches = logged(() => getKernel('unary.relu')(n, x, 0, 1, out, 0, 1, 0, 0));
    expect(launches).toHaveLength(1);
    expect(Array.from(out)).toEqual(relu(signs(n, 0)));
    x.set(signs(n, 3));
    replay(launches!);
    expect(Array.from(out)).toEqual(relu(signs(n, 3)));
  });

  it('arrays of JavaScript\'s own are copied in and out by launches, which read and write them at replay', () => {
    const x = signs(n, 0);
    const out = new Float32Array(n);
    const launches = logged(() => getKernel('unary.relu')(n, x, 0, 1, out, 0, 1, 0, 0));
    expect(launches).toHaveLength(3); // copy in, relu, copy out
    x.set(signs(n, 1));
    replay(launches!);
    expect(Array.from(out)).toEqual(relu(signs(n, 1)));
  });

  it('a call\'s scratch is the opener\'s: the channel sums accumulate where scratchAt said', () => {
    const [N, C, inner] = [2, 8, 512];
    const x = takeResident(N * C * inner, false)!;
    x.set(signs(N * C * inner, 0));
    const out = new Float32Array(C);
    const requests: number[] = [];
    let given = -1;
    const launches = logged(() => getKernel('sumChannels')(N, C, inner, x, 0, out, 0.5), (bytes) => (given = scratchFrom(requests)(bytes)));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toBeGreaterThanOrEqual(8 * C); // C float64 sums (and the staged output)
    expect(launches!.some((l) => l.args.includes(given))).toBe(true);
    const sums = (k: number) => {
      const v = signs(N * C * inner, k);
      return Array.from({ length: C }, (_, c) => {
        let s = 0;
        for (let b = 0; b < N; b++) for (let i = 0; i < inner; i++) s += v[(b * C + c) * inner + i];
        return Math.fround(s * 0.5);
      });
    };
    expect(Array.from(out)).toEqual(sums(0));
    x.set(signs(N * C * inner, 2));
    replay(launches!);
    expect(Array.from(out)).toEqual(sums(2));
  });

  it('is spoiled by JavaScript reading wasm memory, a wasm call that returns a value, and empty when nothing launched', () => {
    const x = takeResident(n, false)!;
    const out = takeResident(n, false)!;
    expect(logged(() => {
      getKernel('unary.relu')(n, x, 0, 1, out, 0, 1, 0, 0);
      f32();
    })).toBeNull();
    const indices = new Int32Array(1024).fill(0);
    expect(logged(() => getKernel('maxPool2dBackward')(1, 4096, 1024, x, indices, out))).toBeNull();
    expect(logged(() => getKernel('unary.relu')(16, x, 0, 1, out, 0, 1, 0, 0))).toBeNull(); // short: the JS kernel
  });
});
