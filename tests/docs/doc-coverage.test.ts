// Every public name of every published package has a doc comment (what `pnpm docs` renders), and the check
// itself catches each kind of gap on a small source.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { docCoverage } from './doc-coverage.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The published packages and their entry points (the sources behind package.json's exports, ./internal aside). */
function publishedEntries(): { pkg: string; dir: string; entries: string[] }[] {
  return readdirSync(join(ROOT, 'packages')).flatMap((pkg) => {
    const dir = join(ROOT, 'packages', pkg);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) return [];
    const json = JSON.parse(readFileSync(manifest, 'utf8'));
    if (json.private === true) return [];
    const entries = Object.entries(json.exports as Record<string, { default: string }>)
      .filter(([subpath]) => subpath !== './internal')
      .map(([, target]) => join(dir, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
    return [{ pkg, dir: join(dir, 'src'), entries }];
  });
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true, noEmit: true, skipLibCheck: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [],
};

/** A program over one in-memory file, for the check's own tests. */
function fixtureProgram(source: string): ts.Program {
  const file = '/fixture/src/index.ts';
  const host = ts.createCompilerHost(OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang));
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  return ts.createProgram([file], OPTIONS, host);
}

describe('the doc-comment check', () => {
  it('finds each kind of undocumented public name, and only those', () => {
    const program = fixtureProgram(`
/** Documented. */
export function a(): void {}
export function b(): void {}
/** First overload. */
export function c(x: number): number;
export function c(x: string): string;
export function c(x: unknown): unknown { return x; }
export function e(x: number): number;
/** Second overload only. */
export function e(x: string): string;
export function e(x: unknown): unknown { return x; }
/** @internal */
export const d = 1;
/** A base. */
export class Base {
  /** Documented. */
  run(): void {}
  walk(): void {}
}
/** A class. */
export class Derived extends Base {
  override run(): void {}
  override walk(): void {}
  /** Documented. */
  get x(): number { return 1; }
  set x(v: number) {}
  y = 2;
  private z = 3;
  protected w = 4;
  /** @internal */
  buf = 5;
  static make(): Derived { return new Derived(); }
}
/** Options. */
export interface Options {
  /** Documented. */
  lr?: number;
  momentum?: number;
}
export type Alias = { k: number };
`);
    const report = docCoverage(program, 'fx', ['/fixture/src/index.ts'], '/fixture/src');
    expect(report.missing).toEqual([
      'fx.Alias', 'fx.Alias#k', 'fx.Base#walk', 'fx.Derived#static make', 'fx.Derived#walk', 'fx.Derived#y',
      'fx.Options#momentum', 'fx.b', 'fx.d', 'fx.e',
    ]);
    expect(report.exports).toEqual({ total: 9, documented: 5 });
    expect(report.members).toEqual({ total: 10, documented: 4 });
  });
});

describe('every public name of the published packages has a doc comment', () => {
  const packages = publishedEntries();
  const program = ts.createProgram(packages.flatMap((p) => p.entries), OPTIONS);

  it('covers the four core packages', () => {
    expect(packages.map((p) => p.pkg)).toEqual(expect.arrayContaining(['tensor', 'autograd', 'nn', 'optim']));
  });

  it.each(packages.map((p) => [p.pkg, p] as const))('@minigrad/%s', (_, p) => {
    const report = docCoverage(program, p.pkg, p.entries, p.dir);
    console.log(`@minigrad/${p.pkg}: exports ${report.exports.documented}/${report.exports.total} documented, members ${report.members.documented}/${report.members.total}`);
    expect(report.missing).toEqual([]);
  });
});
