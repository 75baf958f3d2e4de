// Binary elementwise ops (tensor-tensor with broadcasting, and tensor-number) and where().
// Gradients may keep the broadcast shape: the engine sums them back to each input's shape.
import { full, where as whereTensor, type Tensor } from '@minigrad/tensor';
import { applyOp } from '../dispatch.js';
import { needsGrad, type Node } from '../tape-node.js';
import { Variable, asVariable } from '../variable.js';
import { defineOp, type OpSample } from '../registry.js';
import { maskGrad, scalarLike, select } from './helpers.js';
import { awayFromZero, normal, uniform } from './samples.js';

const pairSamples = (a: (s: number[]) => Tensor, b: (s: number[]) => Tensor) => (): OpSample<undefined>[] => [
  { inputs: [a([3, 4]), b([3, 4])], args: undefined },
  { inputs: [a([2, 3, 4]), b([3, 1])], args: undefined, label: 'broadcast' },
  { inputs: [a([3, 1]), b([1, 4])], args: undefined, label: 'broadcast both' },
  { inputs: [a([2, 3]), b([])], args: undefined, label: '0-d' },
];

export const addOp = defineOp<undefined>({
  name: 'add',
  forward: ([a, b]) => a.add(b),
  backward: (_, g) => [g, g],
  samples: pairSamples(normal, normal),
});

export const subOp = defineOp<undefined>({
  name: 'sub',
  forward: ([a, b]) => a.sub(b),
  backward: (ctx, g) => [g, needsGrad(ctx, 1) ? g.neg() : null],
  samples: pairSamples(normal, normal),
});

export const mulOp = defineOp<undefined>({
  name: 'mul',
  saveInputs: true,
  forward: ([a, b]) => a.mul(b),
  backward: (ctx, g) => {
    const [a, b] = ctx.inputs!;
    return [needsGrad(ctx, 0) ? g.mul(b) : null, needsGrad(ctx, 1) ? g.mul(a) : null];
  },
  samples: pairSamples(normal, normal),
});

export const divOp = defineOp<undefined>({
  name: 'div',
  saveInputs: true,
  forward: ([a, b]) => a.div(b),
  backward: (ctx, g) => {
    const [a, b] = ctx.inputs!;
    return [needsGrad(ctx, 0) ? g.div(b) : null, needsGrad(ctx, 1) ? g.mul(a).div(b.square()).neg() : null];
  },
  samples: pairSamples(normal, (s) => awayFromZero(s, 0.5)),
});

export const powOp = defineOp<undefined>({
  name: 'pow',
  saveInputs: true,
  saveOutput: true,
  forward: ([a, b]) => a.pow(b),
  backward: (ctx, g) => {
    const [a, b] = ctx.inputs!;
    // d/da = b a^(b-1), 0 where b == 0 (also at a == 0); d/db = a^b log(a), 0 where a == 0 and b >= 0.
    const ga = needsGrad(ctx, 0) ? maskGrad(g.mul(b).mul(a.pow(b.sub(1))), b.data.ne(0)) : null;
    const gb = needsGrad(ctx, 1)
      ? maskGrad(g.mul(ctx.output!.mul(a.log())), a.data.ne(0).logicalOr(b.data.lt(0)))
      : null;
    return [ga, gb];
  },
  samples: pairSamples((s) => uniform(s, 0.5, 2), normal),
});

const tieSplit = (ctx: Node, g: Variable, wins: (a: Tensor, b: Tensor) => Tensor): Variable[] => {
  const [a, b] = ctx.inputs!;
  const half = g.mul(0.5);
  const eq = a.data.eq(b.data);
  const zero = scalarLike(0, g);
  // Ties split the gradient evenly between the two inputs (PyTorch's maximum/minimum).
  return [select(eq, half, select(wins(a.data, b.data), g, zero)), select(eq, half, select(wins(b.data, a.data), g, zero))];
};

export const maximumOp = defineOp<undefined>({
  name: 'maximum',
  saveInputs: true,
  forward: ([a, b]) => a.maximum(b),
  backward: (ctx, g) => tieSplit(ctx, g, (a, b) => a.gt(b)),
  samples: pairSamples(normal, normal),
});

export const minimumOp = defineOp<undefined>({
  name: 'minimum',
  saveInputs: true,
  forward: ([a, b]) => a.minimum(b),
  backward: (ctx, g) => tieSplit(ctx, g, (a, b) => a.lt(b)),
  samples: pairSamples(normal, normal),
});

