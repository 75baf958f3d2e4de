import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import type * as vega from 'vega';
import type * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { NormName } from '../src/architecture.js';
import { parseCli } from '../src/cli.js';
import { readResults } from '../src/report/reading.js';
import { summarize, summarizeNoise, type Results, type RunResult } from '../src/report/results.js';
import { batchSizeChanges, formatFindings, formatMechanism, formatNoise, formatTable } from '../src/report/table.js';
import { writeReport } from '../src/report/write.js';

/** A made-up run whose error is a simple function of its configuration, for checking the plumbing. */
function fakeRun(norm: NormName, batchSize: number, seed: number, testError: number): RunResult {
  const curve = [0.5, 1].map((epoch) => ({ epoch, trainLoss: 1 / epoch, trainError: 10 / epoch, testLoss: 1.2 / epoch, testError: testError / epoch }));
  const gradients = ['stem.weight', 'fc.weight', 'stemNorm.weight'].flatMap((layer, i) => curve.map((p) => ({ epoch: p.epoch, layer, norm: (i + 1) / p.epoch })));
  const bn = norm === 'batch' && {
    testErrorTrainMode: testError + 1,
    testErrorPreciseBn: testError - 0.5,
    bnNoise: ['stemNorm', 'block1.norm1'].map((layer, i) => ({ layer, meanNoise: (i + 1) / Math.sqrt(batchSize), varNoise: 2 / Math.sqrt(batchSize), runningMeanGap: 0.01 * (seed + 1), runningVarGap: 0.02 })),
  };
  return { norm, batchSize, seed, lr: 0.1, steps: 10, testError, testLoss: 0.3, trainError: testError / 2, ...bn, curve, gradients, seconds: 1, measureSeconds: 0.5, imagesPerSecond: 100 };
}

const runs = [
  fakeRun('batch', 32, 0, 2), fakeRun('batch', 32, 1, 4), fakeRun('batch', 2, 0, 6), fakeRun('batch', 2, 1, 10),
  fakeRun('group', 32, 0, 3), fakeRun('group', 32, 1, 3), fakeRun('group', 2, 0, 3), fakeRun('group', 2, 1, 5),
  fakeRun('layer', 32, 0, 4), fakeRun('layer', 32, 1, 4),
];

