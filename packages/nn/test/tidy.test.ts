// A training step inside tidy(): the same numbers as without it, step after step (parameters, gradients,
// optimizer state and BatchNorm's running statistics all survive the scope), while the step's activations
// are released (used afterwards, they throw). Shapes are large enough (>= 16 KB per tensor) for the pool to
// recycle them.
import { manualSeed, MinigradError, randint, type Tensor, wasmAvailable } from '@minigrad/tensor';
import { residentBytes } from '@minigrad/tensor/internal';
import { peekGrad } from '@minigrad/autograd/internal';
import { Adam } from '@minigrad/optim';
import { describe, expect, it } from 'vitest';
import { BatchNorm2d, Conv2d, F, Flatten, GroupNorm, Linear, ReLU, Sequential, keep, randn, tidy } from '../src/index.js';

const values = (t: Tensor) => Array.from(t.toTypedArray());

function setup() {
  manualSeed(3);
  const model = new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }), new BatchNorm2d(8), new ReLU(),
    new Conv2d(8, 8, 3, { padding: 1 }), new GroupNorm(2, 8), new ReLU(),
    new Flatten(), new Linear(8 * 16 * 16, 10),
  );
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([4, 1, 16, 16]);
  const y = randint(0, 10, [4]);
  const step = () => {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.call(x), y);
    loss.backward();
    optimizer.step();
    return loss;
  };
  return { model, step };
}

/** Everything a step leaves that the next one reads, as numbers. */
function state(model: Sequential) {
  return {
    params: [...model.parameters()].map((p) => values(p.data)),
    grads: [...model.parameters()].map((p) => values(peekGrad(p)!.data)),
    buffers: [...model.buffers()].map(values),
  };
}

describe('a training step inside tidy()', () => {
  it('gives the same losses, parameters, gradients and running statistics as without', () => {
    const plain = setup();
    const tidied = setup();
    const plainLosses: number[] = [];
    const tidyLosses: number[] = [];
    for (let i = 0; i < 4; i++) {
      plainLosses.push(plain.step().item());
      tidyLosses.push(tidy(() => tidied.step().item()));
    }
    expect(tidyLosses).toEqual(plainLosses);
    expect(state(tidied.model)).toEqual(state(plain.model));
  });

  it('releases the activations of the step: one kept by a hook throws when used after the scope', () => {
    const { model, step } = setup();
    let activation: Tensor | undefined;
    model.at(0).registerForwardHook((_m, _inputs, out) => {
      activation = out.data;
    });
    tidy(() => step().item());
    expect(() => activation!.sum()).toThrow(MinigradError);
  });

  it('keeps an activation passed to keep(), with its values', () => {
    const { model, step } = setup();
    let activation: Tensor | undefined;
    let snapshot: number[] = [];
    model.at(0).registerForwardHook((_m, _inputs, out) => {
      activation = keep(out).data;
      snapshot = values(activation);
    });
    tidy(() => step().item());
    expect(values(activation!)).toEqual(snapshot);
  });

  it('a loss returned from the scope can be read, but its graph is gone: backward outside fails clearly', () => {
    const { model } = setup();
    const x = randn([4, 1, 16, 16]);
    const loss = tidy(() => model.call(x).relu().sum());
    expect(loss.item()).toBeTypeOf('number');
    expect(() => loss.backward()).toThrow(/released when the tidy\(\) scope that made it ended/);
  });

  it('a model built inside a scope keeps its parameters and buffers', () => {
    const model = tidy(() => {
      manualSeed(1);
      return new Sequential(new Linear(128, 64), new BatchNorm2d(64));
    });
    for (const p of model.parameters()) expect(p.data.storage.size).toBe(p.numel());
    for (const b of model.buffers()) expect(b.storage.size).toBe(b.numel());
  });

  it.skipIf(!wasmAvailable() || typeof SharedArrayBuffer === 'undefined')(
    'keeps layer-sized weights, gradients and optimizer state in wasm memory, claiming no more of it step after step',
    () => {
      const { model, step } = setup();
      const linear = model.at(7) as Linear;
      const inWasmMemory = (t: Tensor) => t.data.buffer instanceof SharedArrayBuffer;
      expect(inWasmMemory(linear.weight.data)).toBe(true);
      // The conv weights (72 and 576 floats) are too small to stay: copying them costs little.
      expect(inWasmMemory((model.at(0) as Conv2d).weight.data)).toBe(false);
      for (let i = 0; i < 3; i++) tidy(() => step().item());
      expect(inWasmMemory(peekGrad(linear.weight)!.data)).toBe(true);
      // Each step's gradients go back when the next zeroGrad drops them, so no more memory is claimed.
      const before = residentBytes();
      expect(before.adopted).toBeGreaterThan(0);
      for (let i = 0; i < 20; i++) tidy(() => step().item());
      expect(residentBytes()).toEqual(before);
    },
  );
});
