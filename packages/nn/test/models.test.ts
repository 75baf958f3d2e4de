// Whole models against PyTorch (tools/fixtures/nn.py): printing, state-dict keys, a forward/backward through a
// small CNN with weights from torch, a full backward hook, and loading a safetensors file written from torch.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { loadFixtures, type EncodedTensor, decode } from '@minigrad/testing';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential,
  loadSafetensors, saveSafetensors,
} from '../src/index.js';
import { expectClose, leaf } from './helpers.js';

interface CnnCase {
  repr: string;
  keys: string[];
  params: Record<string, EncodedTensor>;
  x: EncodedTensor;
  dy: EncodedTensor;
  out: EncodedTensor;
  dx: EncodedTensor;
  gradParams: Record<string, EncodedTensor>;
  hook: { gradInput: EncodedTensor[]; gradOutput: EncodedTensor[] };
}
interface ModelsFixture {
  cnn: CnnCase;
  nested: { repr: string; keys: string[] };
}
interface InteropCase {
  repr: string;
  keys: string[];
  x: EncodedTensor;
  out: EncodedTensor;
  numBatchesTracked: number;
}

const models = loadFixtures<ModelsFixture>(new URL('./fixtures/modules.json', import.meta.url)).cases[0];
const interop = loadFixtures<InteropCase>(new URL('./fixtures/interop.json', import.meta.url)).cases[0];
const decodeAll = (sd: Record<string, EncodedTensor>): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, decode(v)]));

/** The same CNN as cnn() in nn.py. */
function cnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
    new Conv2d(4, 6, 3, { padding: 'same', groups: 2, bias: false }), new ReLU(),
    new AdaptiveAvgPool2d([2, 2]), new Flatten(), new Linear(24, 10),
  );
}

/** Block in nn.py, with camelCase attribute names (conv_in there): state-dict keys must still match. */
class Block extends Module {
  declare convIn: Conv2d;
  declare act: ReLU;
  declare pool: MaxPool2d;
  constructor() {
    super();
    this.convIn = new Conv2d(1, 4, 3, { padding: 1 });
    this.act = new ReLU();
    this.pool = new MaxPool2d(2);
  }
  override forward(x: Variable): Variable {
    return this.pool.call(this.act.call(this.convIn.call(x)));
  }
}

/** interop_model() in nn.py. */
function interopModel(): Sequential {
  return new Sequential(
    new Conv2d(1, 3, 3, { padding: 1 }), new BatchNorm2d(3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(27, 4),
  );
}

describe('models match PyTorch', () => {
  it('prints like print(model) and uses the same state-dict keys', () => {
    expect(cnn().toString()).toBe(models.cnn.repr);
    expect(Object.keys(cnn().stateDict())).toEqual(models.cnn.keys);
    const nested = new Sequential(new Block(), new Flatten(), new Dropout(0.25), new Linear(64, 3));
    expect(nested.toString()).toBe(models.nested.repr.replace('(conv_in)', '(convIn)'));
    expect(Object.keys(nested.stateDict())).toEqual(models.nested.keys);
    expect(interopModel().toString()).toBe(interop.repr);
  });

  it('a CNN with torch weights: output, input and parameter gradients', () => {
    const c = models.cnn;
    const model = cnn();
    model.loadStateDict(decodeAll(c.params));
    const x = leaf(c.x);
    const out = model.call(x);
    expectClose(out, c.out, 'out');
    out.backward(decode(c.dy));
    expectClose(x.grad!, c.dx, 'dx');
    for (const [name, p] of model.namedParameters()) expectClose(p.grad!, c.gradParams[name], `grad ${name}`);
  });

  it('a full backward hook sees what PyTorch\'s does', () => {
    const c = models.cnn;
    const model = cnn();
    model.loadStateDict(decodeAll(c.params));
    let seen: { gin: (Variable | null)[]; gout: (Variable | null)[] } | null = null;
    model[7].registerFullBackwardHook((_m, gin, gout) => {
      seen = { gin, gout };
    });
    model.call(leaf(c.x)).backward(decode(c.dy));
    const s = seen as unknown as { gin: Variable[]; gout: Variable[] };
    expect(s.gin.length).toBe(c.hook.gradInput.length);
    s.gin.forEach((g, i) => expectClose(g, c.hook.gradInput[i], `gradInput ${i}`));
    s.gout.forEach((g, i) => expectClose(g, c.hook.gradOutput[i], `gradOutput ${i}`));
  });
});

describe('safetensors interop with PyTorch', () => {
  it('loads a file written from a torch state dict (BatchNorm buffers included) and reproduces its eval outputs', () => {
    const model = interopModel();
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/model.safetensors', import.meta.url)));
    model.loadStateDict(loadSafetensors(bytes));
    const bn = model[1] as BatchNorm2d;
    expect(bn.numBatchesTracked!.item()).toBe(interop.numBatchesTracked);
    model.eval();
    expectClose(model.call(leaf(interop.x)), interop.out, 'out');
  });

  it('round trip: save, load into a fresh model, identical outputs and keys in torch order', () => {
    const model = interopModel();
    model.loadStateDict(loadSafetensors(new Uint8Array(readFileSync(new URL('./fixtures/model.safetensors', import.meta.url)))));
    model.eval();
    const bytes = saveSafetensors(model.stateDict(), { format: 'pt' });
    const fresh = interopModel();
    fresh.loadStateDict(loadSafetensors(bytes));
    fresh.eval();
    const x = leaf(interop.x);
    expect(fresh.call(x).toArray()).toEqual(model.call(x).toArray());
    expect(Object.keys(loadSafetensors(bytes))).toEqual(interop.keys);
  });
});
