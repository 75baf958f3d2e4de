// The bench's CNN+GroupNorm training step (src/cnn-step.ts) gives the same bits as the code it was pinned
// with: the loss of each step and a hash of every parameter after the last one, per backend, batch size and
// thread count. test/fixtures/step-bits.json was written by this file at commit a9c85e1 (before issue 14's
// speed work) with MINIGRAD_WRITE_STEP_BITS=1; a speed change that alters the arithmetic fails here, and then
// has to be argued (and measured against PyTorch's fixtures) rather than slip in. The keys ending in
// ', winograd' (the step under setConvAlgorithm('winograd'), other arithmetic by design) were added when
// Winograd came in (issue 14, session 8): they pin its bits from then on. A compiled step (compile(): kernel
// calls replayed after a few traced calls) must give the same pinned bits as the eager one.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, setBackend, wasmAvailable } from '@minigrad/tensor';
import { setThreads } from '@minigrad/tensor/node';
import { makeCnnStep } from '../src/cnn-step.js';

interface Pinned {
  /** Each step's loss, as the hex of its float32 bits. */
  losses: string[];
  /** FNV-1a (32 bits) over the bytes of every parameter after the last step, in model.parameters() order. */
  params: string;
}

const FIXTURE = new URL('./fixtures/step-bits.json', import.meta.url);
const write = process.env.MINIGRAD_WRITE_STEP_BITS === '1';
const pinned: Record<string, Pinned> = write ? {} : JSON.parse(readFileSync(FIXTURE, 'utf8'));

function hex32(x: number): string {
  const f = new Float32Array([x]);
  return new Uint32Array(f.buffer)[0].toString(16).padStart(8, '0');
}

function fnv1a(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function run(c: Case): Pinned {
  const { model, step, compiled } = makeCnnStep(c.batch, { tidy: c.tidy, compiled: c.compiled, convAlgorithm: c.winograd ? 'winograd' : undefined });
  const losses: string[] = [];
  for (let s = 0; s < c.steps; s++) losses.push(hex32(step().item()));
  // The last steps were replays, not eager calls.
  if (compiled) expect(compiled.stats.replays).toBeGreaterThanOrEqual(1);
  return { losses, params: fnv1a([...model.parameters()].map((p) => p.data.contiguous().toTypedArray() as Float32Array)) };
}

interface Case {
  name: string; backend: 'js' | 'wasm'; batch: number; steps: number; threads: number; tidy?: boolean; compiled?: boolean; winograd?: boolean;
}
const cases: Case[] = [
  { name: 'js, batch 2', backend: 'js', batch: 2, steps: 3, threads: 1 },
  { name: 'js, batch 2, winograd', backend: 'js', batch: 2, steps: 3, threads: 1, winograd: true },
  // tidy() only changes where memory comes from: the same pinned bits.
  { name: 'js, batch 2, in tidy()', backend: 'js', batch: 2, steps: 3, threads: 1, tidy: true },
  ...(wasmAvailable()
    ? [
        { name: 'wasm, batch 2', backend: 'wasm' as const, batch: 2, steps: 5, threads: 1 },
        { name: 'wasm, batch 32', backend: 'wasm' as const, batch: 32, steps: 2, threads: 1 },
        { name: 'wasm, batch 2, in tidy()', backend: 'wasm' as const, batch: 2, steps: 5, threads: 1, tidy: true },
        { name: 'wasm, batch 32, in tidy()', backend: 'wasm' as const, batch: 32, steps: 2, threads: 1, tidy: true },
        // The pinned bits are the one-thread ones: results do not depend on the thread count.
        { name: 'wasm, batch 2, 2 threads', backend: 'wasm' as const, batch: 2, steps: 5, threads: 2 },
        { name: 'wasm, batch 32, 2 threads', backend: 'wasm' as const, batch: 32, steps: 2, threads: 2 },
        { name: 'wasm, batch 2, winograd', backend: 'wasm' as const, batch: 2, steps: 5, threads: 1, winograd: true },
        { name: 'wasm, batch 2, in tidy(), winograd', backend: 'wasm' as const, batch: 2, steps: 5, threads: 1, tidy: true, winograd: true },
        { name: 'wasm, batch 2, 2 threads, winograd', backend: 'wasm' as const, batch: 2, steps: 5, threads: 2, winograd: true },
        { name: 'wasm, batch 2, compiled', backend: 'wasm' as const, batch: 2, steps: 5, threads: 1, compiled: true },
        { name: 'wasm, batch 2, compiled, winograd', backend: 'wasm' as const, batch: 2, steps: 5, threads: 1, compiled: true, winograd: true },
        { name: 'wasm, batch 2, 2 threads, compiled', backend: 'wasm' as const, batch: 2, steps: 5, threads: 2, compiled: true },
        { name: 'wasm, batch 2, 2 threads, compiled, winograd', backend: 'wasm' as const, batch: 2, steps: 5, threads: 2, compiled: true, winograd: true },
      ]
    : []),
];

describe.runIf(wasmAvailable())('the compiled bench CNN step at batch 32 (more steps than pinned: traces, then replays)', () => {
  for (const threads of [1, 2]) {
    it(`gives the eager step's bits, ${threads} thread(s)`, async () => {
      setBackend('wasm');
      await setThreads(threads);
      try {
        const eager = run({ name: 'eager', backend: 'wasm', batch: 32, steps: 6, threads, tidy: true });
        expect(run({ name: 'compiled', backend: 'wasm', batch: 32, steps: 6, threads, compiled: true })).toEqual(eager);
      } finally {
        await setThreads(1);
      }
    }, 60_000);
  }
});

describe('the bench CNN step gives the pinned bits', () => {
  const previous = getBackend();
  afterAll(async () => {
    setBackend(previous);
    await setThreads(1);
    if (write) writeFileSync(FIXTURE, `${JSON.stringify(pinned, null, 2)}\n`);
  });
  for (const c of cases) {
    it(c.name, async () => {
      setBackend(c.backend);
      await setThreads(c.threads);
      const got = run(c);
      const key = `${c.backend}, batch ${c.batch}${c.winograd ? ', winograd' : ''}`;
      if (write && c.threads === 1 && !c.tidy && !c.compiled) pinned[key] = got;
      expect(got).toEqual(pinned[key]);
    });
  }
});
