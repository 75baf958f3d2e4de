// The lab's page: settings, one Web Worker per run (worker.ts), live Vega-Lite charts, the graph of one
// training step rendered by Graphviz (wasm), test images with predictions, and results.json to download.
// The state is exposed as window.lab for the browser test (test/lab.test.ts).
import type { Viz } from '@viz-js/viz';
import embed from 'vega-embed';
import { layerWeights, NORM_LABELS, NORMS, type NormName } from '../src/architecture.js';
import { PIXELS, type Data } from '../src/data.js';
import type { DatasetName } from '../src/datasets.js';
import { unpackImages, type LabImages } from '../src/lab/images.js';
import {
  checkRun, LAB_DEFAULTS, LAB_RUNS, labData, labResults, partialResult, type LabMessage, type LabRun, type LabSettings,
} from '../src/lab/session.js';
import type { CurvePoint, GradientPoint, RunResult } from '../src/report/results.js';
import type { StartMessage } from './worker.js';

type Status = 'waiting' | 'loading' | 'running' | 'paused' | 'measuring' | 'done' | 'failed';

interface RunView {
  run: LabRun;
  label: string;
  worker: Worker;
  status: Status;
  step: number;
  steps: number;
  trainError: number;
  loss: number;
  stepsPerSecond: number;
  curve: CurvePoint[];
  gradients: GradientPoint[];
  result: RunResult | null;
  dot: string;
  tape: string;
  predictions: number[];
  backend: string;
  error: string;
  started: number;
  card: HTMLElement;
}

const CLASS_NAMES: Record<DatasetName, string[]> = {
  fashion: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Re-lay the chart out as its data grows (new runs, facets and legend entries). */
const AUTOSIZE = { type: 'pad', resize: true };
const isolated = globalThis.crossOriginIsolated === true;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);

// ---- settings: the form, filled from the defaults and the URL (?dataset=mnist&train=200&runs=batch:2,group:2&autostart)
const SETTING_INPUTS: [keyof LabSettings, string][] = [
  ['groups', 'groups'], ['lr', 'lr'], ['seed', 'seed'], ['epochs', 'epochs'], ['trainSize', 'train'], ['testSize', 'test'], ['evalsPerEpoch', 'points'],
];
const params = new URLSearchParams(location.search);
let runSpecs: { norm: NormName; batchSize: number }[] = LAB_RUNS.map((r) => ({ ...r }));

function fillForm(): void {
  $<HTMLSelectElement>('dataset').value = params.get('dataset') ?? LAB_DEFAULTS.dataset;
  for (const [key, id] of SETTING_INPUTS) input(id).value = params.get(id) ?? String(LAB_DEFAULTS[key]);
  const runs = params.get('runs');
  if (runs !== null) {
    runSpecs = runs.split(',').map((s) => {
      const [norm, size] = s.split(':');
      return { norm: (NORMS as readonly string[]).includes(norm!) ? (norm as NormName) : 'batch', batchSize: Number(size ?? 2) };
    });
  }
  drawRunSettings();
}

function readSettings(): LabSettings {
  const s = { ...LAB_DEFAULTS, dataset: $<HTMLSelectElement>('dataset').value as DatasetName };
  for (const [key, id] of SETTING_INPUTS) (s as Record<string, unknown>)[key] = Number(input(id).value);
  return s;
}

function drawRunSettings(): void {
  const box = $('run-settings');
  box.replaceChildren(...runSpecs.map((spec, i) => {
    const row = document.createElement('div');
    row.className = 'run-setting';
    const norm = document.createElement('select');
    norm.setAttribute('aria-label', `run ${i + 1} normalization`);
    for (const n of NORMS) norm.add(new Option(`${NORM_LABELS[n]} (${n})`, n, false, n === spec.norm));
    norm.onchange = () => (spec.norm = norm.value as NormName);
    const size = document.createElement('input');
    size.type = 'number';
    size.min = '1';
    size.value = String(spec.batchSize);
    size.setAttribute('aria-label', `run ${i + 1} batch size`);
    size.onchange = () => (spec.batchSize = Number(size.value));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'remove';
    remove.disabled = runSpecs.length === 1;
    remove.onclick = () => {
      runSpecs.splice(i, 1);
      drawRunSettings();
    };
    const label = document.createElement('label');
    label.append('batch size ', size);
    row.append(`run ${i + 1}: `, norm, label, remove);
    return row;
  }));
}

