// Values and gradients against PyTorch (tools/fixtures/autograd.py writes the fixtures; each expression
// below is the same one, by name, as in that script).
import { tensor as rawTensor, type Tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { assertClose, loadFixtures, values, type EncodedTensor } from '@minigrad/testing';
import {
  adaptiveAvgPool2d, arange, avgPool2d, cat, chunk, conv2d, convTranspose2d, grad, maxPool2d, split, stack, variable, where, zeros,
  type Variable,
} from '../src/index.js';

interface ExpressionCase {
  name: string;
  dtype: 'float32' | 'float64';
  inputs: Record<string, EncodedTensor>;
  output: EncodedTensor;
  gradOutput: EncodedTensor;
  grads: Record<string, EncodedTensor>;
}

interface DoubleCase {
  name: string;
  inputs: Record<string, EncodedTensor>;
  wrt: string[];
  first: EncodedTensor[];
  output: EncodedTensor;
  grads: Record<string, EncodedTensor>;
}

const decode = (e: EncodedTensor): Tensor => rawTensor(values(e), { dtype: e.dtype, shape: e.shape });
const idx = (d: number[][] | number[]) => rawTensor(d, { dtype: 'int32' });
const total = (xs: Variable[]) => xs.reduce((acc, x) => acc.add(x));

type Expr = (x: Record<string, Variable>) => Variable;

const EXPRESSIONS: Record<string, Expr> = {
  mlp_nll: ({ x, w1, b1, w2, target }) => x.matmul(w1).add(b1).tanh().matmul(w2).logSoftmax(1).gather(1, target).mean().neg(),
  broadcast_chain: ({ a, b, c }) => a.mul(b).add(c).sigmoid().div(b.abs().add(1)).sum(),
  softmax_family: ({ x }) => x.softmax(1).select(1, 0).sum().add(x.logsumexp(0).sum()).add(x.logSoftmax(0).mean()),
  moments: ({ x }) => x.var(1).sum().add(x.std(0, { correction: 0 }).sum()).add(x.var()).add(x.mean([0, 1])),
  prod_amax_min: ({ x }) => x.prod(1).sum().add(x.amax(0).sum()).add(x.min(1).values.sum()).add(x.max()),
  views: ({ x, y }) =>
    x
      .permute(2, 0, 1)
      .slice(1, 0, Infinity, 2)
      .slice(2, 1)
      .reshape(-1, 2)
      .t()
      .matmul(y.transpose(0, 1).t().narrow(1, 1, 2))
      .sum()
      .add(x.select(1, 1).unsqueeze(0).expand(2, 2, 4).flatten().square().sum()),
  join_split: ({ a, b }) =>
    total(split(cat([a, b], 1), 2, 1).map((p, i) => p.sin().sum().mul(i + 1)))
      .add(stack([a, a.mul(2)], 2).cos().sum())
      .add(total(chunk(b, 2, 0).map((c) => c.exp().sum()))),
  activations: ({ x }) =>
    total([
      x.gelu().sum(),
      x.gelu('tanh').sum().mul(2),
      x.softplus(2, 1).sum(),
      x.leakyRelu(0.1).sum(),
      x.erf().sum(),
      x.clamp(-0.5, 0.7).sum(),
      x.relu().sum(),
    ]),
  pow_div_sqrt: ({ a, b }) =>
    a
      .pow(b)
      .add(a.sqrt().mul(a.rsqrt().log()))
      .add(b.reciprocal().exp())
      .sum()
      .add(a.div(b).square().mean())
      .add(a.pow(2.5).sum()),
  indexing: ({ x }) =>
    x
      .gather(1, idx([[0, 0], [2, 1], [1, 1]]))
      .pow(2)
      .sum()
      .add(x.indexSelect(0, idx([2, 2, 0])).tanh().sum())
      .add(zeros([3, 4], { dtype: x.dtype }).scatterAdd(1, idx([[3, 3, 0]]), x.slice(0, 0, 1).slice(1, 0, 3)).mul(arange(4, { dtype: x.dtype })).sum()),
  where_maximum: ({ a, b }) => where(a.gt(0), a.mul(b), b.exp()).sum().add(a.maximum(b).sum()).add(a.minimum(b.mul(2)).sum()),
  matmul_shapes: ({ a, b, v }) =>
    a.matmul(b).tanh().sum().add(v.matmul(b.select(0, 0)).sum()).add(a.select(0, 0).matmul(v).sum()).add(v.matmul(v)),
  conv_pool_net: ({ x, w1, b1, w2 }) =>
    adaptiveAvgPool2d(
      avgPool2d(maxPool2d(conv2d(x, w1, b1, { padding: 1 }).relu(), { kernelSize: 2, stride: 1 }), {
        kernelSize: 2,
        stride: 1,
        padding: 1,
        countIncludePad: false,
      }),
      2,
    )
      .mul(
        convTranspose2d(maxPool2d(x, { kernelSize: 3, stride: 2, ceilMode: true }), w2, null, { stride: 2, outputPadding: 1 })
          .slice(1, 0, 3)
          .slice(2, 0, 2)
          .slice(3, 0, 2),
      )
      .sum(),
  conv_groups_dilation: ({ x, w }) => conv2d(x, w, null, { stride: [2, 1], padding: 2, dilation: 2, groups: 2 }).tanh().sum(),
  non_scalar_output: ({ x, w }) => x.matmul(w).tanh(),
  // the ops a PyTorch user reaches for (issue 12)
  sort_topk: ({ x }) =>
    x
      .sort(1, { descending: true, stable: true })
      .values.mul(arange(5, { dtype: x.dtype }))
      .sum()
      .add(x.topk(2, 0).values.square().sum())
      .add(x.topk(2, 1, { largest: false }).values.exp().sum())
      .add(x.sort(0, { stable: true }).values.tanh().sum()),
  cumsum_clamp: ({ x, lo, hi }) =>
    total([
      x.cumsum(1).sin().sum(),
      x.cumsum(0).square().sum(),
      x.clamp(lo, hi).square().sum(),
      x.clamp(lo).exp().sum(),
      x.clamp(null, hi).sum(),
    ]),
  masked: ({ x, v, m, m2 }) =>
    x.maskedFill(m, 0.5).exp().sum().add(x.maskedSelect(m2).square().sum()).add(x.maskedFill(m2, v).mul(x).sum()),
  // micrograd's sanity checks
  sanity: ({ x }) => {
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    return h.add(q).add(q.mul(x));
  },
  more_ops: ({ a, b }) => {
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c).add(1);
    c = c.add(1).add(c).add(a.neg());
    d = d.add(d.mul(2)).add(b.add(a).relu());
    d = d.add(d.mul(3)).add(b.sub(a).relu());
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(f.reciprocal().mul(10));
    return g;
  },
};

