// The lab end to end in a real browser: the site built by `pnpm lab --build-only` (buildLab), served as
// `pnpm lab` serves it, driven in headless Chromium with playwright-core (the system's Chromium, never a
// downloaded one). BN and GN train a few hundred images side by side, paused and resumed; the charts, the
// graph, the predictions and the downloaded results.json are checked. The screenshot goes to
// out/lab-screenshot.png, and to web/screenshot.png (the README's) with UPDATE_SCREENSHOT=1.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APP_DIR, buildLab } from '../src/lab/build.js';
import { serveLab, type LabServer } from '../src/lab/serve.js';
import type { LabResults } from '../src/lab/session.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const NO_CHROMIUM = `no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM to a Chromium binary)`;
/** CI installs Chromium (.ci/run), so there a missing browser is a failure, never a silent skip. */
const inCi = process.env.CI === 'true' || process.env.CI === '1';

interface LabRunState { norm: string; batchSize: number; step: number; steps: number; status: string; trainError: number; testError: number; points: number; error: string }
declare const lab: { runs: LabRunState[]; crossOriginIsolated: boolean; start(): Promise<void>; pause(): void; graphShown: boolean };

describe('the lab in headless Chromium', () => {
  let dir = '';
  let server: LabServer | null = null;
  let browser: BrowserContext | null = null;
  let profile = '';

  beforeAll(async () => {
    if (!haveChromium) return;
    dir = mkdtempSync(join(tmpdir(), 'minigrad-lab-'));
    profile = mkdtempSync(join(tmpdir(), 'minigrad-lab-chromium-'));
    await buildLab(dir, { datasets: ['fashion'] });
    server = await serveLab(dir);
    // a fresh profile (the --user-data-dir) for every run
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    if (profile !== '') rmSync(profile, { recursive: true, force: true });
  });

  test('BN and GN train side by side at batch size 2: pause, charts, graph, predictions, results.json', async (ctx) => {
    if (!haveChromium && inCi) throw new Error(`CI: ${NO_CHROMIUM}`);
    ctx.skip(!haveChromium, NO_CHROMIUM);
    const page: Page = await browser!.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

    // 400 training images at batch size 2: 200 steps per run, 8 curve points (for the README's screenshot,
    // UPDATE_SCREENSHOT=1 trains 1600 images so that the curves show some learning)
    const train = process.env.UPDATE_SCREENSHOT === '1' ? 1600 : 400;
    const steps = train / 2;
    await page.goto(`${server!.url}?train=${train}&test=200&epochs=1&points=8`);
    expect(await page.title()).toMatch(/minigrad lab/);
    expect(await page.evaluate(() => lab.crossOriginIsolated)).toBe(true);

    // started paused: each worker stops at its first step and says so
    await page.evaluate(async () => {
      await lab.start();
      lab.pause();
    });
    await page.waitForFunction(() => lab.runs.length === 2 && lab.runs.every((r) => r.status === 'paused' && r.step === 1), null, { timeout: 30_000 });
    expect(await page.textContent('#pause')).toBe('resume');
    await page.click('#pause');
    await page.waitForFunction(() => lab.runs.every((r) => r.status === 'done' || r.status === 'failed'), null, { timeout: 90_000 });

    const runs = await page.evaluate(() => lab.runs);
    expect(runs.map((r) => [r.norm, r.batchSize, r.status, r.error])).toEqual([['batch', 2, 'done', ''], ['group', 2, 'done', '']]);
    for (const r of runs) {
      expect(r.step).toBe(steps);
      expect(r.points).toBe(8);
      expect(r.trainError).toBeGreaterThanOrEqual(0);
      expect(r.trainError).toBeLessThanOrEqual(100);
    }

    // the charts: lines for both runs' error curves, the gradient norms of both, BN's noise; the graph and the tape
    await page.waitForFunction(() => document.querySelectorAll('#chart-errors svg .mark-line path').length >= 4, null, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#chart-gradients svg .mark-line path').length >= 2 * 6, null, { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#chart-noise svg .mark-line path').length >= 2 * 7, null, { timeout: 15_000 });
    await page.waitForFunction(() => lab.graphShown, null, { timeout: 30_000 });
    const graph = await page.evaluate(() => ({
      nodes: document.querySelectorAll('#graph svg g.node').length,
      text: document.querySelector('#graph svg')!.textContent!,
      tape: document.getElementById('tape')!.textContent!,
    }));
    expect(graph.nodes).toBeGreaterThan(30);
    expect(graph.text).toContain('conv2d');
    expect(graph.text).toContain('stem.weight');
    expect(graph.text).toContain('[2,10]');
    expect(graph.tape.split('\n').length).toBeGreaterThan(20);
    expect(graph.tape).toMatch(/^%0 = conv2d\(/);
    const predictions = await page.$$eval('#samples [id^=prediction-]', (els) => els.map((e) => e.textContent));
    expect(predictions).toHaveLength(16);
    expect(predictions.every((p) => p !== '…' && p !== '')).toBe(true);

    // results.json as the CLI writes it
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('results.json');
    const results = JSON.parse(readFileSync((await download.path())!, 'utf8')) as LabResults;
    expect(results.config).toMatchObject({ dataset: 'fashion', normLayers: 'conv', trainSize: train, testSize: 200, epochs: 1, batchSizes: [2] });
    expect(results.runs.map((r) => [r.norm, r.batchSize, r.steps, r.curve.length])).toEqual([['batch', 2, steps, 8], ['group', 2, steps, 8]]);
    expect(results.runs[0]!.testErrorPreciseBn).toBeGreaterThanOrEqual(0);
    expect(results.runs[0]!.bnNoise!.length).toBe(7);
    expect(results.summary.filter((s) => s.metric === 'test-error').map((s) => s.norm)).toEqual(['batch', 'group']);
    expect(results.lab.runs.every((r) => r.finished)).toBe(true);
    expect(Object.keys(results.figures)).toContain('fig-gradients');

    const shot = await page.screenshot({ fullPage: false });
    mkdirSync(join(APP_DIR, 'out'), { recursive: true });
    writeFileSync(join(APP_DIR, 'out', 'lab-screenshot.png'), shot);
    if (process.env.UPDATE_SCREENSHOT === '1') writeFileSync(join(APP_DIR, 'web', 'screenshot.png'), shot);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