describe('summary and tables', () => {
  it("gives each metric's values, mean and sample std over seeds per configuration", () => {
    const s = summarize(runs);
    const bn2 = s.find((r) => r.norm === 'batch' && r.batchSize === 2 && r.metric === 'test-error')!;
    expect(bn2).toEqual({ norm: 'batch', batchSize: 2, metric: 'test-error', seeds: [0, 1], values: [6, 10], mean: 8, std: Math.sqrt(8) });
    expect(s.find((r) => r.norm === 'batch' && r.batchSize === 2 && r.metric === 'test-error-precise-bn')!.values).toEqual([5.5, 9.5]);
    expect(s.find((r) => r.norm === 'group' && r.batchSize === 2 && r.metric === 'train-error')!.mean).toBe(2);
    // BN has all four metrics, the others test and train error only
    expect(s).toHaveLength(2 * 4 + 2 * 2 + 2);
    expect(s.some((r) => r.norm === 'group' && r.metric === 'test-error-precise-bn')).toBe(false);
  });

  it("averages every BN layer's noise over the seeds, per batch size", () => {
    const noise = summarizeNoise(runs);
    expect(noise.map((r) => [r.batchSize, r.layer])).toEqual([[32, 'stemNorm'], [32, 'block1.norm1'], [2, 'stemNorm'], [2, 'block1.norm1']]);
    expect(noise[2]!.meanNoise).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(noise[0]!.runningMeanGap).toBeCloseTo(0.015, 12);
    expect(noise[0]!.seeds).toBe(2);
  });

  it('prints norms x batch sizes (largest first) with the BN − GN gap and dashes for runs not made', () => {
    const lines = formatTable(summarize(runs)).split('\n');
    expect(lines[0]).toContain('mean ± std over 2 seeds');
    expect(lines[1]).toMatch(/^norm\s+batch 32\s+batch 2$/);
    expect(lines[2]).toMatch(/^BN\s+3\.00 ± 1\.41\s+8\.00 ± 2\.83$/);
    expect(lines[3]).toMatch(/^GN\s+3\.00 ± 0\.00\s+4\.00 ± 1\.41$/);
    expect(lines[4]).toMatch(/^LN\s+4\.00 ± 0\.00\s+-$/);
    expect(lines[5]).toMatch(/^BN − GN\s+\+0\.00\s+\+4\.00$/);
  });

  it('tests the change with batch size by its standard error over seeds', () => {
    const [bn, gn] = batchSizeChanges(summarize(runs));
    expect(bn).toMatchObject({ norm: 'batch', from: 32, to: 2, delta: 5 });
    // the same seeds ran at both sizes: paired by seed, the differences 4 and 6 have mean 5 and standard error 1
    expect(bn!.paired).toBe(true);
    expect(bn!.se).toBeCloseTo(1, 12);
    expect(bn!.t).toBeCloseTo(5, 12);
    expect(bn!.welchSe).toBeCloseTo(Math.sqrt(2 / 2 + 8 / 2), 12);
    expect(gn).toMatchObject({ norm: 'group', delta: 1 });
    expect(formatFindings({ summary: summarize(runs) })).toContain('BN from batch 32 to 2: +5.00 points (paired by seed: standard error 1.00, 5.0 SE; unpaired 2.24, 2.2 SE)');
    // different seeds: Welch only
    const unpaired = batchSizeChanges(summarize(runs.filter((r) => !(r.batchSize === 2 && r.seed === 0))));
    expect(unpaired[0]).toMatchObject({ paired: false });
    expect(unpaired[0]!.se).toBeCloseTo(unpaired[0]!.welchSe, 12);
  });

  it('reads the run in sentences made of its own numbers', () => {
    const text = readResults({ summary: summarize(runs), bnNoise: summarizeNoise(runs) }).join(' ');
    expect(text).toContain("BN's test error changes by +5.00 points (paired by seed: standard error 1.00, 5.0 SE; unpaired 2.24, 2.2 SE): larger than 2.5 standard errors");
    expect(text).toContain("GN's changes by +1.00 points");
    expect(text).toContain('8.00% with its running statistics, 7.50% after precise BN');
    expect(text).toContain('×4.0');
  });

  it("shows BN's errors by source of statistics and the noise per layer", () => {
    const mechanism = formatMechanism(summarize(runs)).split('\n');
    expect(mechanism.find((l) => l.startsWith('BN test, precise BN'))).toMatch(/2\.50 ± 1\.41\s+7\.50 ± 2\.83$/);
    const noise = formatNoise(summarizeNoise(runs)).split('\n');
    expect(noise.find((l) => l.startsWith('stemNorm'))).toMatch(/0\.177 \/ 0\.354\s+0\.707 \/ 1\.414$/);
  });
});

