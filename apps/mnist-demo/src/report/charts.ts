import { layerWeights, NORM_LABELS, NORMS, type ModelName } from '../architecture.js';
import type { NoiseRow, RunResult, SummaryRow } from './results.js';
import { MECHANISM_ROWS } from './table.js';

/**
 * Vega-Lite specs of the paper's figures, with their data inline: every run's own numbers, averaged over
 * seeds by Vega-Lite (mean line, ±1 std band or bar), so the spread is on every chart.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const NORM_ORDER = NORMS.map((n) => NORM_LABELS[n]);
const normColor = { field: 'normalization', type: 'nominal', sort: NORM_ORDER, title: 'normalization' };

export interface Figure {
  id: string;
  caption: string;
  spec: object;
}

interface FigureInput {
  runs: readonly RunResult[];
  summary: readonly SummaryRow[];
  bnNoise: readonly NoiseRow[];
  config: { model: ModelName; blocks: number };
}

export function figures({ runs, summary, bnNoise, config }: FigureInput): Figure[] {
  const sizes = [...new Set(runs.map((r) => r.batchSize))].sort((a, b) => b - a);
  const largest = sizes[0]!;
  const smallest = sizes.at(-1)!;
  const swept = runs.filter((r) => runs.some((o) => o.norm === r.norm && o.batchSize !== r.batchSize));
  const out: Figure[] = [curvesFigure(runs.filter((r) => r.batchSize === largest), largest)];
  if (swept.length > 0) out.push(batchSizeFigure(swept, summary), batchSizeCurvesFigure(swept));
  if (bnNoise.length > 0) out.push(mechanismFigure(summary), noiseFigure(runs));
  const flow = runs.filter((r) => r.batchSize === smallest && (r.norm === 'batch' || r.norm === 'group'));
  if (flow.some((r) => r.gradients.length > 0)) out.push(gradientFigure(flow, smallest, layerWeights(config.model, config.blocks)));
  return out;
}

/**
 * A y scale that separates values a few points apart: from just below the lowest (mean − std) to just above
 * the highest (mean + std), but no higher than twice the median of the means, so one collapsed configuration
 * does not flatten the rest (its marks are clipped at the top, and its number is in the table).
 */
function zoomedScale(summary: readonly SummaryRow[]): { domain: [number, number]; zero: false; nice: false } {
  const means = summary.map((s) => s.mean).sort((a, b) => a - b);
  const median = means[Math.floor(means.length / 2)]!;
  const lo = Math.min(...summary.map((s) => s.mean - s.std));
  const hi = Math.min(Math.max(...summary.map((s) => s.mean + s.std)), 2 * median);
  const pad = Math.max(0.25, (hi - lo) * 0.1);
  return { domain: [Math.max(0, Math.floor((lo - pad) * 2) / 2), Math.ceil((hi + pad) * 2) / 2], zero: false, nice: false };
}

