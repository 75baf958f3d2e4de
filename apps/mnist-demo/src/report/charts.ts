import { LAYER_WEIGHTS, NORM_LABELS, NORMS } from '../architecture.js';
import type { RunResult } from './results.js';

/**
 * Vega-Lite specs of the paper's figures, with their data inline. Curves are averaged over seeds by
 * Vega-Lite itself (aggregate: mean), so the data holds every run's own numbers.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const NORM_ORDER = NORMS.map((n) => NORM_LABELS[n]);
const normColor = { field: 'normalization', type: 'nominal', sort: NORM_ORDER, title: 'normalization' };

export interface Figure {
  id: string;
  caption: string;
  spec: object;
}

export function figures(runs: readonly RunResult[]): Figure[] {
  const smallest = Math.min(...runs.map((r) => r.batchSize));
  const sweptNorms = NORMS.filter((n) => new Set(runs.filter((r) => r.norm === n).map((r) => r.batchSize)).size > 1);
  const out: Figure[] = [curvesFigure(runs.filter((r) => r.batchSize === smallest), smallest)];
  const swept = runs.filter((r) => sweptNorms.includes(r.norm));
  if (swept.length > 0) out.push(batchSizeFigure(swept), batchSizeCurvesFigure(swept));
  const flow = runs.filter((r) => r.batchSize === smallest && (r.norm === 'batch' || r.norm === 'group'));
  if (flow.some((r) => r.gradients.length > 0)) out.push(gradientFigure(flow, smallest));
  return out;
}

/** One panel of a faceted error figure: the error (mean over seeds) against epochs, a line with points per `color`. */
function errorCurvesPanel(width: number, yTitle: string, color: object): object {
  return {
    width,
    height: 240,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epochs' },
      y: { aggregate: 'mean', field: 'error', type: 'quantitative', title: yTitle },
      color,
    },
  };
}

/** Paper Fig. 4: training and test error against epochs, one curve per normalization. */
function curvesFigure(runs: readonly RunResult[], batchSize: number): Figure {
  const values = runs.flatMap((r) =>
    r.curve.flatMap((p) => [
      { normalization: NORM_LABELS[r.norm], seed: r.seed, epoch: p.epoch, curve: 'train error', error: p.trainError },
      { normalization: NORM_LABELS[r.norm], seed: r.seed, epoch: p.epoch, curve: 'test error', error: p.testError },
    ]),
  );
  return {
    id: 'fig-curves',
    caption: `Training error (training mode, batches of ${batchSize}) and test error (eval mode) against epochs at batch size ${batchSize}, mean over seeds (the paper's Fig. 4, at batch size ${batchSize}).`,
    spec: {
      $schema: SCHEMA,
      title: `Error curves at batch size ${batchSize}`,
      data: { values },
      facet: { column: { field: 'curve', type: 'nominal', sort: ['train error', 'test error'], title: null } },
      spec: errorCurvesPanel(340, 'error (%)', normColor),
    },
  };
}

/** Paper Table 2 / Fig. 5 summary: final test error against batch size, mean ± std over seeds. */
function batchSizeFigure(runs: readonly RunResult[]): Figure {
  const values = runs.map((r) => ({ normalization: NORM_LABELS[r.norm], seed: r.seed, batchSize: r.batchSize, error: r.testError }));
  return {
    id: 'fig-batch-size',
    caption: 'Final test error against batch size (images per step), mean with ±1 std bars over seeds (paper Fig. 5 / Table 2).',
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
        { mark: { type: 'line', point: true }, encoding: { y: { aggregate: 'mean', field: 'error', type: 'quantitative', title: 'test error (%)' } } },
        { mark: { type: 'errorbar', extent: 'stdev' }, encoding: { y: { field: 'error', type: 'quantitative', title: 'test error (%)' } } },
      ],
    },
  };
}

/** Paper Fig. 5: test error curves for each batch size, one panel per normalization. */
function batchSizeCurvesFigure(runs: readonly RunResult[]): Figure {
  const values = runs.flatMap((r) =>
    r.curve.map((p) => ({ normalization: NORM_LABELS[r.norm], seed: r.seed, batchSize: r.batchSize, epoch: p.epoch, error: p.testError })),
  );
  return {
    id: 'fig-batch-size-curves',
    caption: 'Test error (eval mode) against epochs for each batch size, mean over seeds (paper Fig. 5).',
    spec: {
      $schema: SCHEMA,
      title: 'Sensitivity to batch size',
      data: { values },
      facet: { column: { field: 'normalization', type: 'nominal', sort: NORM_ORDER, title: null } },
      spec: errorCurvesPanel(300, 'test error (%)', { field: 'batchSize', type: 'ordinal', sort: 'descending', title: 'batch size' }),
    },
  };
}

/** Gradient flow: the gradient norm of each conv and linear layer's weight over training, BN next to GN. */
function gradientFigure(runs: readonly RunResult[], batchSize: number): Figure {
  const layers: readonly string[] = LAYER_WEIGHTS;
  const values = runs.flatMap((r) =>
    r.gradients
      .filter((g) => layers.includes(g.layer))
      .map((g) => ({ normalization: NORM_LABELS[r.norm], seed: r.seed, epoch: g.epoch, parameter: g.layer, gradNorm: g.norm })),
  );
  return {
    id: 'fig-gradients',
    caption: `L2 norm of the gradient of each conv and linear layer's weight at batch size ${batchSize}, averaged over the steps between two samples and over seeds (before weight decay).`,
    spec: {
      $schema: SCHEMA,
      title: `Per-layer gradient norms at batch size ${batchSize}`,
      data: { values },
      facet: { column: { field: 'normalization', type: 'nominal', sort: NORM_ORDER, title: null } },
      spec: {
        width: 340,
        height: 260,
        mark: { type: 'line' },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epochs' },
          y: { aggregate: 'mean', field: 'gradNorm', type: 'quantitative', scale: { type: 'log' }, title: 'gradient L2 norm' },
          color: { field: 'parameter', type: 'nominal', sort: layers, title: 'weight' },
        },
      },
    },
  };
}
