// "Import one package alone": pack each package as it would be published, install the tarballs into an empty
// project without the registry, and use each package from plain Node ESM and from a type-checked consumer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '@minigrad/testing';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every published package: each directory of packages/ whose package.json is not private. */
const PACKAGES = readdirSync(join(ROOT, 'packages')).filter((d) => {
  const file = join(ROOT, 'packages', d, 'package.json');
  return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).private !== true;
});
type Pkg = string;
const REPOSITORY = 'https://github.com/minigrad/minigrad';

let work = '';
let project = '';
const tarballs = {} as Record<Pkg, string>;
/** Where each tarball is unpacked (its `package/` directory). */
const unpacked = {} as Record<Pkg, string>;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
}

/** Link targets in markdown (outside code) that are neither absolute https URLs nor in-page anchors. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]).filter((t) => !/^(https:\/\/|#)/.test(t));
}

/** Runs an ES module in the consumer project with plain Node and returns what it printed. */
function node(code: string): string {
  return run(process.execPath, ['--input-type=module', '-e', code], project).trim();
}

beforeAll(() => {
  ensureBuilt(ROOT, PACKAGES);
  work = mkdtempSync(join(tmpdir(), 'minigrad-packaging-'));
  const packs = join(work, 'tarballs');
  for (const p of PACKAGES) {
    run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packs], join(ROOT, 'packages', p));
    const file = readdirSync(packs).find((f) => f.startsWith(`minigrad-${p}-`) && f.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for @minigrad/${p}`);
    tarballs[p] = join(packs, file);
    unpacked[p] = join(work, 'unpacked', p);
    execFileSync('mkdir', ['-p', unpacked[p]]);
    run('tar', ['-xzf', tarballs[p], '-C', unpacked[p]], work);
    unpacked[p] = join(unpacked[p], 'package');
  }
  project = join(work, 'consumer');
  execFileSync('mkdir', ['-p', project]);
  // Every @minigrad/* name resolves to a local tarball, also where the packages depend on one another (the
  // packed package.json files say "0.1.0" for workspace:*): the registry is never asked for these names.
  const local = Object.fromEntries(PACKAGES.map((p) => [`@minigrad/${p}`, `file:${tarballs[p]}`]));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: local, overrides: local }, null, 2),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
}, 240000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('published tarballs', () => {
  it.each(PACKAGES)('@minigrad/%s ships only dist, package.json and README', (p) => {
    const files = run('tar', ['-tzf', tarballs[p]], work).trim().split('\n');
    const unexpected = files.filter((f) => !/^package\/(dist\/.+|package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md)$/i.test(f));
    expect(unexpected).toEqual([]);
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files.filter((f) => /\.test\.|\/src\/|tsbuildinfo/.test(f))).toEqual([]);
  });

  it('lists the published packages (the four core ones at least)', () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(['tensor', 'autograd', 'nn', 'optim']));
  });

  it.each(PACKAGES)('@minigrad/%s declares what a registry page needs: repository, homepage, bugs, keywords, engines, license', (p) => {
    const pkg = JSON.parse(readFileSync(join(unpacked[p], 'package.json'), 'utf8'));
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${p}` });
    expect(pkg.homepage).toBe(`${REPOSITORY}/tree/main/packages/${p}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(pkg.keywords).toEqual(expect.arrayContaining(['minigrad', 'pytorch']));
    expect(pkg.engines).toEqual({ node: '>=20' });
    expect(pkg.license).toBe('MIT');
  });

  it.each(PACKAGES)('@minigrad/%s ships the repository\'s LICENSE, and it is the license package.json names', (p) => {
    const license = readFileSync(join(unpacked[p], 'LICENSE'), 'utf8');
    expect(license).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(license.split('\n')[0]).toBe('MIT License');
  });

  it.each(PACKAGES)('@minigrad/%s ships each source map with its sources inside (sourcesContent), and no declaration maps', (p) => {
    const files = run('tar', ['-tzf', tarballs[p]], work).trim().split('\n');
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.filter((f) => f.endsWith('.d.ts.map'))).toEqual([]);
    expect(maps.length).toBeGreaterThan(0);
    const withoutSources = maps.filter((f) => {
      const map = JSON.parse(readFileSync(join(unpacked[p], f.slice('package/'.length)), 'utf8'));
      const content: unknown[] = map.sourcesContent ?? [];
      return content.length !== map.sources.length || content.some((c) => typeof c !== 'string' || c.length === 0);
    });
    expect(withoutSources).toEqual([]);
    // Nothing else may point at a file that is not in the tarball.
    const dts = files.filter((f) => f.endsWith('.d.ts'));
    const dangling = dts.filter((f) => readFileSync(join(unpacked[p], f.slice('package/'.length)), 'utf8').includes('sourceMappingURL'));
    expect(dangling).toEqual([]);
  });

  it.each(PACKAGES)('@minigrad/%s has a README whose links work on a registry page (absolute URLs or anchors)', (p) => {
    expect(relativeLinks(readFileSync(join(unpacked[p], 'README.md'), 'utf8'))).toEqual([]);
  });

  it('the README link check catches a relative link, and not code that looks like one', () => {
    const md = 'see [the guide](../../README.md), [x](#x), [y](https://a.b/c) and `f[K](a, b)`\n```js\nx[0](1)\n```\n';
    expect(relativeLinks(md)).toEqual(['../../README.md']);
  });

  it('installs with every @minigrad dependency taken from the tarballs', () => {
    for (const p of PACKAGES) {
      expect(existsSync(join(project, 'node_modules', '@minigrad', p, 'dist', 'index.js'))).toBe(true);
    }
    // No nested copies fetched for the packages' own dependencies on each other.
    const nested = PACKAGES.filter((p) => existsSync(join(project, 'node_modules', '@minigrad', p, 'node_modules')));
    expect(nested).toEqual([]);
  });
});

describe('each package imported alone from plain Node ESM', () => {
  it('@minigrad/tensor computes', () => {
    const out = node(`
      import { tensor } from '@minigrad/tensor';
      const a = tensor([[1, 2], [3, 4]]);
      console.log(JSON.stringify({ mm: a.matmul(a).toArray(), sum: a.sum().item(), shape: a.t().shape }));`);
    expect(JSON.parse(out)).toEqual({ mm: [[7, 10], [15, 22]], sum: 10, shape: [2, 2] });
  });

  it('@minigrad/autograd runs a backward pass', () => {
    const out = node(`
      import { tensor } from '@minigrad/autograd';
      const x = tensor([1, 2, 3], { requiresGrad: true });
      x.mul(x).sum().backward();
      console.log(JSON.stringify(x.grad.data.toArray()));`);
    expect(JSON.parse(out)).toEqual([2, 4, 6]);
  });

  it('@minigrad/nn runs a layer forward and backward', () => {
    const out = node(`
      import { Linear } from '@minigrad/nn';
      import { randn } from '@minigrad/autograd';
      const layer = new Linear(3, 2);
      const y = layer.call(randn([4, 3]));
      y.sum().backward();
      console.log(JSON.stringify({ shape: y.shape, gradShape: layer.weight.grad.shape }));`);
    expect(JSON.parse(out)).toEqual({ shape: [4, 2], gradShape: [2, 3] });
  });

  it('@minigrad/optim takes a step', () => {
    const out = node(`
      import { tensor } from '@minigrad/autograd';
      import { SGD } from '@minigrad/optim';
      const w = tensor([1, 2], { requiresGrad: true });
      const opt = new SGD([w], { lr: 0.5 });
      w.mul(w).sum().backward();
      opt.step();
      console.log(JSON.stringify(w.data.toArray()));`);
    expect(JSON.parse(out)).toEqual([0, 0]);
  });

  it('@minigrad/data batches a TensorDataset in a seeded order', () => {
    const out = node(`
      import { Generator, arange } from '@minigrad/tensor';
      import { DataLoader, TensorDataset } from '@minigrad/data';
      const order = (seed) => [...new DataLoader(new TensorDataset(arange(0, 5, { dtype: 'int32' })), { batchSize: 2, shuffle: true, generator: new Generator(seed) })]
        .map(([y]) => y.toArray());
      console.log(JSON.stringify({ batches: order(1).map((b) => b.length), same: JSON.stringify(order(1)) === JSON.stringify(order(1)) }));`);
    expect(JSON.parse(out)).toEqual({ batches: [2, 2, 1], same: true });
  });
});

describe('the other entry points of the installed packages (Node and web)', () => {
  it('the ./internal entries hold what the sibling packages call, and the public indexes no longer do', () => {
    const out = node(`
      import * as T from '@minigrad/tensor';
      import * as TI from '@minigrad/tensor/internal';
      import * as A from '@minigrad/autograd';
      import * as AI from '@minigrad/autograd/internal';
      import * as N from '@minigrad/nn';
      import * as NI from '@minigrad/nn/internal';
      const pairs = { tensor: [T, TI, ['adamUpdate', 'conv2dBackwardInput', 'normSlotCount', 'maxPool2dBackward']],
        autograd: [A, AI, ['registry', 'apply1', 'needsGrad', 'reduceTo']], nn: [N, NI, ['normalizeComposite', 'groupNormLayout']] };
      const report = {};
      for (const [p, [pub, internal, names]] of Object.entries(pairs)) {
        report[p] = names.map((n) => [n, typeof internal[n], n in pub]);
      }
      console.log(JSON.stringify(report));`);
    const r = JSON.parse(out) as Record<string, [string, string, boolean][]>;
    for (const rows of Object.values(r)) {
      for (const [name, type, inPublic] of rows) {
        expect({ name, inPublic }).toEqual({ name, inPublic: false });
        expect({ name, type: type === 'function' || type === 'object' }).toEqual({ name, type: true });
      }
    }
  });

  it('@minigrad/tensor/node splits a large product across 2 worker threads, same result, and the process exits', () => {
    const out = node(`
      import { manualSeed, randn } from '@minigrad/tensor';
      import { getThreads, setThreads } from '@minigrad/tensor/node';
      manualSeed(1);
      const a = randn([256, 256]);
      const one = a.matmul(a).toTypedArray();
      await setThreads(2);
      const two = a.matmul(a).toTypedArray();
      console.log(JSON.stringify({ threads: getThreads(), same: one.every((v, i) => Object.is(v, two[i])) }));`);
    expect(JSON.parse(out)).toEqual({ threads: 2, same: true });
  });

  it('@minigrad/tensor/node imported alone (before the main entry loads the kernels) starts its threads', () => {
    const out = node(`
      const { getThreads, setThreads } = await import('@minigrad/tensor/node');
      await setThreads(2);
      const { getBackend, randn } = await import('@minigrad/tensor');
      const a = randn([256, 256]);
      console.log(JSON.stringify({ threads: getThreads(), backend: getBackend().name, ok: a.matmul(a).shape }));`);
    expect(JSON.parse(out)).toEqual({ threads: 2, backend: 'wasm', ok: [256, 256] });
  });

  it('@minigrad/tensor/web resolves from the tarball and, outside a cross-origin isolated page, refuses 2 threads with a PlatformError', () => {
    const out = node(`
      import { MinigradError } from '@minigrad/tensor';
      import { getThreads, setThreads } from '@minigrad/tensor/web';
      await setThreads(1);
      const refused = await setThreads(2).then(() => 'no error', (e) => e instanceof MinigradError ? e.name : String(e));
      console.log(JSON.stringify({ threads: getThreads(), refused }));`);
    expect(JSON.parse(out)).toEqual({ threads: 1, refused: 'PlatformError' });
  });

  it('@minigrad/nn/node saves a state dict to a file and loads it back', () => {
    const out = node(`
      import { Linear } from '@minigrad/nn';
      import { loadFile, saveFile } from '@minigrad/nn/node';
      const layer = new Linear(3, 2);
      const path = ${JSON.stringify(join(tmpdir(), `minigrad-packaging-${process.pid}.safetensors`))};
      saveFile(path, layer.stateDict());
      const back = loadFile(path);
      const same = JSON.stringify(back.weight.toArray()) === JSON.stringify(layer.weight.data.toArray());
      console.log(JSON.stringify({ keys: Object.keys(back).sort(), same }));`);
    expect(JSON.parse(out)).toEqual({ keys: ['bias', 'weight'], same: true });
  });
});

describe('types', () => {
  it('a TypeScript consumer type-checks against the installed packages (exports.types)', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { tensor as rawTensor, type Tensor } from '@minigrad/tensor';
import { tensor, type Variable } from '@minigrad/autograd';
import { Linear } from '@minigrad/nn';
import { Adam, clipGradNorm, type OptimizerStateDict } from '@minigrad/optim';
import { DataLoader, TensorDataset } from '@minigrad/data';

const t: Tensor = rawTensor([1, 2, 3]);
const count: number = t.numel();
// @ts-expect-error numel() is a number, so the types are real (not any)
const wrong: string = t.numel();
const w: Variable = tensor([1, 2], { requiresGrad: true });
// @ts-expect-error the engine's per-backward buffer is @internal, stripped from the published typings
const internalBuffer = w.gradBuf;
const layer = new Linear(2, 1);
const opt = new Adam([w, ...layer.parameters()], { lr: 0.01 });
const norm: number = clipGradNorm([w], 1);
const sd: OptimizerStateDict = opt.stateDict();
// The loader's batches are typed from the dataset's items: [Tensor, Tensor] here.
const batches: [Tensor, Tensor][] = [...new DataLoader(new TensorDataset(t, t), { batchSize: 2 })];
export { count, wrong, norm, sd, batches, internalBuffer };
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
          lib: ['ES2022', 'DOM'], types: [], verbatimModuleSyntax: true,
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
  });
});