/** Mean line over seeds with a ±1 std band, against epochs, colored by `color`. */
function curveLayers(yTitle: string, color: object, y: object = {}): object[] {
  return [
    { mark: { type: 'errorband', extent: 'stdev', opacity: 0.2 }, encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epochs' }, y: { field: 'error', type: 'quantitative', title: yTitle, ...y }, color } },
    { mark: { type: 'line', point: true }, encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epochs' }, y: { aggregate: 'mean', field: 'error', type: 'quantitative', title: yTitle, ...y }, color } },
  ];
}

/** Log scale for learning curves: early errors near 90% and final ones near 10% both stay readable. */
const LOG_Y = { scale: { type: 'log' } };

/** Paper Fig. 4 / Table 1: training and test error against epochs at the normal batch size, per norm. */
function curvesFigure(runs: readonly RunResult[], batchSize: number): Figure {
  const values = runs.flatMap((r) =>
    r.curve.flatMap((p) => [
      { normalization: NORM_LABELS[r.norm], seed: r.seed, epoch: p.epoch, curve: 'train error', error: p.trainError },
      { normalization: NORM_LABELS[r.norm], seed: r.seed, epoch: p.epoch, curve: 'test error', error: p.testError },
    ]),
  );
  return {
    id: 'fig-4',
    caption: `The paper's Figure 4 (Table 1): training error (training mode, on the training batches) and test error (eval mode) against epochs at batch size ${batchSize}, one curve per normalization: mean over seeds with a ±1 std band, log scale.`,
    spec: {
      $schema: SCHEMA,
      title: `Error curves at batch size ${batchSize}`,
      data: { values },
      facet: { column: { field: 'curve', type: 'nominal', sort: ['train error', 'test error'], title: null } },
      spec: { width: 340, height: 250, layer: curveLayers('error (%)', normColor, LOG_Y) },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

/** Paper Figure 1 / Table 2: final test error against batch size, mean with ±1 std bars over seeds. */
function batchSizeFigure(runs: readonly RunResult[], summary: readonly SummaryRow[]): Figure {
  const values = runs.map((r) => ({ normalization: NORM_LABELS[r.norm], seed: r.seed, batchSize: r.batchSize, error: r.testError }));
  const scale = zoomedScale(summary.filter((s) => s.metric === 'test-error' && runs.some((r) => r.norm === s.norm)));
  const y = { field: 'error', type: 'quantitative', title: 'test error (%)', scale };
  return {
    id: 'fig-1',
    caption: 'The paper\'s Figure 1 (Table 2): final test error (eval mode) against batch size (images per worker), mean over seeds with ±1 std bars. The y axis is zoomed to the spread of the results.',
    spec: {
      $schema: SCHEMA,
      title: 'Test error against batch size',
      data: { values },
      width: 380,
      height: 260,
      encoding: {
        x: { field: 'batchSize', type: 'ordinal', sort: 'descending', title: 'batch size', axis: { labelAngle: 0 } },
        color: normColor,
      },
      layer: [
        { mark: { type: 'line', point: true, clip: true }, encoding: { y: { ...y, aggregate: 'mean' } } },
        { mark: { type: 'errorbar', extent: 'stdev', clip: true }, encoding: { y } },
      ],
    },
  };
}

/** Paper Fig. 5: test error curves for each batch size, one panel per swept normalization. */
function batchSizeCurvesFigure(runs: readonly RunResult[]): Figure {
  const values = runs.flatMap((r) =>
    r.curve.map((p) => ({ normalization: NORM_LABELS[r.norm], seed: r.seed, batchSize: r.batchSize, epoch: p.epoch, error: p.testError })),
  );
  return {
    id: 'fig-5',
    caption: 'The paper\'s Figure 5: test error (eval mode) against epochs for each batch size, one panel per normalization; mean over seeds with a ±1 std band, log scale.',
    spec: {
      $schema: SCHEMA,
      title: 'Sensitivity to batch size',
      data: { values },
      facet: { column: { field: 'normalization', type: 'nominal', sort: NORM_ORDER, title: null } },
      spec: { width: 300, height: 250, layer: curveLayers('test error (%)', { field: 'batchSize', type: 'ordinal', sort: 'descending', title: 'batch size' }, LOG_Y) },
    },
  };
}

/** The mechanism: BN's test error with each source of statistics, and its training error, against batch size. */
function mechanismFigure(summary: readonly SummaryRow[]): Figure {
  const rows = summary.flatMap((s) => {
    const series = MECHANISM_ROWS.find(([norm, metric]) => s.norm === norm && s.metric === metric);
    return series ? [{ s, label: series[2] }] : [];
  });
  const values = rows.flatMap(({ s, label }) => s.values.map((error, i) => ({ series: label, seed: s.seeds[i], batchSize: s.batchSize, error })));
  const y = { field: 'error', type: 'quantitative', title: 'error (%)', scale: zoomedScale(rows.map((r) => r.s)) };
  return {
    id: 'fig-mechanism',
    caption: 'Where BN\'s error comes from: test error with the running statistics (eval mode, as deployed), with each test batch\'s own statistics (training mode, batches of the training size), and after precise BN (population statistics re-estimated from 2,000 training images), and the training error of the last epoch; GN for reference. If the running statistics were the problem, precise BN would close the gap; if the noise in training is, the training error rises too. Mean over seeds, ±1 std bars.',
    spec: {
      $schema: SCHEMA,
      title: 'BN: test error by source of statistics',
      data: { values },
      width: 380,
      height: 260,
      encoding: {
        x: { field: 'batchSize', type: 'ordinal', sort: 'descending', title: 'batch size', axis: { labelAngle: 0 } },
        color: { field: 'series', type: 'nominal', sort: MECHANISM_ROWS.map((s) => s[2]), title: null },
      },
      layer: [
        { mark: { type: 'line', point: true, clip: true }, encoding: { y: { ...y, aggregate: 'mean' } } },
        { mark: { type: 'errorbar', extent: 'stdev', clip: true }, encoding: { y } },
      ],
    },
  };
}

/** The noise of BN's batch statistics per layer against batch size (log-log), mean and variance side by side. */
function noiseFigure(runs: readonly RunResult[]): Figure {
  const values = runs.flatMap((r) =>
    (r.bnNoise ?? []).flatMap((l) => [
      { statistic: 'batch mean: RMS (μB − μ)/σ', layer: l.layer, seed: r.seed, batchSize: r.batchSize, noise: l.meanNoise },
      { statistic: 'batch variance: RMS (σB²/σ² − 1)', layer: l.layer, seed: r.seed, batchSize: r.batchSize, noise: l.varNoise },
    ]),
  );
  const x = { field: 'batchSize', type: 'quantitative', title: 'batch size', scale: { type: 'log', base: 2 }, axis: { values: [...new Set(values.map((v) => v.batchSize))] } };
  const y = { field: 'noise', type: 'quantitative', title: 'relative to the population std / variance', scale: { type: 'log' } };
  const color = { field: 'layer', type: 'nominal', title: 'BN layer' };
  return {
    id: 'fig-noise',
    caption: 'The noise of BN\'s batch statistics in each BN layer of the trained network, at the batch size it trained with: how far a training batch\'s per-channel mean and variance are from the population\'s (precise BN), root mean square over 200 batches and all channels; mean over seeds with ±1 std bars. Both axes logarithmic.',
    spec: {
      $schema: SCHEMA,
      title: 'Noise of BN\'s batch statistics',
      data: { values },
      facet: { column: { field: 'statistic', type: 'nominal', title: null } },
      spec: {
        width: 300,
        height: 250,
        layer: [
          { mark: { type: 'line', point: true }, encoding: { x, y: { ...y, aggregate: 'mean' }, color } },
          { mark: { type: 'errorbar', extent: 'stdev' }, encoding: { x, y, color } },
        ],
      },
    },
  };
}

/** Gradient flow: the gradient norm of each conv and linear layer's weight over training, BN next to GN. */
function gradientFigure(runs: readonly RunResult[], batchSize: number, layers: readonly string[]): Figure {
  const values = runs.flatMap((r) =>
    r.gradients
      .filter((g) => layers.includes(g.layer))
      .map((g) => ({ normalization: NORM_LABELS[r.norm], seed: r.seed, epoch: g.epoch, parameter: g.layer, gradNorm: g.norm })),
  );
  return {
    id: 'fig-gradients',
    caption: `L2 norm of the gradient of each conv and linear layer's weight at batch size ${batchSize}, at the step before each curve point (before weight decay): mean over seeds with a ±1 std band, log scale.`,
    spec: {
      $schema: SCHEMA,
      title: `Per-layer gradient norms at batch size ${batchSize}`,
      data: { values },
      facet: { column: { field: 'normalization', type: 'nominal', sort: NORM_ORDER, title: null } },
      spec: {
        width: 340,
        height: 260,
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epochs' },
          color: { field: 'parameter', type: 'nominal', sort: layers, title: 'weight' },
        },
        layer: [
          { mark: { type: 'errorband', extent: 'stdev', opacity: 0.15 }, encoding: { y: { field: 'gradNorm', type: 'quantitative', scale: { type: 'log' }, title: 'gradient L2 norm' } } },
          { mark: { type: 'line' }, encoding: { y: { aggregate: 'mean', field: 'gradNorm', type: 'quantitative', scale: { type: 'log' }, title: 'gradient L2 norm' } } },
        ],
      },
    },
  };
}
