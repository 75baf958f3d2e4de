import { join } from 'node:path';
import { figures } from './charts.js';
import { writeFileAtomic } from './files.js';
import { reportHtml } from './html.js';
import { summarize, summarizeNoise, type Results } from './results.js';

export type ResultsWithoutSummary = Omit<Results, 'summary' | 'bnNoise' | 'figures'>;

/** Adds the summaries and the figures to the runs, then writes results.json and report.html into `dir`. */
export function writeReport(dir: string, base: ResultsWithoutSummary): { results: Results; files: string[] } {
  const partial = { ...base, summary: summarize(base.runs), bnNoise: summarizeNoise(base.runs) };
  const figs = figures(partial);
  const results: Results = { ...partial, figures: Object.fromEntries(figs.map((f) => [f.id, f.spec])) };
  const files = [join(dir, 'results.json'), join(dir, 'report.html')];
  writeFileAtomic(files[0]!, JSON.stringify(results, null, 1) + '\n');
  writeFileAtomic(files[1]!, reportHtml(results, figs));
  return { results, files };
}
