import { describe, expect, it } from 'vitest';
import { type CaseResult, measure, runCase, summarize } from '../src/harness.js';
import { fmtMs, formatTable } from '../src/table.js';

describe('bench harness', () => {
  it('summarizes samples by median and minimum', () => {
    expect(summarize([5, 1, 3])).toEqual({ medianMs: 3, minMs: 1, samples: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ medianMs: 2.5, minMs: 1, samples: 4 });
    expect(() => summarize([])).toThrow();
  });

  it('warms up, batches fast calls into samples and reports the time per call', () => {
    // A fake clock: every call of run() takes exactly 0.5 ms.
    let clock = 0;
    let calls = 0;
    const t = measure(() => {
      clock += 0.5;
      calls++;
    }, { budgetMs: 100, minSamples: 5, minSampleMs: 2, now: () => clock });
    expect(t.medianMs).toBeCloseTo(0.5);
    expect(t.minMs).toBeCloseTo(0.5);
    expect(t.samples).toBeGreaterThanOrEqual(5);
    expect(calls).toBeGreaterThan(t.samples * 4); // 4 calls per 2 ms sample, plus the warm-up
  });

  it('runs setup before timing and times peers too', async () => {
    const order: string[] = [];
    const r = await runCase({
      name: 'c',
      setup: () => void order.push('setup'),
      run: () => void order.push('run'),
      peers: { other: { setup: () => void order.push('peer setup'), run: () => void order.push('peer run') } },
    }, { budgetMs: 1 });
    expect(order[0]).toBe('setup');
    expect(order.indexOf('peer setup')).toBeGreaterThan(order.lastIndexOf('run'));
    expect(Object.keys(r.peers)).toEqual(['other']);
  });

  it('prints GFLOP/s from the median and a ratio column per peer', () => {
    const results: CaseResult[] = [
      { name: 'sgemm 100', timing: { medianMs: 2, minMs: 1.5, samples: 5 }, flops: 2e6, peers: { tfjs: { medianMs: 6, minMs: 5, samples: 5 } } },
      { name: 'no flops', timing: { medianMs: 150, minMs: 120, samples: 5 }, peers: {} },
    ];
    const lines = formatTable('title', results).split('\n');
    expect(lines[0]).toBe('title');
    expect(lines[1]).toMatch(/^case\s+median ms\s+min ms\s+GFLOP\/s\s+best GFLOP\/s\s+tfjs ms\s+x vs tfjs$/);
    expect(lines[3]).toMatch(/^sgemm 100\s+2\.00\s+1\.50\s+1\.00\s+1\.33\s+6\.00\s+3\.00$/);
    expect(lines[4]).toMatch(/^no flops\s+150\s+120$/);
    expect(fmtMs(0.01234)).toBe('0.0123');
  });
});

describe('bench harness: slow and failing peers', () => {
  it('skips the warm-up with minWarmup 0 and budget 0: one call per sample, minSamples samples', () => {
    let clock = 0;
    let calls = 0;
    const t = measure(() => {
      clock += 1000;
      calls++;
    }, { budgetMs: 0, minWarmup: 0, minSamples: 3, now: () => clock });
    expect(calls).toBe(3);
    expect(t).toEqual({ medianMs: 1000, minMs: 1000, samples: 3 });
  });

  it('lists a peer that throws as unavailable with its message, and still times the others', async () => {
    const r = await runCase({
      name: 'c',
      run: () => {},
      workload: 'chainedAdds',
      peers: {
        broken: { run: () => { throw new Error("Kernel 'X' not registered"); } },
        fine: { run: () => {} },
      },
    }, { budgetMs: 1 });
    expect(r.unavailable).toEqual({ broken: "Kernel 'X' not registered" });
    expect(Object.keys(r.peers)).toEqual(['fine']);
    expect(r.workload).toBe('chainedAdds');
    const lines = formatTable('t', [r]).split('\n');
    expect(lines[1]).toMatch(/fine ms\s+x vs fine\s+broken ms\s+x vs broken$/);
    expect(lines[3]).toMatch(/\sn\/a$/);
    expect(lines[4]).toBe("n/a: broken cannot run 'c': Kernel 'X' not registered");
  });
});