// ---- data: one packed file per data set, fetched from the page's own origin once
const dataFiles = new Map<DatasetName, Promise<{ bytes: ArrayBuffer; images: LabImages }>>();
function dataFile(dataset: DatasetName) {
  let file = dataFiles.get(dataset);
  if (file === undefined) {
    file = fetch(`./data/${dataset}.bin`).then(async (res) => {
      if (!res.ok) throw new Error(`data/${dataset}.bin: HTTP ${res.status}`);
      const bytes = await res.arrayBuffer();
      return { bytes, images: unpackImages(new Uint8Array(bytes)) };
    });
    dataFiles.set(dataset, file);
    file.catch(() => dataFiles.delete(dataset));
  }
  return file;
}

// ---- the session: runs, start / pause / reset
let views: RunView[] = [];
let settings: LabSettings = LAB_DEFAULTS;
let shownData: Data | null = null;
let control: Int32Array | null = null;
let sessionStarted = 0;
let generation = 0;

async function start(): Promise<void> {
  reset();
  const mine = generation;
  const s = readSettings();
  message('loading the data…');
  const { bytes, images } = await dataFile(s.dataset).catch((e: unknown) => {
    message(String(e));
    throw e;
  });
  if (mine !== generation) return; // reset or started again while the data loaded
  const runs = runSpecs.map((spec) => ({ ...s, ...spec }));
  for (const r of runs) {
    const problem = checkRun(r, images.available);
    if (problem !== null) {
      message(`${NORM_LABELS[r.norm]} at batch size ${r.batchSize}: ${problem}`);
      return;
    }
  }
  settings = s;
  shownData = labData(images, s);
  control = isolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  sessionStarted = performance.now();
  views = runs.map((run) => newView(run, bytes));
  drawSamples();
  $<HTMLButtonElement>('pause').disabled = control === null;
  $<HTMLButtonElement>('pause').title = control === null ? 'pausing needs a cross-origin isolated page (pnpm lab serves it so)' : '';
  $<HTMLButtonElement>('pause').textContent = 'pause';
  $<HTMLButtonElement>('download').disabled = false;
  message(isolated ? '' : 'This page is not cross-origin isolated, so runs cannot be paused: serve it with the COOP/COEP headers (pnpm lab does).');
}

function newView(run: LabRun, bytes: ArrayBuffer): RunView {
  const label = `${NORM_LABELS[run.norm]} batch ${run.batchSize}`;
  const card = document.createElement('div');
  card.className = 'run';
  $('runs').append(card);
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: label });
  const view: RunView = {
    run, label, worker, status: 'loading', step: 0, steps: 0, trainError: NaN, loss: NaN, stepsPerSecond: NaN, curve: [], gradients: [],
    result: null, dot: '', tape: '', predictions: [], backend: '', error: '', started: performance.now(), card,
  };
  worker.onmessage = (e: MessageEvent<LabMessage>) => onMessage(view, e.data);
  worker.onerror = (e) => onMessage(view, { type: 'failed', message: e.message || 'the worker failed to load' });
  const start: StartMessage = { run, bytes: bytes.slice(0), control: control === null ? null : (control.buffer as SharedArrayBuffer) };
  worker.postMessage(start);
  drawCard(view);
  return view;
}

