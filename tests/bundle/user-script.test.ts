// A PyTorch user's training script (app/train.mjs: plain tensors, a DataLoader loop, summary, Adam, StepLR,
// clipping, save/load) run twice: as it is in Node, on the built packages as a user installs them, and bundled
// minified by esbuild for a browser and run in headless Chromium (Debian's, through playwright-core; never a
// downloaded one). Both must give the same numbers, and the minified one the real class names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '@minigrad/testing';
import { bundleMinified } from './minify.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./app/train.mjs', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const NO_CHROMIUM = `no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM to a Chromium binary)`;
/** CI installs Chromium (.ci/run), so there a missing browser is a failure, never a silent skip. */
const inCi = process.env.CI === 'true' || process.env.CI === '1';

interface TrainResult {
  modelText: string;
  summaryText: string;
  parameterCount: number;
  batches: number;
  epochLosses: number[];
  lr: number;
  testAccuracy: number;
  savedBytes: number;
  restoredDifference: number;
}

let work = '';
let inNode: TrainResult;

/** The script's result in Node: a child process importing it as a user's program would. */
function runInNode(): TrainResult {
  const runner = join(work, 'run.mjs');
  writeFileSync(runner, `const { train } = await import(${JSON.stringify(new URL(`file://${SCRIPT}`).href)});\nconsole.log(JSON.stringify(train()));\n`);
  return JSON.parse(execFileSync(process.execPath, [runner], { encoding: 'utf8' }));
}

/** The script bundled as a browser app would be: one minified ES module whose classes are all renamed. */
function minifiedBundle(): Promise<string> {
  const entry = join(work, 'page.mjs');
  writeFileSync(entry, `import { train } from ${JSON.stringify(SCRIPT)};\nwindow.result = train();\n`);
  return bundleMinified(entry);
}

beforeAll(() => {
  ensureBuilt(ROOT, ['tensor', 'autograd', 'nn', 'optim', 'data']);
  work = mkdtempSync(join(tmpdir(), 'minigrad-user-script-'));
  inNode = runInNode();
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe("a PyTorch user's training script in Node", () => {
  it('trains: the loss falls every epoch and the bars are told apart', () => {
    expect(inNode.batches).toBe(15); // 240 training images of 320 (0.75), 16 a batch
    for (let e = 1; e < inNode.epochLosses.length; e++) expect(inNode.epochLosses[e]).toBeLessThan(inNode.epochLosses[e - 1]);
    expect(inNode.epochLosses[3]).toBeLessThan(0.2);
    expect(inNode.testAccuracy).toBeGreaterThan(90);
    expect(inNode.lr).toBe(0.01 * 0.5 * 0.5); // StepLR(2, gamma 0.5) after 4 epochs
  });

  it('summary counts the parameters by hand: conv 8*9+8, GroupNorm 2*8, linear 128*2+2', () => {
    expect(inNode.parameterCount).toBe(80 + 16 + 258);
    expect(inNode.summaryText).toContain('├─Conv2d: 1-1');
    expect(inNode.summaryText).toContain('Total params: 354');
  });

  it('a model loaded from the saved safetensors bytes predicts exactly as the trained one', () => {
    expect(inNode.savedBytes).toBeGreaterThan(354 * 4);
    expect(inNode.restoredDifference).toBe(0);
  });
});

describe('the same script minified for a browser, in headless Chromium', () => {
  it('gives the Node numbers bit for bit, and prints the real class names', async (ctx) => {
    if (!haveChromium && inCi) throw new Error(`CI: ${NO_CHROMIUM}`);
    ctx.skip(!haveChromium, NO_CHROMIUM);
    const code = await minifiedBundle();
    expect(code).not.toMatch(/class Sequential\b/); // minified: the class names are gone from the code
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.setContent('<!doctype html><title>user script</title>');
      await page.addScriptTag({ content: code, type: 'module' });
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 60_000 });
      const inBrowser = (await page.evaluate(() => (window as unknown as { result: TrainResult }).result)) as TrainResult;
      expect(problems).toEqual([]);
      expect(inBrowser).toEqual(inNode);
    } finally {
      await browser.close();
    }
  });
});
