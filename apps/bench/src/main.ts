// `pnpm bench`: runs every suite module in dist/suites/ (discovered at run time, so adding a suite needs no
// change here) and prints one table per suite. Optional arguments filter suites/cases by substring.
import { readdirSync } from 'node:fs';
import type { BenchCase } from './harness.js';
import { runCase } from './harness.js';
import { formatTable } from './table.js';

interface SuiteModule {
  title?: string;
  cases: BenchCase[];
}

async function runSuite(file: string, dir: URL, matches: (name: string) => boolean): Promise<void> {
  const mod = (await import(new URL(file, dir).href)) as Partial<SuiteModule>;
  if (!Array.isArray(mod.cases)) throw new Error(`bench suite ${file} does not export a cases array`);
  const suite = file.replace(/\.js$/, '');
  const cases = mod.cases.filter((c) => matches(suite) || matches(c.name));
  if (cases.length === 0) return;
  const results = [];
  for (const c of cases) results.push(await runCase(c));
  console.log(`\n${formatTable(mod.title ?? suite, results)}`);
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const dir = new URL('./suites/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const matches = (name: string): boolean => filters.length === 0 || filters.some((f) => name.includes(f));
  const started = performance.now();
  console.log(`minigrad bench: node ${process.version}, ${process.arch}${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc)'}`);
  for (const file of files) {
    // A failing suite is reported and skipped so that the other tables still print; the exit code says so.
    try {
      await runSuite(file, dir, matches);
    } catch (e) {
      console.error(`\nbench suite ${file} failed: ${e instanceof Error ? e.stack : String(e)}`);
      process.exitCode = 1;
    }
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
