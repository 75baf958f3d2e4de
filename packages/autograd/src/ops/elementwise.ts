// Unary elementwise ops. Each gradient is written with Variable ops, so it is itself differentiable.
import type { Tensor } from '@minigrad/tensor';
import { defineOp, type OpSample } from '../registry.js';
import { constant, maskGrad, select } from './helpers.js';
import { reluBackward } from './relu-backward.js';
import { awayFromZero, normal, uniform } from './samples.js';

const unarySamples = (make: (shape: number[]) => Tensor) => (): OpSample<undefined>[] => [
  { inputs: [make([3, 4])], args: undefined },
  { inputs: [make([2, 3, 2])], args: undefined },
  { inputs: [make([])], args: undefined, label: '0-d' },
];

export const negOp = defineOp<undefined>({
  name: 'neg',
  forward: ([x]) => x.neg(),
  backward: (_, g) => [g.neg()],
  samples: unarySamples(normal),
});

export const absOp = defineOp<undefined>({
  name: 'abs',
  saveInputs: true,
  forward: ([x]) => x.abs(),
  // abs'(0) = sign(0) = 0, as PyTorch.
  backward: (ctx, g) => [g.mul(constant(ctx.inputs![0].data.sign()))],
  samples: unarySamples((s) => awayFromZero(s)),
});

export const expOp = defineOp<undefined>({
  name: 'exp',
  saveOutput: true,
  forward: ([x]) => x.exp(),
  backward: (ctx, g) => [g.mul(ctx.output!)],
  samples: unarySamples(normal),
});

export const logOp = defineOp<undefined>({
  name: 'log',
  saveInputs: true,
  forward: ([x]) => x.log(),
  backward: (ctx, g) => [g.div(ctx.inputs![0])],
  samples: unarySamples((s) => uniform(s, 0.5, 2)),
});

export const sqrtOp = defineOp<undefined>({
  name: 'sqrt',
  saveOutput: true,
  forward: ([x]) => x.sqrt(),
  backward: (ctx, g) => [g.div(ctx.output!.mul(2))],
  samples: unarySamples((s) => uniform(s, 0.5, 2)),
});

export const rsqrtOp = defineOp<undefined>({
  name: 'rsqrt',
  saveOutput: true,
  forward: ([x]) => x.rsqrt(),
  // d/dx x^(-1/2) = -1/2 x^(-3/2) = -1/2 y^3
  backward: (ctx, g) => [g.mul(ctx.output!.pow(3)).mul(-0.5)],
  samples: unarySamples((s) => uniform(s, 0.5, 2)),
});

export const sinOp = defineOp<undefined>({
  name: 'sin',
  saveInputs: true,
  forward: ([x]) => x.sin(),
  backward: (ctx, g) => [g.mul(ctx.inputs![0].cos())],
  samples: unarySamples(normal),
});

export const cosOp = defineOp<undefined>({
  name: 'cos',
  saveInputs: true,
  forward: ([x]) => x.cos(),
  backward: (ctx, g) => [g.mul(ctx.inputs![0].sin()).neg()],
  samples: unarySamples(normal),
});

export const tanhOp = defineOp<undefined>({
  name: 'tanh',
  saveOutput: true,
  forward: ([x]) => x.tanh(),
  backward: (ctx, g) => [g.mul(ctx.output!.square().neg().add(1))],
  samples: unarySamples(normal),
});

export const sigmoidOp = defineOp<undefined>({
  name: 'sigmoid',
  saveOutput: true,
  forward: ([x]) => x.sigmoid(),
  backward: (ctx, g) => {
    const y = ctx.output!;
    return [g.mul(y.mul(y.neg().add(1)))];
  },
  samples: unarySamples(normal),
});

export const reluOp = defineOp<undefined>({
  name: 'relu',
  gradOwnership: 'fresh',
  saveOutput: true,
  forward: ([x]) => x.relu(),
  // relu'(0) = 0: the mask is y > 0. The mask is constant, the gradient flows to g (double backward).
  backward: (ctx, g) => [reluBackward(g, ctx.output!.data)],
  samples: unarySamples((s) => awayFromZero(s)),
});

export const leakyReluOp = defineOp<{ slope: number }>({
  name: 'leakyRelu',
  saveInputs: true,
  forward: ([x], { slope }) => x.leakyRelu(slope),
  // leakyRelu'(0) = slope, as PyTorch (the "x > 0" branch is strict).
  backward: (ctx, g) => [select(ctx.inputs![0].data.gt(0), g, g.mul(ctx.args.slope))],
  samples: () => [
    { inputs: [awayFromZero([3, 4])], args: { slope: 0.01 } },
    { inputs: [awayFromZero([2, 5])], args: { slope: 0.2 } },
  ],
});

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

