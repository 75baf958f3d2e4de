import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Figure } from './charts.js';
import type { Results } from './results.js';
import { readResults } from './reading.js';
import { errorGrid, mechanismGrid, noiseGrid, type Grid } from './table.js';

/**
 * A self-contained report.html: the browser builds of vega, vega-lite and vega-embed are inlined
 * (read from node_modules now), so the file opens from disk with no network.
 */
export function reportHtml(results: Results, figs: readonly Figure[]): string {
  const scripts = ['vega', 'vega-lite', 'vega-embed'].map((pkg) => `<script>${scriptSafe(browserBundle(pkg))}</script>`).join('\n');
  const specs = Object.fromEntries(figs.map((f) => [f.id, f.spec]));
  const c = results.config;
  const dataset = results.data.dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST';
  const mechanism = mechanismGrid(results.summary);
  const noise = noiseGrid(results.bnNoise);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(results.title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
  table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
  th, td { padding: 4px 14px; border-bottom: 1px solid #ddd; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  caption { caption-side: top; text-align: left; color: #555; padding-bottom: 4px; }
  figure { margin: 2em 0; }
  figcaption { color: #555; max-width: 60em; }
  code { background: #f3f3f3; padding: 1px 4px; }
</style>
${scripts}
</head>
<body>
<h1>${escapeHtml(results.title)}</h1>
<p>${escapeHtml(results.model)}. Trained on ${results.data.trainSize} ${escapeHtml(dataset)} images, tested on ${results.data.testSize} others,
${c.epochs} epoch${c.epochs > 1 ? 's' : ''} at every batch size, SGD with momentum ${c.momentum}, learning rate ${c.lr} &times; N/32 at batch size N
(cosine-annealed), weight decay ${c.weightDecay}, GN with G = ${c.groups} capped at each layer's channels${c.conv === 'winograd' ? ', 3x3 stride-1 convolutions by Winograd F(2x2, 3x3)' : ''}. ${results.runs.length} runs in ${results.totalSeconds.toFixed(0)} s
(Node ${escapeHtml(results.environment.node)}, ${escapeHtml(results.environment.cpu)}, ${results.environment.cpus} cores).</p>
<p>Command: <code>${escapeHtml(results.command)}</code> &middot; ${escapeHtml(results.createdAt)}</p>
<p><em>Every number is a mean over seeds; ± is the sample standard deviation over those seeds (n &minus; 1), one run per seed, each seed
changing the initial weights and the order of the training images; the seed count is in each table's title. Test errors are in eval mode
(BN with its running statistics) unless a row says otherwise.</em></p>
<h2>What this run shows</h2>
${readResults(results).map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<h2>Tables 1 and 2: test error (%)</h2>
${gridHtml(errorGrid(results.summary))}
${mechanism ? `<h2>The mechanism</h2>\n${gridHtml(mechanism)}\n${noise ? gridHtml(noise) : ''}` : ''}
<h2>Figures</h2>
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

function gridHtml(g: Grid): string {
  const head = `<tr>${g.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = g.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
  return `<table><caption>${escapeHtml(g.title)}</caption>${head}${rows.join('')}</table>`;
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