const scalarSamples = (make: (s: number[]) => Tensor, value: number) => (): OpSample<number>[] => [
  { inputs: [make([3, 4])], args: value },
  { inputs: [make([])], args: value, label: '0-d' },
];

export const addScalarOp = defineOp<number>({
  name: 'addScalar',
  forward: ([a], s) => a.add(s),
  backward: (_, g) => [g],
  samples: scalarSamples(normal, 1.5),
});

export const subScalarOp = defineOp<number>({
  name: 'subScalar',
  forward: ([a], s) => a.sub(s),
  backward: (_, g) => [g],
  samples: scalarSamples(normal, 0.7),
});

/** s - x */
export const rsubScalarOp = defineOp<number>({
  name: 'rsubScalar',
  forward: ([a], s) => a.neg().add(s),
  backward: (_, g) => [g.neg()],
  samples: scalarSamples(normal, 1),
});

export const mulScalarOp = defineOp<number>({
  name: 'mulScalar',
  forward: ([a], s) => a.mul(s),
  backward: (ctx, g) => [g.mul(ctx.args)],
  samples: scalarSamples(normal, -2.5),
});

export const divScalarOp = defineOp<number>({
  name: 'divScalar',
  forward: ([a], s) => a.div(s),
  backward: (ctx, g) => [g.div(ctx.args)],
  samples: scalarSamples(normal, 3),
});

export const powScalarOp = defineOp<number>({
  name: 'powScalar',
  saveInputs: true,
  forward: ([a], e) => a.pow(e),
  // d/dx x^e = e x^(e-1); exactly 0 for e == 0 (no 0 * Inf at x == 0).
  backward: (ctx, g) => {
    const e = ctx.args;
    if (e === 0) return [g.mul(0)];
    const x = ctx.inputs![0];
    return [g.mul(e === 2 ? x.mul(2) : x.pow(e - 1).mul(e))];
  },
  samples: () => [
    { inputs: [normal([3, 4])], args: 2 },
    { inputs: [normal([3, 4])], args: 3 },
    { inputs: [uniform([3, 4], 0.5, 2)], args: -1.5 },
    { inputs: [uniform([3, 4], 0.5, 2)], args: 0.5 },
    { inputs: [normal([2, 2])], args: 0 },
  ],
});

/** where(cond, a, b): cond is a bool tensor (non-differentiable), a and b broadcast against it. */
export const whereOp = defineOp<{ cond: Tensor }>({
  name: 'where',
  forward: ([a, b], { cond }) => whereTensor(cond, a, b),
  backward: (ctx, g) => {
    const zero = scalarLike(0, g);
    const cond = ctx.args.cond;
    return [needsGrad(ctx, 0) ? select(cond, g, zero) : null, needsGrad(ctx, 1) ? select(cond, zero, g) : null];
  },
  samples: () => [
    { inputs: [normal([3, 4]), normal([3, 4])], args: { cond: normal([3, 4]).gt(0) } },
    { inputs: [normal([3, 1]), normal([4])], args: { cond: normal([3, 4]).gt(0) }, label: 'broadcast' },
  ],
});

/** Elementwise cond ? a : b (cond a bool Variable or Tensor; a, b Variables, Tensors or numbers). */
export function where(cond: Variable | Tensor, a: Variable | Tensor | number, b: Variable | Tensor | number): Variable {
  const c = cond instanceof Variable ? cond.data : cond;
  if (typeof a !== 'number') asVariable(a, 'where', 'input');
  if (typeof b !== 'number') asVariable(b, 'where', 'other');
  const like = typeof a !== 'number' ? a : typeof b !== 'number' ? b : null;
  const dtype = like === null ? 'float32' : like.dtype;
  const av = typeof a === 'number' ? constantScalar(a, dtype) : asVariable(a);
  const bv = typeof b === 'number' ? constantScalar(b, dtype) : asVariable(b);
  return applyOp(whereOp, [av, bv], { cond: c });
}

function constantScalar(value: number, dtype: Tensor['dtype']): Variable {
  return new Variable(full([], value, { dtype }));
}

/** torch.maximum: the elementwise larger of a and b (either may be a plain Tensor, a constant). */
export function maximum(a: Variable | Tensor, b: Variable | Tensor | number): Variable {
  return asVariable(a, 'maximum', 'input').maximum(b);
}

/** torch.minimum: the elementwise smaller of a and b. */
export function minimum(a: Variable | Tensor, b: Variable | Tensor | number): Variable {
  return asVariable(a, 'minimum', 'input').minimum(b);
}