export const geluOp = defineOp<{ approximate: 'none' | 'tanh' }>({
  name: 'gelu',
  saveInputs: true,
  forward: ([x], { approximate }) => x.gelu(approximate),
  backward: (ctx, g) => {
    const x = ctx.inputs![0];
    if (ctx.args.approximate === 'tanh') {
      // y = x/2 (1 + t), t = tanh(k (x + c x^3)); y' = (1 + t)/2 + x/2 (1 - t^2) k (1 + 3c x^2)
      const x2 = x.square();
      const t = x.add(x.mul(x2).mul(GELU_C)).mul(SQRT_2_OVER_PI).tanh();
      const left = t.add(1).mul(0.5);
      const right = x.mul(0.5).mul(t.square().neg().add(1)).mul(x2.mul(3 * GELU_C).add(1).mul(SQRT_2_OVER_PI));
      return [g.mul(left.add(right))];
    }
    // y = x Phi(x); y' = Phi(x) + x phi(x)
    const cdf = x.mul(SQRT1_2).erf().add(1).mul(0.5);
    const pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
    return [g.mul(cdf.add(x.mul(pdf)))];
  },
  samples: () => [
    { inputs: [normal([3, 4])], args: { approximate: 'none' } },
    { inputs: [normal([3, 4])], args: { approximate: 'tanh' } },
  ],
});

export const erfOp = defineOp<undefined>({
  name: 'erf',
  saveInputs: true,
  forward: ([x]) => x.erf(),
  backward: (ctx, g) => [g.mul(ctx.inputs![0].square().neg().exp().mul(2 / Math.sqrt(Math.PI)))],
  samples: unarySamples(normal),
});

export const softplusOp = defineOp<{ beta: number; threshold: number }>({
  name: 'softplus',
  saveInputs: true,
  forward: ([x], { beta, threshold }) => x.softplus(beta, threshold),
  // Above the threshold the forward returns x itself, so the gradient there is exactly g.
  backward: (ctx, g) => {
    const { beta, threshold } = ctx.args;
    const x = ctx.inputs![0];
    const z = x.mul(beta);
    return [select(z.data.gt(threshold), g, g.mul(z.sigmoid()))];
  },
  samples: () => [
    { inputs: [normal([3, 4])], args: { beta: 1, threshold: 20 } },
    { inputs: [normal([3, 4]).mul(3)], args: { beta: 2, threshold: 3 } },
  ],
});

export const signOp = defineOp<undefined>({
  name: 'sign',
  forward: ([x]) => x.sign(),
  backward: (_, g) => [g.mul(0)],
  samples: unarySamples((s) => awayFromZero(s)),
});

export const reciprocalOp = defineOp<undefined>({
  name: 'reciprocal',
  saveOutput: true,
  forward: ([x]) => x.reciprocal(),
  backward: (ctx, g) => [g.mul(ctx.output!.square()).neg()],
  samples: unarySamples((s) => awayFromZero(s, 0.5)),
});

export const squareOp = defineOp<undefined>({
  name: 'square',
  saveInputs: true,
  forward: ([x]) => x.square(),
  backward: (ctx, g) => [g.mul(ctx.inputs![0]).mul(2)],
  samples: unarySamples(normal),
});

export const clampOp = defineOp<{ min: number | null; max: number | null }>({
  name: 'clamp',
  saveInputs: true,
  forward: ([x], { min, max }) => x.clamp(min, max),
  // Gradient 1 where min <= x <= max (bounds included), as PyTorch.
  backward: (ctx, g) => {
    const { min, max } = ctx.args;
    const x = ctx.inputs![0].data;
    let keep: Tensor | null = min === null ? null : x.ge(min);
    if (max !== null) keep = keep === null ? x.le(max) : keep.logicalAnd(x.le(max));
    return [keep === null ? g : maskGrad(g, keep)];
  },
  samples: () => [
    { inputs: [normal([4, 5])], args: { min: -0.5, max: 0.5 } },
    { inputs: [normal([4, 5])], args: { min: -0.3, max: null } },
    { inputs: [normal([4, 5])], args: { min: null, max: 0.2 } },
  ],
});

export const toOp = defineOp<{ dtype: 'float32' | 'float64'; from: 'float32' | 'float64' }>({
  name: 'to',
  forward: ([x], { dtype }) => x.to(dtype),
  backward: (ctx, g) => [g.to(ctx.args.from)],
  samples: () => [{ inputs: [normal([3, 2])], args: { dtype: 'float64', from: 'float64' } }],
});