function onMessage(v: RunView, m: LabMessage): void {
  switch (m.type) {
    case 'ready':
      v.status = Atomics.load(control ?? new Int32Array(1), 0) === 1 ? 'paused' : 'running';
      Object.assign(v, { steps: m.steps, dot: m.dot, tape: m.tape, backend: m.backend });
      drawGraphChoices();
      break;
    case 'steps':
      Object.assign(v, { step: m.step, trainError: m.trainError, loss: m.loss, stepsPerSecond: m.imagesPerSecond / v.run.batchSize });
      break;
    case 'point':
      v.step = m.step;
      v.curve.push(m.point);
      v.gradients.push(...m.gradients);
      v.predictions = m.predictions;
      noiseRows.push(...m.noise.map((n) => ({ run: v.label, layer: n.layer, epoch: n.epoch, meanNoise: n.meanNoise, varNoise: n.varNoise })));
      scheduleCharts();
      drawPredictions();
      break;
    case 'paused':
      v.status = 'paused';
      v.step = m.step;
      break;
    case 'resumed':
      v.status = 'running';
      break;
    case 'measuring':
      v.status = 'measuring';
      break;
    case 'done':
      v.status = 'done';
      v.result = m.result;
      v.step = m.result.steps;
      v.trainError = m.result.curve.at(-1)?.trainError ?? v.trainError;
      v.worker.terminate();
      break;
    case 'failed':
      v.status = 'failed';
      v.error = m.message;
      v.worker.terminate();
      console.warn(`${v.label}: ${m.message}`);
      break;
  }
  drawCard(v);
}

function pause(): void {
  if (control === null) return;
  const paused = Atomics.load(control, 0) === 1;
  Atomics.store(control, 0, paused ? 0 : 1);
  if (paused) Atomics.notify(control, 0);
  $('pause').textContent = paused ? 'pause' : 'resume';
}

function reset(): void {
  generation++;
  for (const v of views) v.worker.terminate();
  views = [];
  noiseRows.length = 0;
  if (control !== null) {
    Atomics.store(control, 0, 0);
    Atomics.notify(control, 0);
  }
  $('runs').replaceChildren();
  $('samples').replaceChildren();
  $('graph').replaceChildren();
  $('tape').textContent = '';
  $<HTMLSelectElement>('graph-run').replaceChildren();
  shownGraph = '';
  $<HTMLButtonElement>('pause').disabled = true;
  $<HTMLButtonElement>('pause').textContent = 'pause';
  $<HTMLButtonElement>('download').disabled = true;
  message('');
  scheduleCharts();
}

function message(text: string): void {
  $('message').textContent = text;
}

// ---- run cards
function drawCard(v: RunView): void {
  const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '–');
  const last = v.curve.at(-1);
  const status = v.status === 'failed' ? `failed: ${v.error}` : v.status === 'measuring' ? 'measuring (precise BN, test error in training mode)' : v.status;
  const result = v.result === null ? '' : `<br>final test error ${pct(v.result.testError)}` +
    (v.result.testErrorPreciseBn === undefined ? '' : `, with batch statistics ${pct(v.result.testErrorTrainMode!)}, after precise BN ${pct(v.result.testErrorPreciseBn)}`);
  v.card.innerHTML = `<h3>${v.label}</h3>
    <progress max="${Math.max(1, v.steps)}" value="${v.step}"></progress>
    <div>step ${v.step} of ${v.steps || '…'} · ${status}</div>
    <div>training error (recent steps) ${pct(v.trainError)} · test error ${pct(last?.testError ?? NaN)}</div>
    <div>${Number.isFinite(v.stepsPerSecond) ? v.stepsPerSecond.toFixed(0) : '–'} steps/s (training steps only, ${v.backend || '…'} backend)${result}</div>`;
}

// ---- charts: three Vega-Lite views whose named data sets are replaced at most twice a second
const noiseRows: { run: string; layer: string; epoch: number; meanNoise: number; varNoise: number }[] = [];
const charts = new Map<string, Promise<Awaited<ReturnType<typeof embed>>>>();
let chartTimer: ReturnType<typeof setTimeout> | null = null;

