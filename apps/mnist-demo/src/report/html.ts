import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Figure } from './charts.js';
import type { Results } from './results.js';
import { errorTable } from './table.js';

/**
 * A self-contained report.html: the browser builds of vega, vega-lite and vega-embed are inlined
 * (read from node_modules now), so the file opens from disk with no network.
 */
export function reportHtml(results: Results, figs: readonly Figure[]): string {
  const scripts = ['vega', 'vega-lite', 'vega-embed'].map((pkg) => `<script>${scriptSafe(browserBundle(pkg))}</script>`).join('\n');
  const specs = Object.fromEntries(figs.map((f) => [f.id, f.spec]));
  const o = results.options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(results.title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
  table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
  th, td { padding: 4px 14px; border-bottom: 1px solid #ddd; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  tr.gap td { font-style: italic; }
  figure { margin: 2em 0; }
  figcaption { color: #555; max-width: 60em; }
  code { background: #f3f3f3; padding: 1px 4px; }
</style>
${scripts}
</head>
<body>
<h1>${escapeHtml(results.title)}</h1>
<p>${escapeHtml(results.model)}. Trained on ${results.data.trainSize} MNIST images, tested on ${results.data.testSize} others,
${o.epochs} epoch${o.epochs > 1 ? 's' : ''}, SGD with momentum ${o.momentum}, learning rate ${o.lr} &times; N/32 at batch size N,
weight decay ${o.weightDecay}. ${results.runs.length} runs in ${results.totalSeconds.toFixed(0)} s
(Node ${escapeHtml(results.environment.node)}, ${escapeHtml(results.environment.cpu)}, ${results.environment.cpus} cores).</p>
<p>Command: <code>${escapeHtml(results.command)}</code> &middot; ${escapeHtml(results.createdAt)}</p>
<h2>Test error (%)</h2>
${tableHtml(results)}
${figs.map((f) => `<figure><div id="${f.id}"></div><figcaption>${escapeHtml(f.caption)}</figcaption></figure>`).join('\n')}
<script type="application/json" id="specs">${JSON.stringify(specs).replace(/</g, '\\u003c')}</script>
<script>
  const specs = JSON.parse(document.getElementById('specs').textContent);
  for (const [id, spec] of Object.entries(specs)) vegaEmbed('#' + id, spec, { actions: false, renderer: 'svg' });
</script>
</body>
</html>
`;
}

function tableHtml(results: Results): string {
  const t = errorTable(results.summary);
  const head = `<tr><th>norm</th>${t.batchSizes.map((n) => `<th>batch ${n}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td>${r.cells.map((c) => `<td>${c ?? '&ndash;'}</td>`).join('')}</tr>`);
  if (t.gap) rows.push(`<tr class="gap"><td>BN &minus; GN</td>${t.gap.map((g) => `<td>${g ?? '&ndash;'}</td>`).join('')}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

/** The minified browser build a package declares in its `unpkg` field (e.g. build/vega.min.js). */
export function browserBundle(pkg: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; unpkg?: string };
      if (manifest.name === pkg && manifest.unpkg) return readFileSync(join(dir, manifest.unpkg), 'utf8');
    } catch {
      // no package.json at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the browser build of ${pkg}`);
    dir = parent;
  }
}

/** Code placed inside <script> must not contain "</script", which would end the element early. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
