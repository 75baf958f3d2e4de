// summary(model, { inputShape }): torchinfo's table, with parameter counts counted by hand, and a model left
// as it was (buffers, mode, gradients, hooks and the default random generator).
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, manualSeed, rand, randn } from '@minigrad/tensor';
import {
  BatchNorm2d, Bilinear, Conv2d, Dropout, Embedding, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential, summary,
} from '@minigrad/nn';
import { Variable } from '@minigrad/autograd';

// Conv2d(1, 8, 3): 8*1*3*3 + 8 = 80; BatchNorm2d(8): 8 + 8 = 16; Linear(8*13*13, 10): 1352*10 + 10 = 13,530.
const cnn = () =>
  new Sequential(new Conv2d(1, 8, 3), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2), new Flatten(), new Sequential(new Linear(8 * 13 * 13, 10), new ReLU()));

const TABLE = `==========================================================================================
Layer (type:depth-idx)                   Output Shape              Param #
==========================================================================================
Sequential                               [2, 10]                   --
├─Conv2d: 1-1                            [2, 8, 26, 26]            80
├─BatchNorm2d: 1-2                       [2, 8, 26, 26]            16
├─ReLU: 1-3                              [2, 8, 26, 26]            --
├─MaxPool2d: 1-4                         [2, 8, 13, 13]            --
├─Flatten: 1-5                           [2, 1352]                 --
├─Sequential: 1-6                        [2, 10]                   --
│    └─Linear: 2-1                       [2, 10]                   13,530
│    └─ReLU: 2-2                         [2, 10]                   --
==========================================================================================
Total params: 13,626
Trainable params: 13,626
Non-trainable params: 0
==========================================================================================
Input size (MB): 0.01
Params size (MB): 0.05
==========================================================================================`;