function chartSpecs(): Record<string, object> {
  const layers = layerWeights('resnet', settings.blocks);
  return {
    'chart-errors': {
      $schema: SCHEMA, title: 'Training and test error', data: { name: 'points' }, autosize: AUTOSIZE, width: 420, height: 260,
      mark: { type: 'line', point: true, clip: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epochs' },
        y: { field: 'error', type: 'quantitative', title: 'error (%)', scale: { zero: true } },
        color: { field: 'run', type: 'nominal', title: 'run' },
        strokeDash: { field: 'curve', type: 'nominal', sort: ['test error', 'train error'], title: null },
        tooltip: [{ field: 'run' }, { field: 'curve' }, { field: 'epoch', format: '.2f' }, { field: 'error', format: '.2f' }],
      },
    },
    'chart-gradients': {
      $schema: SCHEMA, title: 'Per-layer gradient norms', data: { name: 'points' }, autosize: AUTOSIZE,
      facet: { column: { field: 'run', type: 'nominal', title: null } },
      spec: {
        width: 240, height: 240, mark: { type: 'line', clip: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epochs' },
          y: { field: 'norm', type: 'quantitative', title: 'gradient L2 norm', scale: { type: 'log' } },
          color: { field: 'layer', type: 'nominal', sort: layers, title: 'weight' },
        },
      },
    },
    'chart-noise': {
      $schema: SCHEMA, title: 'BN: batch statistics against running statistics', data: { name: 'points' }, autosize: AUTOSIZE,
      facet: { column: { field: 'statistic', type: 'nominal', title: null } },
      spec: {
        width: 240, height: 240, mark: { type: 'line', point: true, clip: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epochs' },
          y: { field: 'noise', type: 'quantitative', title: 'RMS relative deviation', scale: { type: 'log' } },
          color: { field: 'layer', type: 'nominal', title: 'BN layer' },
          strokeDash: { field: 'run', type: 'nominal', title: 'run' },
        },
      },
    },
  };
}

function chartRows(): Record<string, object[]> {
  const layers = new Set(layerWeights('resnet', settings.blocks));
  return {
    'chart-errors': views.flatMap((v) => v.curve.flatMap((p) => [
      { run: v.label, curve: 'train error', epoch: p.epoch, error: p.trainError },
      { run: v.label, curve: 'test error', epoch: p.epoch, error: p.testError },
    ])),
    'chart-gradients': views.flatMap((v) => v.gradients.filter((g) => layers.has(g.layer) && g.norm > 0).map((g) => ({ run: v.label, layer: g.layer, epoch: g.epoch, norm: g.norm }))),
    'chart-noise': noiseRows.flatMap((n) => [
      { run: n.run, layer: n.layer, epoch: n.epoch, statistic: 'batch mean: (μB − μ)/σ', noise: n.meanNoise },
      { run: n.run, layer: n.layer, epoch: n.epoch, statistic: 'batch variance: σB²/σ² − 1', noise: n.varNoise },
    ]).filter((r) => r.noise > 0),
  };
}

let drawing = false;
let drawAgain = false;

function scheduleCharts(): void {
  if (chartTimer !== null) return;
  chartTimer = setTimeout(() => {
    chartTimer = null;
    if (drawing) {
      drawAgain = true;
      return;
    }
    drawing = true;
    drawCharts().catch((e: unknown) => console.error(e)).finally(() => {
      drawing = false;
      if (drawAgain) {
        drawAgain = false;
        scheduleCharts();
      }
    });
  }, 500);
}

async function drawCharts(): Promise<void> {
  const specs = chartSpecs();
  const rows = chartRows();
  for (const [id, spec] of Object.entries(specs)) {
    let chart = charts.get(id);
    if (rows[id]!.length === 0) {
      // nothing to draw (before the first point, after a reset): no chart rather than an empty one
      if (chart !== undefined) (await chart).finalize();
      charts.delete(id);
      $(id).replaceChildren();
      continue;
    }
    if (chart === undefined) {
      chart = embed(`#${id}`, spec as never, { renderer: 'svg', actions: false });
      charts.set(id, chart);
    }
    const { view } = await chart;
    await view.data('points', rows[id]!).runAsync();
  }
  chartsDrawn++;
}
let chartsDrawn = 0;

// ---- test images and the class each run predicts
function drawSamples(): void {
  const box = $('samples');
  if (shownData === null) return;
  const test = shownData.test;
  const count = Math.min(8, test.size);
  const names = CLASS_NAMES[settings.dataset];
  const cells: HTMLElement[] = [cell('image')];
  for (let i = 0; i < count; i++) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 28;
    const pixels = new ImageData(28, 28);
    for (let p = 0; p < PIXELS; p++) {
      const g = Math.round(255 * (test.images[i * PIXELS + p]! * shownData.std + shownData.mean));
      pixels.data.set([g, g, g, 255], 4 * p);
    }
    canvas.getContext('2d')!.putImageData(pixels, 0, 0);
    cells.push(canvas);
  }
  cells.push(cell('label'), ...Array.from({ length: count }, (_, i) => cell(names[test.labels[i]!]!)));
  for (const v of views) {
    cells.push(cell(v.label));
    for (let i = 0; i < count; i++) cells.push(cell('…', `prediction-${views.indexOf(v)}-${i}`));
  }
  box.style.gridTemplateColumns = `max-content repeat(${count}, max-content)`;
  box.replaceChildren(...cells);
}

