// "Import one package alone": pack each package as it would be published, install the tarballs into an empty
// project without the registry, and use each package from plain Node ESM and from a type-checked consumer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '@minigrad/testing';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['tensor', 'autograd', 'nn', 'optim', 'data'] as const;
type Pkg = (typeof PACKAGES)[number];

let work = '';
let project = '';
const tarballs = {} as Record<Pkg, string>;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
  }
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
const layer = new Linear(2, 1);
const opt = new Adam([w, ...layer.parameters()], { lr: 0.01 });
const norm: number = clipGradNorm([w], 1);
const sd: OptimizerStateDict = opt.stateDict();
// The loader's batches are typed from the dataset's items: [Tensor, Tensor] here.
const batches: [Tensor, Tensor][] = [...new DataLoader(new TensorDataset(t, t), { batchSize: 2 })];
export { count, wrong, norm, sd, batches };
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
