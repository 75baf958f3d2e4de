/**
 * `pnpm lab`: builds the lab (web/) and serves it on 127.0.0.1 with the COOP/COEP headers; `--build-only`
 * writes the static files and exits.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { figures } from '../report/charts.js';
import { writeFileAtomic } from '../report/files.js';
import { reportHtml } from '../report/html.js';
import type { Results } from '../report/results.js';
import { buildLab, DEFAULT_LAB_OUT, payload } from './build.js';
import { serveLab } from './serve.js';

export const LAB_HELP = `Usage: lab [--build-only] [--port N] [--out DIR]
       lab --report FILE

Builds the lab, a page where BN and GN train side by side in Web Workers with live charts, and serves it
on http://127.0.0.1 with the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers.

  --build-only   write the static site and exit (serve it with those two headers for the pause switch)
  --port N       port to serve on (5180; 0 for any free port)
  --out DIR      where the site is written (apps/mnist-demo/out/lab)
  --report FILE  write the CLI's report.html beside a results.json the lab downloaded, and exit
  -h, --help     show this help
`;

export async function labMain(argv: string[], out: { write(s: string): unknown } = process.stdout): Promise<(() => Promise<void>) | null> {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values } = parseArgs({ args, strict: true, options: { report: { type: 'string' }, 'build-only': { type: 'boolean' }, port: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    out.write(LAB_HELP);
    return null;
  }
  // pnpm runs the script in the app's folder; INIT_CWD is where the user typed the command
  const from = process.env.INIT_CWD ?? process.cwd();
  const show = (path: string) => (relative(from, path).startsWith('..') ? path : relative(from, path) || '.');
  if (values.report !== undefined) {
    const file = resolve(from, values.report);
    const html = join(dirname(file), 'report.html');
    writeFileAtomic(html, labReport(JSON.parse(readFileSync(file, 'utf8')) as Results));
    out.write(`Wrote ${show(html)}\n`);
    return null;
  }
  const port = values.port === undefined ? 5180 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a port number, got '${values.port}'`);
  const dir = values.out === undefined ? DEFAULT_LAB_OUT : resolve(from, values.out);
  const shown = show(dir);
  const built = await buildLab(dir);
  const kb = payload(built.files);
  out.write(`Built the lab in ${shown}: ${Object.entries(kb).map(([k, v]) => `${k} ${v} KB`).join(', ')} (the page loads one data file, that of the chosen data set)\n`);
  if (values['build-only']) return null;
  const server = await serveLab(dir, port);
  out.write(`The lab: ${server.url}  (Ctrl-C to stop)\n`);
  return server.close;
}

/** The CLI's report.html for a results.json (the figures are drawn again from its runs, as the CLI does). */
export function labReport(results: Results): string {
  if (!Array.isArray(results.runs) || !Array.isArray(results.summary) || typeof results.config !== 'object') throw new Error('not a results.json of mnist-demo or the lab');
  return reportHtml(results, figures({ ...results, config: results.config }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  labMain(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
