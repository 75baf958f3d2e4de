import { describe, expect, it } from 'vitest';
import type { CaseResult, Timing } from '../src/harness.js';
import { formatSummary, formatUnavailable, summaryRows } from '../src/summary.js';
import { checkTargets, formatTargets } from '../src/targets.js';

const t = (medianMs: number): Timing => ({ medianMs, minMs: medianMs, samples: 5 });

const results: CaseResult[] = [
  // 2*512^3 flops in 10 ms = 26.84 GFLOP/s; tfjs-wasm 5 ms = twice as fast
  { name: 'sgemm 512', workload: 'sgemm512', timing: t(10), peers: { 'tfjs-cpu': t(200), 'tfjs-wasm': t(5), 'jax-js': t(20) } },
  { name: 'other', timing: t(1), peers: {} },
  {
    name: 'cnn 2', workload: 'cnnBatch2', timing: t(2), peers: { 'tfjs-cpu': t(1000) },
    unavailable: { 'tfjs-wasm': "Kernel 'Conv2DBackpropFilter' not registered" },
  },
  { name: 'adds', workload: 'chainedAdds', timing: t(50), peers: {} },
  // 2 threads: 6 ms against 10 ms on one thread = 1.67x; jax-js has no threads in Node
  { name: 'sgemm 512, 2 threads', workload: 'sgemm512TwoThreads', timing: t(6), peers: {} },
];

describe('summary table', () => {
  const torch = { ok: true, version: '1.13', runs: [], medianMs: { sgemm512: 1, chainedAdds: 40 } } as const;
  // jax-js on 2 threads comes from its child process; 12 ms for the 6 ms of minigrad
  const rows = summaryRows(results, torch, { ok: true, medianMs: { sgemm512TwoThreads: 12 } });

  it('keeps the tagged cases in workload order, with peers, PyTorch and unavailable peers', () => {
    expect(rows.map((r) => r.id)).toEqual(['sgemm512', 'sgemm512TwoThreads', 'cnnBatch2', 'chainedAdds']);
    expect(rows[0].peerMs).toEqual({ 'tfjs-cpu': 200, 'tfjs-wasm': 5, 'jax-js': 20, PyTorch: 1 });
    expect(rows[2].unavailable).toEqual({ 'tfjs-wasm': "Kernel 'Conv2DBackpropFilter' not registered" });
  });

  it('prints figures in the workload unit and speed ratios minigrad/peer', () => {
    const lines = formatSummary(rows).split('\n');
    expect(lines[0]).toMatch(
      /^workload\s+unit\s+minigrad\s+tfjs-cpu\s+tfjs-wasm\s+jax-js\s+PyTorch\s+minigrad\/tfjs-cpu\s+minigrad\/tfjs-wasm\s+minigrad\/jax-js\s+minigrad\/PyTorch$/,
    );
    expect(lines[2]).toMatch(/^sgemm 512x512x512\s+GFLOP\/s\s+26\.8\s+1\.34\s+53\.7\s+13\.4\s+268\s+20\.0x\s+0\.50x\s+2\.00x\s+0\.10x$/);
    expect(lines[3]).toMatch(/^sgemm 512x512x512, 2 threads\s+GFLOP\/s\s+44\.7\s+-\s+-\s+22\.4\s+-\s+-\s+-\s+2\.00x\s+-$/);
    expect(lines[4]).toMatch(/steps\/s\s+500\s+1\.00\s+cannot train\s+-\s+-\s+500x\s+-\s+-\s+-$/);
    expect(lines[5]).toMatch(/ms\s+50\.0\s+-\s+-\s+-\s+40\.0\s+-\s+-\s+-\s+0\.80x$/);
    expect(formatUnavailable(rows)).toBe("tfjs-wasm on 'CNN+GN train step, batch 2': Kernel 'Conv2DBackpropFilter' not registered");
    const failed = summaryRows(results, torch, { ok: false, reason: 'node dist/peers/jaxjs-threads.js: exited with 1' });
    expect(failed[1].unavailable).toEqual({ 'jax-js': 'node dist/peers/jaxjs-threads.js: exited with 1' });
    expect(formatSummary(failed).split('\n')[3]).toMatch(/44\.7\s+-\s+-\s+cannot run\s+-/);
    expect(failed[0].unavailable).toEqual({}); // one-thread rows keep their in-process jax-js figure
  });

  it('says why PyTorch is missing by leaving its column empty when it was skipped', () => {
    const skipped = summaryRows(results, { ok: false, reason: 'no torch' });
    expect(skipped[0].peerMs.PyTorch).toBeUndefined();
  });

  it('checks the targets against the measured figures', () => {
    const checks = checkTargets(rows);
    const byTarget = new Map(checks.map((c) => [c.target, c]));
    expect(byTarget.get('CNN+GN step, batch 2: >= 200x TensorFlow.js-cpu')).toMatchObject({ pass: true, measured: '500.0x' });
    expect(byTarget.get('CNN+GN step, batch 2: >= 540 steps/s')).toMatchObject({ pass: false, measured: '500.0 steps/s' });
    expect(byTarget.get('CNN+GN step, batch 32: >= 800 images/s')).toEqual({ target: 'CNN+GN step, batch 32: >= 800 images/s', measured: 'not run' });
    expect(byTarget.get('sgemm 512, one thread: >= 47 GFLOP/s')?.pass).toBe(false);
    expect(byTarget.get('conv2d forward: >= sgemm 512 rate / 1.5')?.measured).toBe('not run');
    expect(byTarget.get('10k chained adds + backward: <= 43 ms')).toMatchObject({ pass: false, measured: '50.0 ms' });
    // issue 14's come from the interleaved phase only (test/rounds.test.ts), not from the summary's rows
    expect(byTarget.get('issue 14: sgemm 512, two threads: >= 1.8x one thread')).toMatchObject({ measured: 'not run' });
    expect(byTarget.get('issue 14: CNN+GN step, batch 2: >= 1.0x PyTorch')?.pass).toBeUndefined();
    const text = formatTargets(checks).split('\n');
    expect(text[0]).toMatch(/^pass\s+CNN\+GN step, batch 2: >= 200x TensorFlow\.js-cpu\s+measured 500\.0x$/);
    expect(text[1]).toMatch(/^falls short\s+CNN\+GN step/);
  });

  it('bounds the conv rates by the sgemm rate / 1.5', () => {
    const conv: CaseResult = { name: 'conv', workload: 'conv2dForward', timing: t(231.211008 / 20), peers: {} };
    const [check] = checkTargets(summaryRows([results[0], conv], { ok: false, reason: '' })).filter((c) => c.target.startsWith('conv2d forward'));
    // conv at 20 GFLOP/s against 26.84 / 1.5 = 17.9
    expect(check).toMatchObject({ pass: true, measured: '20.0 GFLOP/s (bound 17.9)' });
  });
});