describe('writeReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-demo-report-'));
  const parsed = parseCli(['--quick']);
  if (parsed.help) throw new Error('unreachable');
  const { files } = writeReport(dir, {
    title: 'test report',
    createdAt: new Date(0).toISOString(),
    command: 'mnist-demo --quick',
    config: { ...parsed.options, normLayers: 'conv' },
    data: { dataset: 'fashion', trainSize: 100, testSize: 50, splitSeed: 1, mean: 0.1, std: 0.3 },
    model: 'a model',
    runs,
    totalSeconds: 3,
    environment: { node: 'v20', platform: 'linux-x64', cpu: 'a cpu', cpus: 2 },
  });

  it('writes results.json with every run, its curves, the summary and the figures', () => {
    const results = JSON.parse(readFileSync(files[0]!, 'utf8')) as Results;
    expect(results.runs).toHaveLength(runs.length);
    expect(results.runs[0]!.curve).toEqual(runs[0]!.curve);
    expect(results.summary).toEqual(summarize(runs));
    expect(results.bnNoise).toEqual(summarizeNoise(runs));
    expect(results.config).toMatchObject({ dataset: 'fashion', normLayers: 'conv', model: 'resnet' });
    expect(Object.keys(results.figures).sort()).toEqual(['fig-1', 'fig-4', 'fig-5', 'fig-gradients', 'fig-mechanism', 'fig-noise']);
  });

  it('writes a report.html that needs no network: vega, vega-lite and vega-embed inlined, no external resources', () => {
    const html = readFileSync(files[1]!, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    for (const global of ['.vega={}', '.vegaLite={}', '.vegaEmbed=']) expect(html).toContain(global);
    const scripts = html.match(/<script[\s>]/g) ?? [];
    expect(scripts.length).toBe((html.match(/<\/script>/g) ?? []).length);
    expect(html).toContain('<td>8.00 ± 2.83</td>');
    const specs = JSON.parse(html.match(/<script type="application\/json" id="specs">([\s\S]*?)<\/script>/)![1]!) as Record<string, object>;
    expect(Object.keys(specs)).toHaveLength(6);
    expect(html).toContain('What this run shows');
    expect(html).toContain('sample standard deviation');
    for (const id of Object.keys(specs)) expect(html).toContain(`<div id="${id}">`);
  });

  it('runs its inlined scripts as a browser would: they define vega, vegaLite and vegaEmbed, which draw its specs', async () => {
    const html = readFileSync(files[1]!, 'utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    // A global scope without CommonJS/AMD (no module, exports, define), so the bundles take their browser branch.
    const page: Record<string, unknown> = {};
    for (const k of ['console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone', 'URL', 'TextEncoder', 'TextDecoder']) {
      page[k] = (globalThis as Record<string, unknown>)[k];
    }
    const context = vm.createContext(page);
    for (const code of scripts.slice(0, 3)) vm.runInContext(code, context);
    const g = context as { vega: typeof vega; vegaLite: typeof vegaLite; vegaEmbed: unknown };
    expect(typeof g.vegaEmbed).toBe('function');
    const specs = JSON.parse(html.match(/<script type="application\/json" id="specs">([\s\S]*?)<\/script>/)![1]!) as Record<string, vegaLite.TopLevelSpec>;
    for (const spec of Object.values(specs)) {
      const view = new g.vega.View(g.vega.parse(g.vegaLite.compile(spec).spec), { renderer: 'none' });
      expect(await view.toSVG()).toContain('<path');
      view.finalize();
    }
    expect(scripts[3]).toContain("vegaEmbed('#' + id, spec");
  }, 60_000);

  it('has figures with the data of the runs', () => {
    const results = JSON.parse(readFileSync(files[0]!, 'utf8')) as Results;
    const curves = results.figures['fig-4'] as { data: { values: { normalization: string }[] } };
    expect(new Set(curves.data.values.map((v) => v.normalization))).toEqual(new Set(['BN', 'GN', 'LN']));
    // error against batch size: only the swept norms, on a y axis zoomed to their spread
    const fig1 = results.figures['fig-1'] as { data: { values: { normalization: string }[] }; layer: { encoding: { y: { scale: { domain: number[] } } } }[] };
    expect(new Set(fig1.data.values.map((v) => v.normalization))).toEqual(new Set(['BN', 'GN']));
    expect(fig1.layer[0]!.encoding.y.scale.domain[0]).toBeGreaterThan(0);
    // gradient flow: BN and GN at the smallest batch size, conv and linear weights only
    const flow = results.figures['fig-gradients'] as { data: { values: { normalization: string; parameter: string }[] } };
    expect(new Set(flow.data.values.map((v) => v.normalization))).toEqual(new Set(['BN', 'GN']));
    expect(new Set(flow.data.values.map((v) => v.parameter))).toEqual(new Set(['stem.weight', 'fc.weight']));
  });
});