function drawPredictions(): void {
  const test = shownData?.test;
  if (test === undefined) return;
  const names = CLASS_NAMES[settings.dataset];
  views.forEach((v, r) => v.predictions.forEach((p, i) => {
    const el = document.getElementById(`prediction-${r}-${i}`);
    if (el === null) return;
    el.textContent = names[p]!;
    el.className = p === test.labels[i] ? 'right' : 'wrong';
  }));
}

function cell(text: string, id?: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  if (id !== undefined) el.id = id;
  return el;
}

// ---- one training step's graph (toDot) rendered by Graphviz's wasm build, and its tape
let viz: Promise<Viz> | null = null;
let shownGraph = '';

function drawGraphChoices(): void {
  const select = $<HTMLSelectElement>('graph-run');
  const ready = views.filter((v) => v.dot !== '');
  if (select.options.length !== ready.length) {
    const chosen = select.value;
    select.replaceChildren(...ready.map((v) => new Option(v.label, String(views.indexOf(v)))));
    if (chosen !== '') select.value = chosen;
  }
  void drawGraph();
}

async function drawGraph(): Promise<void> {
  const v = views[Number($<HTMLSelectElement>('graph-run').value)];
  if (v === undefined || v.dot === '' || shownGraph === v.dot) return;
  shownGraph = v.dot;
  // Graphviz's wasm build (about 1.4 MB) loads with the first graph, not with the page
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const svg = (await viz).renderSVGElement(v.dot);
  if (shownGraph !== v.dot) return;
  $('graph').replaceChildren(svg);
  $('tape').textContent = v.tape;
}

// ---- results.json in the CLI's format
function results() {
  if (shownData === null) throw new Error('no runs yet: press start');
  const runs = views.map((v) => ({
    run: v.run,
    result: v.result ?? partialResult(v.run, v.curve, v.gradients, v.step, v.stepsPerSecond > 0 ? v.step / v.stepsPerSecond : 0),
    finished: v.result !== null,
    steps: v.steps,
  }));
  const environment = { node: `none: ${navigator.userAgent}`, platform: navigator.platform || 'browser', cpu: 'unknown', cpus: navigator.hardwareConcurrency };
  return labResults(settings, shownData, runs, (performance.now() - sessionStarted) / 1000, environment);
}

function download(): void {
  const blob = new Blob([JSON.stringify(results(), null, 1) + '\n'], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'results.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---- wiring, and window.lab for tests and the curious
$('start').onclick = () => void start().catch((e: unknown) => message(String(e)));
$('pause').onclick = pause;
$('reset').onclick = reset;
$('download').onclick = download;
$('add-run').onclick = () => {
  runSpecs.push({ norm: 'group', batchSize: 2 });
  drawRunSettings();
};
$<HTMLSelectElement>('graph-run').onchange = () => void drawGraph();

const lab = {
  get runs() {
    return views.map((v) => ({
      norm: v.run.norm, batchSize: v.run.batchSize, step: v.step, steps: v.steps, status: v.status, trainError: v.trainError,
      testError: v.curve.at(-1)?.testError ?? NaN, points: v.curve.length, stepsPerSecond: v.stepsPerSecond, backend: v.backend, error: v.error,
      result: v.result,
    }));
  },
  get settings() {
    return settings;
  },
  get chartsDrawn() {
    return chartsDrawn;
  },
  get graphShown() {
    return $('graph').querySelector('svg') !== null;
  },
  crossOriginIsolated: isolated,
  start, pause, reset, results,
};
(globalThis as unknown as { lab: typeof lab }).lab = lab;

fillForm();
if (params.has('autostart')) void start().catch((e: unknown) => message(String(e)));
