// summary(model, { inputShape }): what torchinfo's `summary` and Keras' `model.summary()` show, one row per
// module call with its output shape and parameter count, and the totals. It runs one forward on a random input
// in the model's current mode, with gradients off, and leaves the model as it found it: buffers that the
// forward changed (BatchNorm's running statistics and numBatchesTracked) and the default random generator
// (Dropout draws from it) are restored afterwards.
import {
  ArgumentError, type DType, Generator, Tensor, checkNonNegativeInt, checkOneOf, checkOptions, checkShape, defaultGenerator,
  describeValue, randn, typeNameOf, zeros,
} from '@minigrad/tensor';
import { Variable, noGrad } from '@minigrad/autograd';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import type { RemovableHandle } from './hooks.js';
import { formatSummary } from './summary-format.js';

/** Options of `summary`. PyTorch: torchinfo's `summary` arguments. */
export interface SummaryOptions {
  /** The input's shape with its batch dim (`[2, 1, 28, 28]`), or one shape per input of a forward that takes several. */
  inputShape: number[] | number[][];
  /** The input's dtype: the dtype of the model's parameters by default (float32 without any); int32 inputs are zeros (valid indices). */
  dtype?: 'float32' | 'float64' | 'int32';
  /** The deepest level of calls shown (default 3, as torchinfo); a row at that level counts its hidden descendants' parameters. */
  depth?: number;
}

/** One call of a module during the forward. */
export interface SummaryRow {
  /** The class name (`Conv2d`), as `String(model)` prints it. */
  type: string;
  /** The dotted name in the model (`features.0`; '' for the model itself). */
  name: string;
  /** How deeply the call is nested (0 for the model itself). */
  depth: number;
  /** The call's position among the calls at its depth, from 1 (torchinfo's `1-3`); 0 for the model itself. */
  index: number;
  /** The output's shape, one shape per output when the module returns several, null when it returns no tensor. */
  outputShape: number[] | number[][] | null;
  /** Parameter elements of the module and its descendants (each parameter counted once). */
  params: number;
  /** Those of them that require grad. */
  trainableParams: number;
  /** Parameter elements the module holds itself, not through a child. */
  ownParams: number;
  /** Whether the module has child modules. */
  hasChildren: boolean;
  /** A second call of a module already listed (its parameters are not counted again). */
  recursive: boolean;
}

/** What `summary` returns: the table's rows and totals. PyTorch: torchinfo's `ModelStatistics`. */
export interface ModelSummary {
  /** The calls up to `depth`, in the order they started. */
  rows: SummaryRow[];
  /** Parameter elements of the whole model (each parameter once, called or not). */
  totalParams: number;
  /** Those of them that require grad. */
  trainableParams: number;
  /** Those that do not (frozen). */
  nonTrainableParams: number;
  /** Bytes of the parameters, and of the input. */
  paramBytes: number;
  /** Bytes of the input(s). */
  inputBytes: number;
  /** The depth the rows were cut at. */
  depth: number;
  /** The table as torchinfo prints it. */
  toString(): string;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const OP = 'summary';

function checkInputShapes(value: unknown): number[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError(OP, `inputShape must be a shape or an array of shapes, got ${describeValue(value)}`);
  }
  const shapes = value.every((s) => Array.isArray(s)) ? (value as unknown[][]) : [value];
  return shapes.map((s) => checkShape(OP, 'inputShape', s));
}

/** Parameters of `module`'s subtree (or of the module alone), each once: elements, and those requiring grad. */
function countParams(params: Iterable<Parameter>): { params: number; trainable: number; bytes: number } {
  let count = 0;
  let trainable = 0;
  let bytes = 0;
  for (const p of params) {
    const n = p.numel();
    count += n;
    if (p.requiresGrad) trainable += n;
    bytes += n * BYTES[p.dtype];
  }
  return { params: count, trainable, bytes };
}

/** The shape of a module's output: a tensor's, one per tensor of an array, null for anything else. */
function shapeOf(out: unknown): number[] | number[][] | null {
  const one = (x: unknown) => (x instanceof Variable || x instanceof Tensor ? x.shape.slice() : null);
  if (Array.isArray(out)) {
    const shapes = out.map(one);
    return shapes.length > 0 && shapes.every((s) => s !== null) ? (shapes as number[][]) : null;
  }
  return one(out);
}

