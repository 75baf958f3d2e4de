import { describe, expect, it } from 'vitest';
import { type Round, formatRounds, formatSpread, loadWarning, ratioDef, roundRatios, roundSchedule, spread } from '../src/rounds.js';
import { checkTargets, issue14Targets } from '../src/targets.js';

// Three rounds of made-up medians (ms). Round 2 lost its PyTorch batch-32 sample.
const rounds: Round[] = [
  { cnnBatch2: { minigrad: 4, PyTorch: 2 }, cnnBatch32: { minigrad: 40, PyTorch: 60 }, sgemm512: { minigrad: 10 }, sgemm512TwoThreads: { minigrad: 5 } },
  { cnnBatch2: { minigrad: 2, PyTorch: 2 }, cnnBatch32: { minigrad: 50 }, sgemm512: { minigrad: 9 }, sgemm512TwoThreads: { minigrad: 10 } },
  { cnnBatch2: { minigrad: 8, PyTorch: 2 }, cnnBatch32: { minigrad: 30, PyTorch: 45 }, sgemm512: { minigrad: 12 }, sgemm512TwoThreads: { minigrad: 8 } },
];

describe('interleaved rounds', () => {
  it('times each row on minigrad then on PyTorch, and the three sgemm steps of a ratio back to back', () => {
    const all = roundSchedule(['cnnBatch2', 'sgemm512', 'sgemm512TwoThreads', 'cnnBatch32TwoThreads'], true);
    expect(all.map((s) => `${s.side} ${s.id}`)).toEqual([
      'minigrad cnnBatch2', 'PyTorch cnnBatch2',
      'minigrad cnnBatch32TwoThreads', 'PyTorch cnnBatch32TwoThreads',
      'PyTorch sgemm512', 'minigrad sgemm512', 'minigrad sgemm512TwoThreads', 'PyTorch sgemm512TwoThreads',
    ]);
    expect(roundSchedule(['sgemm512TwoThreads', 'sgemm512', 'cnnBatch2'], false).map((s) => `${s.side} ${s.id}`)).toEqual([
      'minigrad cnnBatch2', 'minigrad sgemm512', 'minigrad sgemm512TwoThreads',
    ]);
    expect(roundSchedule(['sgemm512TwoThreads'], true).map((s) => s.side)).toEqual(['minigrad', 'PyTorch']);
  });

  it('times the tidy() twin of a row between its minigrad and PyTorch steps, and takes its ratio to PyTorch', () => {
    expect(roundSchedule(['cnnBatch2', 'cnnBatch32'], true, { cnnBatch2: ['minigrad tidy'] }).map((s) => `${s.side} ${s.id}`)).toEqual([
      'minigrad cnnBatch2', 'minigrad tidy cnnBatch2', 'PyTorch cnnBatch2', 'minigrad cnnBatch32', 'PyTorch cnnBatch32',
    ]);
    const withTidy: Round[] = [{ cnnBatch2: { minigrad: 4, 'minigrad tidy': 2, PyTorch: 3 } }, { cnnBatch2: { minigrad: 4, PyTorch: 3 } }];
    expect(roundRatios(ratioDef('cnnBatch2Tidy'), withTidy)).toEqual([1.5]);
    expect(formatRounds({ rounds: withTidy })).toContain('CNN+GN train step, batch 2: minigrad in tidy()/PyTorch');
  });

  it('times the variants in a fixed order between the plain step and PyTorch, and takes each ratio to PyTorch', () => {
    const all = ['minigrad compiled winograd', 'minigrad tidy', 'minigrad compiled', 'minigrad tidy winograd'] as const;
    expect(roundSchedule(['cnnBatch2'], true, { cnnBatch2: all }).map((s) => s.side)).toEqual([
      'minigrad', 'minigrad tidy', 'minigrad tidy winograd', 'minigrad compiled', 'minigrad compiled winograd', 'PyTorch',
    ]);
    const round: Round[] = [{
      cnnBatch2: { minigrad: 4, 'minigrad tidy': 2, 'minigrad tidy winograd': 1.5, 'minigrad compiled': 1.2, 'minigrad compiled winograd': 1, PyTorch: 3 },
    }];
    expect(roundRatios(ratioDef('cnnBatch2TidyWinograd'), round)).toEqual([2]);
    expect(roundRatios(ratioDef('cnnBatch2Compiled'), round)).toEqual([2.5]);
    expect(roundRatios(ratioDef('cnnBatch2CompiledWinograd'), round)).toEqual([3]);
    const text = formatRounds({ rounds: round });
    expect(text).toContain('CNN+GN train step, batch 2: minigrad in tidy(), Winograd/PyTorch');
    expect(text).toContain('CNN+GN train step, batch 2: minigrad compiled, Winograd/PyTorch');
  });

  it("takes each round's speed ratio from that round's two medians, skipping rounds that lack one", () => {
    // speed ratio minigrad/PyTorch = PyTorch ms / minigrad ms
    expect(roundRatios(ratioDef('cnnBatch2'), rounds)).toEqual([0.5, 1, 0.25]);
    expect(roundRatios(ratioDef('cnnBatch32'), rounds)).toEqual([1.5, 1.5]);
    // two threads over one: one-thread ms / two-thread ms
    expect(roundRatios(ratioDef('sgemm512TwoOverOneThread'), rounds)).toEqual([2, 0.9, 1.5]);
    expect(roundRatios(ratioDef('cnnBatch2TwoThreads'), rounds)).toEqual([]);
    expect(() => ratioDef('nope')).toThrow('no interleaved ratio named nope');
  });

  it('gives the median (the mean of the middle two for an even count) and the min-max', () => {
    expect(spread([2, 0.9, 1.5])).toEqual({ perRound: [2, 0.9, 1.5], median: 1.5, min: 0.9, max: 2 });
    expect(spread([4, 1, 3, 2])).toMatchObject({ median: 2.5, min: 1, max: 4 });
    expect(spread([])).toBeUndefined();
    expect(formatSpread(spread([2, 0.9, 1.5])!)).toBe('1.50x (interleaved median of 3 rounds, 0.90-2.00)');
    expect(formatSpread(spread([12.34])!)).toBe('12.3x (interleaved median of 1 round, 12.3-12.3)');
  });

  it('prints one line per measured ratio with the per-round ratios, median, spread and median figures', () => {
    const lines = formatRounds({ rounds }).split('\n');
    expect(lines[0]).toMatch(/^ratio \(speed of \/ speed over\)\s+r1\s+r2\s+r3\s+median\s+min-max\s+of \(median\)\s+over \(median\)$/);
    expect(lines).toHaveLength(2 + 3); // no line for the rows no round measured
    expect(lines[2]).toMatch(/^CNN\+GN train step, batch 2: minigrad\/PyTorch\s+0\.50\s+1\.00\s+0\.25\s+0\.50x\s+0\.25-1\.00\s+250\.0 steps\/s\s+500\.0 steps\/s$/);
    expect(lines[3]).toMatch(/^CNN\+GN train step, batch 32: minigrad\/PyTorch\s+1\.50\s+-\s+1\.50\s+1\.50x\s+1\.50-1\.50\s+800\.0 images\/s\s+609\.5 images\/s$/); // 32 images in the median of 60 and 45 ms
    expect(lines[4]).toMatch(/^sgemm 512x512x512: minigrad 2 threads\/1 thread\s+2\.00\s+0\.90\s+1\.50\s+1\.50x\s+0\.90-2\.00\s+33\.6 GFLOP\/s\s+26\.8 GFLOP\/s$/);
  });
});

