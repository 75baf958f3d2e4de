// Every layer against PyTorch (tools/fixtures/nn.py): weights copied through loadStateDict (so the state-dict
// keys match torch's too), then the output, the gradients of sum(out * dy) and the printed form.
import { describe, expect, it } from 'vitest';
import { Variable } from '@minigrad/autograd';
import { loadFixtures, type EncodedTensor, decode } from '@minigrad/testing';
import * as nn from '../src/index.js';
import type { Module } from '../src/index.js';
import { expectClose, leaf } from './helpers.js';

interface LayerCase {
  name: string;
  kind: string;
  args: unknown[];
  options: Record<string, unknown>;
  dtype: 'float32' | 'float64';
  /** Non-tensor arguments of forward after the inputs (ConvTranspose2d's outputSize). */
  extraArgs: unknown[];
  repr: string;
  params: Record<string, EncodedTensor>;
  inputs: EncodedTensor[];
  out: EncodedTensor;
  dy: EncodedTensor;
  gradInputs: (EncodedTensor | null)[];
  gradParams: Record<string, EncodedTensor>;
}

type Ctor = new (...args: any[]) => Module;
const LAYERS: Record<string, Ctor> = {
  Linear: nn.Linear, Bilinear: nn.Bilinear, Conv2d: nn.Conv2d, ConvTranspose2d: nn.ConvTranspose2d,
  MaxPool2d: nn.MaxPool2d, AvgPool2d: nn.AvgPool2d, AdaptiveAvgPool2d: nn.AdaptiveAvgPool2d,
  ReLU: nn.ReLU, LeakyReLU: nn.LeakyReLU, GELU: nn.GELU, SiLU: nn.SiLU, Sigmoid: nn.Sigmoid, Tanh: nn.Tanh,
  Softplus: nn.Softplus, Softmax: nn.Softmax, LogSoftmax: nn.LogSoftmax,
  Flatten: nn.Flatten, Unflatten: nn.Unflatten, Identity: nn.Identity, Embedding: nn.Embedding,
};
const WITH_DTYPE = new Set(['Linear', 'Bilinear', 'Conv2d', 'ConvTranspose2d', 'Embedding']);

function build(c: LayerCase): Module {
  const Layer = LAYERS[c.kind];
  const options = WITH_DTYPE.has(c.kind) ? { ...c.options, dtype: c.dtype } : c.options;
  return Object.keys(options).length > 0 ? new Layer(...c.args, options) : new Layer(...c.args);
}

const { cases } = loadFixtures<LayerCase>(new URL('./fixtures/layers.json', import.meta.url));

describe('layers match PyTorch', () => {
  it('every fixture kind has a layer', () => {
    expect(cases.map((c) => c.kind).filter((k) => !(k in LAYERS))).toEqual([]);
  });

  for (const c of cases) {
    it(c.name, () => {
      const m = build(c);
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.params));
      m.loadStateDict(Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, decode(v)])));
      expect(m.toString()).toBe(c.repr);

      const xs = c.inputs.map(leaf);
      const out = m.call(...xs, ...c.extraArgs) as Variable;
      const tol = c.dtype === 'float64' ? { atol: 1e-10, rtol: 1e-10 } : { atol: 2e-5, rtol: 2e-4 };
      expectClose(out, c.out, `${c.name} out`, tol);
      out.backward(decode(c.dy));
      c.gradInputs.forEach((g, i) => {
        if (g !== null) expectClose(xs[i].grad!, g, `${c.name} grad input ${i}`, tol);
      });
      for (const [name, p] of m.namedParameters()) expectClose(p.grad!, c.gradParams[name], `${c.name} grad ${name}`, tol);
    });
  }
});
