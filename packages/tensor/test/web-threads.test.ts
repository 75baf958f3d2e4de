// Web Workers for the wasm kernels (src/web.ts). In Node: the isolation check and its typed error. In headless
// Chromium (when installed): the built dist served with and without the COOP/COEP headers, threads on the main
// thread (where Atomics.wait is forbidden) and in a Web Worker, bit-identical to one thread.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { MinigradError, PlatformError } from '@minigrad/tensor';
import { getThreads, setThreads } from '../src/web.js';
import { ensureBuilt } from '@minigrad/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PKG = join(ROOT, 'packages', 'tensor');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const NO_CHROMIUM = `no Chromium at ${CHROMIUM} (set CHROMIUM to a Chromium binary to run the browser checks)`;
const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

describe('setThreads of @minigrad/tensor/web without cross-origin isolation (Node has none)', () => {
  test('more than one thread is a PlatformError naming the headers; one thread works', async () => {
    const caught = await setThreads(2).then(() => null, (e: unknown) => e);
    expect(caught).toBeInstanceOf(PlatformError);
    expect(caught).toBeInstanceOf(MinigradError);
    expect((caught as Error).message).toMatch(/^setThreads: 2 threads need SharedArrayBuffer .* not cross-origin isolated: .*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp$/);
    await setThreads(1);
    expect(getThreads()).toBe(1);
    await expect(setThreads(17)).rejects.toThrow(/threads must be an integer in \[1, 16\], got 17/);
  });
});

// The products and convs both pages and the worker run: each above the 2^23 multiply-add threshold, so 2 threads
// split them (the matmul by columns, the convs by samples).
const WORKLOAD_JS = `
export function workload(mg, internal) {
  mg.manualSeed(7);
  const a = mg.randn([192, 384]), b = mg.randn([384, 320]);
  const x = mg.randn([4, 16, 32, 32]), w = mg.randn([32, 16, 3, 3]), g = mg.randn([4, 32, 32, 32]);
  const pad = { padding: 1 };
  return () => [mg.matmul(a, b), mg.conv2d(x, w, null, pad), internal.conv2dBackwardInput(g, w, x.shape, pad),
    internal.conv2dBackwardWeight(g, x, w.shape, pad)].map((t) => t.toTypedArray());
}
export const sameBits = (xs, ys) => xs.map((x, i) => x.length === ys[i].length && x.every((v, j) => Object.is(v, ys[i][j])));
/** 1 thread, then 2, then 1 and 2 again (stopping and restarting the workers); what each step gave. */
export async function compare(mg, internal, web) {
  const report = { backend: await mg.initWasmBackend() };
  const run = workload(mg, internal);
  const one = run();
  report.finite = one.every((r) => r.length > 0 && r.every(Number.isFinite));
  await web.setThreads(2);
  report.threads = web.getThreads();
  report.identical = sameBits(run(), one);
  await web.setThreads(1);
  report.threadsAfterStop = web.getThreads();
  await web.setThreads(2);
  report.identicalAfterRestart = sameBits(run(), one);
  await web.setThreads(1);
  return report;
}
`;

// Module workers take no import map, so the worker imports the dist by path.
const WORKER_JS = `
import * as mg from './dist/index.js';
import * as internal from './dist/internal.js';
import * as web from './dist/web.js';
import { compare } from './workload.js';
let mayWait;
try { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); mayWait = true; } catch { mayWait = false; }
compare(mg, internal, web).then((r) => postMessage({ ...r, mayWait }), (e) => postMessage({ error: String(e && e.stack || e) }));
`;

/** A page that runs `body` (a module script with mg, internal and web imported) and posts the report it builds. */
const page = (body: string) => `<!doctype html>
<script type="importmap">{ "imports": { "@minigrad/tensor": "./dist/index.js", "@minigrad/tensor/internal": "./dist/internal.js", "@minigrad/tensor/web": "./dist/web.js" } }</script>
<script type="module">
import * as mg from '@minigrad/tensor';
import * as internal from '@minigrad/tensor/internal';
import * as web from '@minigrad/tensor/web';
const report = { isolated: globalThis.crossOriginIsolated === true };
try {
${body}
} catch (e) {
  report.error = String(e && e.stack || e);
}
await fetch('/result', { method: 'POST', body: JSON.stringify(report) });
</script>
<img src="/hold" alt="">
`;

const ISOLATED_PAGE = page(`
  try { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); report.mainMayWait = true; } catch { report.mainMayWait = false; }
  const { compare } = await import('./workload.js');
  report.main = await compare(mg, internal, web);
  report.worker = await new Promise((resolve) => {
    const worker = new Worker('./worker.js', { type: 'module' });
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => resolve({ error: e.message });
  });
`);