describe('the load warning', () => {
  it('warns when the load average went above the core count during the phase, and only then', () => {
    expect(loadWarning({ rounds, machine: { cores: 2, loads: [1.5, 2.4, 1.9] } })).toMatch(/^warning: load average up to 2\.4 on 2 cores during the interleaved phase/);
    expect(loadWarning({ rounds, machine: { cores: 2, loads: [1.5, 2, 1.9] } })).toBeUndefined();
    expect(loadWarning({ rounds })).toBeUndefined();
  });
});

describe("issue 14's targets", () => {
  it('checks the medians of the interleaved ratios against the thresholds', () => {
    const byTarget = new Map(issue14Targets({ rounds }).map((c) => [c.target, c]));
    expect(byTarget.get('issue 14: CNN+GN step, batch 2: >= 1.0x PyTorch')).toMatchObject({
      pass: false, measured: '0.50x (interleaved median of 3 rounds, 0.25-1.00)',
    });
    expect(byTarget.get('issue 14: CNN+GN step, batch 32: >= 1.3x PyTorch')).toMatchObject({
      pass: true, measured: '1.50x (interleaved median of 2 rounds, 1.50-1.50)',
    });
    expect(byTarget.get('issue 14: sgemm 512, two threads: >= 1.8x one thread')).toMatchObject({ pass: false, measured: expect.stringMatching(/^1\.50x /) });
    expect(byTarget.get('issue 14: CNN+GN step, batch 2, 2 threads: >= 1.0x PyTorch')).toEqual({
      target: 'issue 14: CNN+GN step, batch 2, 2 threads: >= 1.0x PyTorch', measured: 'not run',
    });
  });

  it("says 'PyTorch not run' without PyTorch and still checks the sgemm ratio, which needs no peer", () => {
    const minigradOnly: Round[] = rounds.map((r) => ({ sgemm512: r.sgemm512, sgemm512TwoThreads: r.sgemm512TwoThreads }));
    const checks = issue14Targets({ rounds: minigradOnly, torchMissing: 'spawnSync /usr/bin/python3 ENOENT' });
    expect(checks.map((c) => c.measured)).toEqual([
      ...Array(20).fill('PyTorch not run'), '1.50x (interleaved median of 3 rounds, 0.90-2.00)',
    ]);
  });

  it("marks every issue-14 target 'not run' when the phase did not run, and checkTargets appends them to issue 7's", () => {
    expect(issue14Targets(undefined).every((c) => c.measured === 'not run' && c.pass === undefined)).toBe(true);
    const all = checkTargets([], { rounds });
    expect(all.map((c) => c.target.startsWith('issue 14:'))).toEqual([...Array(9).fill(false), ...Array(21).fill(true)]);
    expect(all[9].measured).toBe('0.50x (interleaved median of 3 rounds, 0.25-1.00)');
  });
});