describe('summary', () => {
  it("prints torchinfo's table with each layer's output shape and parameters", () => {
    const s = summary(cnn(), { inputShape: [2, 1, 28, 28] });
    expect(String(s)).toBe(TABLE);
    expect(s.totalParams).toBe(80 + 16 + 13530);
    expect(s.trainableParams).toBe(13626);
    expect(s.nonTrainableParams).toBe(0);
    expect(s.paramBytes).toBe(13626 * 4);
    expect(s.inputBytes).toBe(2 * 28 * 28 * 4);
    expect(s.rows.map((r) => [r.name, r.type, r.depth, r.index, r.params])).toEqual([
      ['', 'Sequential', 0, 0, 13626],
      ['0', 'Conv2d', 1, 1, 80],
      ['1', 'BatchNorm2d', 1, 2, 16],
      ['2', 'ReLU', 1, 3, 0],
      ['3', 'MaxPool2d', 1, 4, 0],
      ['4', 'Flatten', 1, 5, 0],
      ['5', 'Sequential', 1, 6, 13530],
      ['5.0', 'Linear', 2, 1, 13530],
      ['5.1', 'ReLU', 2, 2, 0],
    ]);
    expect(s.rows[1].outputShape).toEqual([2, 8, 26, 26]);
  });

  it('depth cuts the rows; a row at the cut counts its hidden descendants', () => {
    const s = summary(cnn(), { inputShape: [2, 1, 28, 28], depth: 1 });
    expect(s.rows.map((r) => r.type)).toEqual(['Sequential', 'Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d', 'Flatten', 'Sequential']);
    expect(String(s)).toContain('├─Sequential: 1-6                        [2, 10]                   13,530\n');
    const top = String(summary(cnn(), { inputShape: [2, 1, 28, 28], depth: 0 }));
    expect(top).toContain('\nSequential                               [2, 10]                   13,626\n');
  });

  it('frozen parameters are non-trainable and shown in parentheses', () => {
    const model = cnn();
    model.at(1).requiresGrad_(false);
    const s = summary(model, { inputShape: [2, 1, 28, 28] });
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([13626, 13610, 16]);
    expect(String(s)).toContain('├─BatchNorm2d: 1-2                       [2, 8, 26, 26]            (16)\n');
    expect(String(s)).toContain('Non-trainable params: 16\n');
  });

  it('leaves the model as it was: running statistics, mode, gradients, hooks and the random generator', () => {
    const model = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new Dropout(0.5), new Flatten());
    const bn = model.at(1) as BatchNorm2d;
    const before = { mean: bn.runningMean!.toArray(), variance: bn.runningVar!.toArray(), version: bn.runningMean!.storage.version };
    manualSeed(5);
    const expectedDraw = rand([3]).toArray();
    manualSeed(5);
    const first = summary(model, { inputShape: [2, 1, 6, 6] });
    expect(rand([3]).toArray()).toEqual(expectedDraw);
    expect(bn.runningMean!.toArray()).toEqual(before.mean);
    expect(bn.runningVar!.toArray()).toEqual(before.variance);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(model.training).toBe(true);
    expect([...model.parameters()].every((p) => p.grad === null)).toBe(true);
    // Both needed restoring: the forward wrote the statistics in training mode, and Dropout drew from the
    // default generator (a plain forward moves the next draw).
    expect(bn.runningMean!.storage.version).toBeGreaterThan(before.version);
    manualSeed(5);
    model.call(new Variable(randn([2, 1, 6, 6], { generator: new Generator(1) })));
    expect(rand([3]).toArray()).not.toEqual(expectedDraw);
    // Hooks were removed: a second summary lists each call once.
    const second = summary(model, { inputShape: [2, 1, 6, 6] });
    expect(String(second)).toBe(String(first));
  });

  it('a module called twice is listed twice, marked recursive and counted once', () => {
    class Twice extends Module {
      fc = new Linear(3, 3);
      override forward(x: Variable) {
        return this.fc.call(this.fc.call(x));
      }
    }
    const s = summary(new Twice(), { inputShape: [2, 3] });
    expect(s.totalParams).toBe(12);
    expect(String(s)).toContain('├─Linear: 1-1                            [2, 3]                    12\n├─Linear: 1-2                            [2, 3]                    (recursive)\n');
  });

  it('several inputs, integer inputs and float64 models', () => {
    // Bilinear(3, 4, 5): 5*3*4 + 5 = 65.
    const bilinear = summary(new Bilinear(3, 4, 5), { inputShape: [[2, 3], [2, 4]] });
    expect(bilinear.totalParams).toBe(65);
    expect(bilinear.rows[0].outputShape).toEqual([2, 5]);
    expect(bilinear.inputBytes).toBe((6 + 8) * 4);
    // Embedding(10, 4): 40, fed int32 indices (zeros).
    const embedding = summary(new Embedding(10, 4), { inputShape: [2, 7], dtype: 'int32' });
    expect([embedding.totalParams, embedding.rows[0].outputShape]).toEqual([40, [2, 7, 4]]);
    // The input takes the parameters' dtype.
    const double = summary(new Linear(4, 2).double(), { inputShape: [3, 4] });
    expect([double.paramBytes, double.inputBytes]).toEqual([10 * 8, 12 * 8]);
  });

  it('a forward that fails names the layer; bad options are ArgumentErrors', () => {
    expect(() => summary(cnn(), { inputShape: [2, 3, 28, 28] })).toThrow(ShapeError);
    expect(() => summary(cnn(), { inputShape: [2, 3, 28, 28] })).toThrow(/^Conv2d\(1, 8\) at '0': conv2d: /);
    expect(() => summary(cnn(), {} as never)).toThrow(/^summary: inputShape is required/);
    expect(() => summary(cnn(), { inputShape: [2, 1, 28, 28], bogus: 1 } as never)).toThrow(ArgumentError);
    expect(() => summary(cnn(), { inputShape: [2, 1, 28, 28], depth: -1 })).toThrow(/^summary: depth/);
    expect(() => summary(cnn(), { inputShape: [2, 1, 28, 28], dtype: 'bool' as never })).toThrow(/^summary: dtype/);
    expect(() => summary(cnn(), { inputShape: [2, -1] })).toThrow(/^summary: /);
    expect(() => summary(cnn(), { inputShape: [] })).toThrow(/^summary: inputShape must be a shape/);
    expect(() => summary({} as never, { inputShape: [2] })).toThrow(/^summary: model must be a Module/);
  });
});