const DOUBLE: Record<string, Expr> = {
  cubic_sin: ({ x }) => x.pow(3).mul(x.sin()).sum(),
  tanh_sigmoid_exp: ({ x }) => x.tanh().mul(x.sigmoid()).add(x.mul(0.3).exp()).sum(),
  mlp_relu: ({ x, w1, w2 }) => x.matmul(w1).relu().matmul(w2).sigmoid().sum(),
  mse: ({ x, y }) => x.sub(y).pow(2).mean(),
  conv_relu_pool: ({ x, w }) => maxPool2d(conv2d(x, w, null, { padding: 1 }).relu(), { kernelSize: 2 }).pow(2).sum(),
  softmax_logsumexp: ({ x }) => x.softmax(1).mul(arange(4, { dtype: 'float64' })).sum().add(x.logsumexp(0).sum()),
};

const tol = (dtype: string) => (dtype === 'float64' ? { atol: 1e-9, rtol: 1e-7 } : { atol: 2e-5, rtol: 2e-4 });

function leaves(inputs: Record<string, EncodedTensor>): Record<string, Variable> {
  const out: Record<string, Variable> = {};
  for (const [k, e] of Object.entries(inputs)) {
    const t = decode(e);
    out[k] = variable(t, { requiresGrad: e.dtype === 'float32' || e.dtype === 'float64' });
  }
  return out;
}

function checkExpression(c: ExpressionCase): void {
  const xs = leaves(c.inputs);
  const out = EXPRESSIONS[c.name](xs);
  expect(out.shape).toEqual(c.output.shape);
  expect(out.dtype).toBe(c.dtype);
  assertClose(out.data.toTypedArray(), values(c.output), { ...tol(c.dtype), label: `${c.name} value` });
  out.backward(decode(c.gradOutput));
  for (const [k, g] of Object.entries(c.grads)) {
    expect(xs[k].grad, `${c.name}: no gradient for ${k}`).not.toBeNull();
    expect(xs[k].grad!.shape).toEqual(g.shape);
    assertClose(xs[k].grad!.data.toTypedArray(), values(g), { ...tol(c.dtype), label: `${c.name} d/d${k}` });
  }
}

describe('expressions match PyTorch (values and gradients)', () => {
  const { cases } = loadFixtures<ExpressionCase>(new URL('./fixtures/expressions.json', import.meta.url));
  for (const c of cases) it(`${c.name} (${c.dtype})`, () => checkExpression(c));
});

describe('sort, topk, cumsum, clamp with tensor bounds and the masked ops match PyTorch', () => {
  const { cases } = loadFixtures<ExpressionCase>(new URL('./fixtures/user_ops.json', import.meta.url));
  for (const c of cases) it(`${c.name} (${c.dtype})`, () => checkExpression(c));
});

describe("micrograd's sanity checks match PyTorch", () => {
  const { cases } = loadFixtures<ExpressionCase>(new URL('./fixtures/micrograd.json', import.meta.url));
  for (const c of cases) it(c.name, () => checkExpression(c));
});

describe('double backward matches PyTorch', () => {
  const { cases } = loadFixtures<DoubleCase>(new URL('./fixtures/double_backward.json', import.meta.url));
  for (const c of cases) {
    it(c.name, () => {
      const xs = leaves(c.inputs);
      const gs = grad(DOUBLE[c.name](xs), c.wrt.map((k) => xs[k]), { createGraph: true }) as Variable[];
      gs.forEach((g, i) => assertClose(g.data.toTypedArray(), values(c.first[i]), { ...tol('float64'), label: `${c.name} first gradient ${c.wrt[i]}` }));
      const z = total(gs.map((g) => g.square().sum().add(g.sin().sum())));
      assertClose(z.data.toTypedArray(), values(c.output), { ...tol('float64'), label: `${c.name} z` });
      z.backward();
      for (const [k, g] of Object.entries(c.grads)) {
        expect(xs[k].grad, `${c.name}: no second-order gradient for ${k}`).not.toBeNull();
        assertClose(xs[k].grad!.data.toTypedArray(), values(g), { ...tol('float64'), label: `${c.name} d z/d${k}` });
      }
    });
  }
});