/** Runs `fn` and puts every buffer of `model` and the default generator back as they were before. */
function preservingState<T>(model: Module, fn: () => T): T {
  const saved: [Module, string, Tensor, Tensor, number][] = [];
  for (const m of model.modules()) {
    for (const [name, t] of m.namedOwnBuffers()) saved.push([m, name, t, t.clone(), t.storage.version]);
  }
  const rng = defaultGenerator.getState();
  try {
    return fn();
  } finally {
    defaultGenerator.setState(rng);
    for (const [m, name, t, copy, version] of saved) {
      (m as unknown as Record<string, unknown>)[name] = t;
      // Only a buffer the forward wrote is copied back, so the others keep their storage version.
      if (t.storage.version !== version) t.copyFrom(copy);
    }
  }
}

/**
 * The model's layers as torchinfo prints them: one row per module call (output shape, parameters), the totals
 * and the sizes. `String(summary(model, { inputShape: [2, 1, 28, 28] }))` is the table.
 */
export function summary(model: Module, opts: SummaryOptions): ModelSummary {
  if (!(model instanceof Module)) throw new ArgumentError(OP, `model must be a Module, got ${describeValue(model)}`);
  const { inputShape, dtype, depth = 3 } = checkOptions(OP, opts, ['inputShape', 'dtype', 'depth']);
  if (inputShape === undefined) throw new ArgumentError(OP, 'inputShape is required (the input\'s shape with its batch dim)');
  const shapes = checkInputShapes(inputShape);
  const firstParam = model.parameters().next();
  const inputDType = dtype ?? (firstParam.done ? 'float32' : (firstParam.value.dtype as 'float32' | 'float64'));
  checkOneOf(OP, 'dtype', inputDType, ['float32', 'float64', 'int32'] as const);
  checkNonNegativeInt(OP, 'depth', depth);

  const names = new Map<Module, string>();
  for (const [name, m] of model.namedModules()) names.set(m, name);
  // A generator of its own, so that the input does not move the default one (which is restored anyway).
  const generator = new Generator(0);
  const inputs = shapes.map(
    (s) => new Variable(inputDType === 'int32' ? zeros(s, { dtype: 'int32' }) : randn(s, { dtype: inputDType, generator })),
  );

  const rows: SummaryRow[] = [];
  const open: SummaryRow[] = [];
  const counters: number[] = [];
  const seen = new Set<Module>();
  const handles: RemovableHandle[] = [];
  for (const m of names.keys()) {
    handles.push(
      m.registerForwardPreHook((mod) => {
        const d = open.length;
        counters[d] = (counters[d] ?? 0) + 1;
        const subtree = countParams(mod.parameters());
        const row: SummaryRow = {
          type: typeNameOf(mod),
          name: names.get(mod) ?? '',
          depth: d,
          index: d === 0 ? 0 : counters[d],
          outputShape: null,
          params: subtree.params,
          trainableParams: subtree.trainable,
          ownParams: countParams(mod.parameters({ recurse: false })).params,
          hasChildren: !mod.children().next().done,
          recursive: seen.has(mod),
        };
        seen.add(mod);
        rows.push(row);
        open.push(row);
      }),
      m.registerForwardHook((_mod, _inputs, output) => {
        const row = open.pop();
        if (row !== undefined) row.outputShape = shapeOf(output);
      }),
    );
  }
  try {
    preservingState(model, () => noGrad(() => model.call(...(inputs as never[]))));
  } finally {
    for (const h of handles) h.remove();
  }

  const totals = countParams(model.parameters());
  const result: ModelSummary = {
    rows: rows.filter((r) => r.depth <= depth),
    totalParams: totals.params,
    trainableParams: totals.trainable,
    nonTrainableParams: totals.params - totals.trainable,
    paramBytes: totals.bytes,
    inputBytes: shapes.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1) * BYTES[inputDType], 0),
    depth,
    toString: () => formatSummary(result),
  };
  return result;
}
