import { join } from 'node:path';
import { figures } from './charts.js';
import { writeFileAtomic } from './files.js';
import { reportHtml } from './html.js';
import { summarize, type Results } from './results.js';

export type ResultsWithoutSummary = Omit<Results, 'summary' | 'figures'>;

/** Adds the summary and the figures to the runs, then writes results.json and report.html into `dir`. */
export function writeReport(dir: string, base: ResultsWithoutSummary): { results: Results; files: string[] } {
  const figs = figures(base.runs);
  const results: Results = { ...base, summary: summarize(base.runs), figures: Object.fromEntries(figs.map((f) => [f.id, f.spec])) };
  const files = [join(dir, 'results.json'), join(dir, 'report.html')];
  writeFileAtomic(files[0]!, JSON.stringify(results, null, 1) + '\n');
  writeFileAtomic(files[1]!, reportHtml(results, figs));
  return { results, files };
}
