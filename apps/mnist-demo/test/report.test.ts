import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import type * as vega from 'vega';
import type * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { NormName } from '../src/architecture.js';
import { parseCli } from '../src/cli.js';
import { summarize, type Results, type RunResult } from '../src/report/results.js';
import { formatTable } from '../src/report/table.js';
import { writeReport } from '../src/report/write.js';

/** A made-up run whose error is a simple function of its configuration, for checking the plumbing. */
function fakeRun(norm: NormName, batchSize: number, seed: number, testError: number): RunResult {
  const curve = [0.5, 1].map((epoch) => ({ epoch, trainLoss: 1 / epoch, trainError: 10 / epoch, testLoss: 1.2 / epoch, testError: testError / epoch }));
  const gradients = ['conv1.weight', 'fc2.weight', 'norm1.weight'].flatMap((layer, i) => curve.map((p) => ({ epoch: p.epoch, layer, norm: (i + 1) / p.epoch })));
  return { norm, batchSize, seed, lr: 0.1, steps: 10, testError, testLoss: 0.3, curve, gradients, seconds: 1, imagesPerSecond: 100 };
}

const runs = [
  fakeRun('batch', 32, 0, 2), fakeRun('batch', 32, 1, 4), fakeRun('batch', 2, 0, 6), fakeRun('batch', 2, 1, 10),
  fakeRun('group', 32, 0, 3), fakeRun('group', 32, 1, 3), fakeRun('group', 2, 0, 3), fakeRun('group', 2, 1, 5),
  fakeRun('layer', 2, 0, 4), fakeRun('layer', 2, 1, 4),
];

describe('summary and table', () => {
  it('gives mean and sample std over seeds per configuration', () => {
    const s = summarize(runs);
    const bn2 = s.find((r) => r.norm === 'batch' && r.batchSize === 2)!;
    expect(bn2.testErrorMean).toBe(8);
    expect(bn2.testErrorStd).toBeCloseTo(Math.SQRT2 * 2, 12);
    expect(s).toHaveLength(5);
  });

  it('prints norms x batch sizes (largest first) with the BN - GN gap and dashes for runs not made', () => {
    const lines = formatTable(summarize(runs)).split('\n');
    expect(lines[0]).toContain('mean ± std over 2 seeds');
    expect(lines[1]).toMatch(/^norm\s+batch 32\s+batch 2$/);
    expect(lines[2]).toMatch(/^BN\s+3\.00 ± 1\.41\s+8\.00 ± 2\.83$/);
    expect(lines[3]).toMatch(/^GN\s+3\.00 ± 0\.00\s+4\.00 ± 1\.41$/);
    expect(lines[4]).toMatch(/^LN\s+-\s+4\.00 ± 0\.00$/);
    expect(lines[5]).toMatch(/^BN - GN\s+\+0\.00\s+\+4\.00$/);
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
    options: parsed.options,
    data: { trainSize: 100, testSize: 50, splitSeed: 1, mean: 0.1, std: 0.3 },
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
    expect(Object.keys(results.figures).sort()).toEqual(['fig-batch-size', 'fig-batch-size-curves', 'fig-curves', 'fig-gradients']);
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
    expect(Object.keys(specs)).toHaveLength(4);
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
  });

  it('has figures with the data of the runs', () => {
    const results = JSON.parse(readFileSync(files[0]!, 'utf8')) as Results;
    const curves = results.figures['fig-curves'] as { data: { values: { normalization: string }[] } };
    expect(new Set(curves.data.values.map((v) => v.normalization))).toEqual(new Set(['BN', 'GN', 'LN']));
    // gradient flow: BN and GN at the smallest batch size, conv and linear weights only
    const flow = results.figures['fig-gradients'] as { data: { values: { normalization: string; parameter: string }[] } };
    expect(new Set(flow.data.values.map((v) => v.normalization))).toEqual(new Set(['BN', 'GN']));
    expect(new Set(flow.data.values.map((v) => v.parameter))).toEqual(new Set(['conv1.weight', 'fc2.weight']));
  });
});