const PLAIN_PAGE = page(`
  report.backend = await mg.initWasmBackend();
  try {
    await web.setThreads(2);
    report.rejected = false;
  } catch (e) {
    report.rejected = { name: e.name, message: e.message, platform: e instanceof mg.PlatformError, minigrad: e instanceof mg.MinigradError };
  }
  await web.setThreads(1);
  report.threads = web.getThreads();
`);

/**
 * Serves /isolated/* with the COOP/COEP headers and /plain/* without: page.html, workload.js, worker.js and the
 * package's dist. The page POSTs its report to /result; /hold (an image on the page) is answered only then, so
 * that the load event, after which --dump-dom prints the DOM and Chromium exits, waits for the page's work.
 */
class PageServer {
  private server: Server | null = null;
  private port = 0;
  private report: ((body: string) => void) | null = null;
  private held: ServerResponse[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Loads /<kind>/page.html in headless Chromium and resolves to the report the page posted. */
  async visit(kind: 'isolated' | 'plain'): Promise<Record<string, unknown>> {
    const posted = new Promise<string>((resolve) => (this.report = resolve));
    const profile = mkdtempSync(join(tmpdir(), 'minigrad-chromium-'));
    const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom'];
    const chromium = spawn(CHROMIUM, [...args, `http://127.0.0.1:${this.port}/${kind}/page.html`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    chromium.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<void>((resolve) => chromium.on('exit', () => resolve()));
    const timer = setTimeout(() => chromium.kill('SIGKILL'), 25_000);
    try {
      const body = await Promise.race([posted, exited.then(() => Promise.reject(new Error(`Chromium exited without a report:\n${stderr}`)))]);
      await exited;
      return JSON.parse(body) as Record<string, unknown>;
    } finally {
      clearTimeout(timer);
      if (chromium.exitCode === null) chromium.kill('SIGKILL');
      rmSync(profile, { recursive: true, force: true });
    }
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.end();
    if (this.server !== null) await new Promise((resolve) => this.server!.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/result' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        res.writeHead(204).end();
        this.report?.(body);
        for (const held of this.held.splice(0)) held.writeHead(204).end();
      });
      return;
    }
    if (url.pathname === '/hold') {
      this.held.push(res);
      return;
    }
    const [, kind, ...rest] = url.pathname.split('/');
    const headers = kind === 'isolated' ? ISOLATION_HEADERS : kind === 'plain' ? {} : null;
    const file = rest.join('/');
    const text = file === 'page.html' ? (kind === 'isolated' ? ISOLATED_PAGE : PLAIN_PAGE)
      : file === 'workload.js' ? WORKLOAD_JS : file === 'worker.js' ? WORKER_JS : null;
    const path = normalize(join(PKG, file));
    const served = text ?? (file.startsWith('dist/') && path.startsWith(join(PKG, 'dist')) && existsSync(path) ? readFileSync(path) : null);
    if (headers === null || served === null) {
      res.writeHead(404).end();
      return;
    }
    const type = extname(file) === '.html' ? 'text/html' : extname(file) === '.map' ? 'application/json' : 'text/javascript';
    res.writeHead(200, { 'Content-Type': type, ...headers }).end(served);
  }
}

describe('@minigrad/tensor/web in headless Chromium', () => {
  const haveChromium = existsSync(CHROMIUM);
  const server = new PageServer();
  let started: Promise<void> | null = null;
  const ready = () => (started ??= (ensureBuilt(ROOT, ['tensor'], 'web.js'), server.start()));
  afterAll(() => server.stop());

  test('a cross-origin isolated page: 2 threads on the main thread and in a worker, bit-identical to 1', async (ctx) => {
    ctx.skip(!haveChromium, NO_CHROMIUM);
    await ready();
    const report = await server.visit('isolated');
    const run = { backend: 'wasm', finite: true, threads: 2, identical: [true, true, true, true], threadsAfterStop: 1, identicalAfterRestart: [true, true, true, true] };
    expect(report).toEqual({ isolated: true, mainMayWait: false, main: run, worker: { ...run, mayWait: true } });
  }, 30_000);

  test('a page without COOP/COEP: setThreads(2) is a PlatformError naming the headers, setThreads(1) works', async (ctx) => {
    ctx.skip(!haveChromium, NO_CHROMIUM);
    await ready();
    const report = await server.visit('plain');
    expect(report).toEqual({
      isolated: false, backend: 'wasm', threads: 1,
      rejected: {
        name: 'PlatformError', platform: true, minigrad: true,
        message: 'setThreads: 2 threads need SharedArrayBuffer and a shared WebAssembly.Memory, but the page is not cross-origin ' +
          'isolated: serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp',
      },
    });
  }, 30_000);
});
