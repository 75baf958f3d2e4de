// Replays the PyTorch fixtures (tools/fixtures/tensor.py) on contiguous and on non-contiguous inputs.
import { describe, expect, test } from 'vitest';
import { type DType, type Tensor, arange, cat, linspace, matmul, oneHot, stack, tensor, where, zeros } from '@minigrad/tensor';
import { type EncodedTensor, assertClose, loadFixtures, values, describeEachBackend } from '@minigrad/testing';

interface Case {
  op: string;
  inputs: EncodedTensor[];
  args: Record<string, unknown>;
  out: EncodedTensor[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixture arguments are untyped JSON
type Args = Record<string, any>;
type Run = (x: Tensor[], a: Args) => Tensor | Tensor[];

const UNARY = ['neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'sign', 'reciprocal', 'square', 'erf'] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
const REDUCE = ['sum', 'mean', 'prod', 'amax', 'amin', 'logsumexp', 'all', 'any'] as const;

const RUN: Record<string, Run> = {
  leakyRelu: ([x], a) => x.leakyRelu(a.negativeSlope),
  gelu: ([x], a) => x.gelu(a.approximate),
  softplus: ([x], a) => x.softplus(a.beta, a.threshold),
  clamp: ([x], a) => x.clamp(a.min ?? null, a.max ?? null),
  where: ([c, x, y]) => where(c, x, y),
  whereScalar: ([c, x], a) => where(c, x, a.other),
  var: ([x], a) => x.var(a.dim, { correction: a.correction, keepdim: a.keepdim }),
  std: ([x], a) => x.std(a.dim, { correction: a.correction, keepdim: a.keepdim }),
  max: ([x], a) => (a.dim === undefined ? x.max() : Object.values(x.max(a.dim, a.keepdim))),
  min: ([x], a) => (a.dim === undefined ? x.min() : Object.values(x.min(a.dim, a.keepdim))),
  argmax: ([x], a) => x.argmax(a.dim, a.keepdim),
  argmin: ([x], a) => x.argmin(a.dim, a.keepdim),
  softmax: ([x], a) => x.softmax(a.dim),
  logSoftmax: ([x], a) => x.logSoftmax(a.dim),
  matmul: ([x, y]) => matmul(x, y),
  cat: (xs, a) => cat(xs, a.dim),
  stack: (xs, a) => stack(xs, a.dim),
  gather: ([x, i], a) => x.gather(a.dim, i),
  scatterAdd: ([x, i, s], a) => x.scatterAdd(a.dim, i, s),
  indexSelect: ([x, i], a) => x.indexSelect(a.dim, i),
  oneHot: ([i], a) => oneHot(i, a.numClasses),
  permute: ([x], a) => x.permute(a.dims),
  transpose: ([x], a) => x.transpose(a.dim0, a.dim1),
  reshape: ([x], a) => x.reshape(a.shape),
  slice: ([x], a) => x.slice(a.dim, a.start, a.stop, a.step),
  narrow: ([x], a) => x.narrow(a.dim, a.start, a.length),
  select: ([x], a) => x.select(a.dim, a.index),
  squeeze: ([x], a) => x.squeeze(a.dim),
  unsqueeze: ([x], a) => x.unsqueeze(a.dim),
  flatten: ([x], a) => x.flatten(a.startDim, a.endDim),
  expand: ([x], a) => x.expand(a.sizes),
  chunk: ([x], a) => x.chunk(a.chunks, a.dim),
  split: ([x], a) => x.split(a.split, a.dim),
  sort: ([x], a) => Object.values(x.sort(a.dim, { descending: a.descending, stable: true })),
  argsort: ([x], a) => x.argsort(a.dim, { descending: a.descending }),
  topk: ([x], a) => Object.values(x.topk(a.k, a.dim, { largest: a.largest })),
  cumsum: ([x], a) => x.cumsum(a.dim, a.dtype === undefined ? undefined : { dtype: a.dtype }),
  clampTensors: ([x, b, c], a) => (a.max === null ? x.clamp(b, null) : a.min === null ? x.clamp(null, b) : x.clamp(b, c)),
  maskedFill: ([x, m], a) => x.maskedFill(m, a.value),
  maskedSelect: ([x, m]) => x.maskedSelect(m),
  int: ([x]) => x.int(),
  long: ([x]) => x.long(),
  bool: ([x]) => x.bool(),
  float: ([x]) => x.float(),
  double: ([x]) => x.double(),
  linspace: (_, a) => linspace(a.start, a.end, a.steps, { dtype: 'float64' }),
  arange: (_, a) => arange(a.start, a.end, a.step, { dtype: 'float64' }),
};
for (const name of UNARY) RUN[name] = ([x]) => x[name]();
for (const name of BINARY) {
  RUN[name] = ([x, y], a) => {
    const other = a.scalar ?? y;
    return name === 'add' || name === 'sub' ? x[name](other, a.alpha ?? 1) : x[name](other);
  };
}
for (const name of REDUCE) RUN[name] = ([x], a) => x[name](a.dim, a.keepdim ?? false);

function decode(e: EncodedTensor): Tensor {
  return tensor(values(e), { dtype: e.dtype as DType, shape: e.shape });
}

/** The same values in a non-contiguous layout: reversed dim order, every element 2 apart in memory. */
function strided(x: Tensor): Tensor {
  if (x.ndim === 0) return x;
  const rev = x.shape.slice().reverse();
  const perm = rev.map((_, i) => rev.length - 1 - i);
  const holder = zeros([...rev, 2], { dtype: x.dtype }).select(-1, 0).permute(perm);
  return holder.copyFrom(x);
}

function tolerance(dtype: string, op: string): { atol: number; rtol: number } {
  if (dtype === 'float64') return { atol: 1e-12, rtol: 1e-10 };
  // float32 math in PyTorch rounds intermediates to float32; minigrad keeps doubles inside a kernel.
  return op === 'pow' || op === 'matmul' || op === 'var' || op === 'std' ? { atol: 1e-5, rtol: 1e-5 } : { atol: 1e-6, rtol: 2e-6 };
}

// The conformance suite: every backend (test/backends.ts) must reproduce PyTorch's values.
const FILES = ['elementwise', 'binary', 'reductions', 'linalg_indexing', 'creation', 'views', 'sort_scan_mask'];

describeEachBackend('PyTorch fixtures', () => {
  for (const file of FILES) fixtureSuite(file);
});

function fixtureSuite(file: string): void {
  const { cases } = loadFixtures<Case>(new URL(`./fixtures/${file}.json`, import.meta.url));
  const byOp = new Map<string, Case[]>();
  for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  describe(`PyTorch fixtures: ${file}`, () => {
    for (const [op, opCases] of byOp) {
      for (const layout of ['contiguous', 'strided'] as const) {
        test(`${op}: ${opCases.length} cases, ${layout} inputs`, () => {
          const run = RUN[op];
          expect(run, `no runner for ${op}`).toBeDefined();
          for (const [n, c] of opCases.entries()) {
            const inputs = c.inputs.map(decode).map((t) => (layout === 'strided' ? strided(t) : t));
            if (layout === 'strided') inputs.forEach((t) => t.numel() > 1 && expect(t.isContiguous()).toBe(false));
            const got = run(inputs, c.args);
            const outs = Array.isArray(got) ? got : [got];
            const label = `${op}[${n}](${c.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(', ')}; ${JSON.stringify(c.args)})`;
            expect(outs.length, label).toBe(c.out.length);
            c.out.forEach((e, k) => {
              expect(outs[k].shape, label).toEqual(e.shape);
              expect(outs[k].dtype, label).toBe(e.dtype);
              assertClose(outs[k].toTypedArray(), values(e), { ...tolerance(e.dtype, op), label });
            });
          }
        });
      }
    }
  });
}
