// The normalization modules against PyTorch (tools/fixtures/nn_norms.py): outputs and gradients over several
// training steps, running statistics after them, and eval-mode outputs and gradients, once per backend (js, wasm).
import { Variable } from '@minigrad/autograd';
import { tensor, type DType, type Tensor } from '@minigrad/tensor';
import { expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm2d, LayerNorm } from '../src/normalization/index.js';
import type { Module } from '../src/module.js';
import { assertClose, loadFixtures, values, type EncodedTensor, describeEachBackend } from '@minigrad/testing';

interface Step {
  x: EncodedTensor;
  dy: EncodedTensor;
  out: EncodedTensor;
  dx: EncodedTensor;
  dweight?: EncodedTensor;
  dbias?: EncodedTensor;
}

interface ModuleCase {
  name: string;
  oneElement: boolean;
  module: 'BatchNorm1d' | 'BatchNorm2d' | 'LayerNorm' | 'InstanceNorm2d' | 'GroupNorm';
  args: (number | number[])[];
  options: Record<string, unknown>;
  dtype: DType;
  weight: EncodedTensor | null;
  bias: EncodedTensor | null;
  steps: Step[];
  runningMean?: EncodedTensor;
  runningVar?: EncodedTensor;
  numBatchesTracked?: number;
  eval: Step;
}

type NormModule = Module & { weight: Variable | null; bias: Variable | null; runningMean?: Tensor | null; runningVar?: Tensor | null; numBatchesTracked?: Tensor | null };

function build(c: ModuleCase): NormModule {
  const opts = { ...c.options, dtype: c.dtype };
  switch (c.module) {
    case 'BatchNorm1d':
      return new BatchNorm1d(c.args[0] as number, opts);
    case 'BatchNorm2d':
      return new BatchNorm2d(c.args[0] as number, opts);
    case 'LayerNorm':
      return new LayerNorm(c.args[0], opts);
    case 'InstanceNorm2d':
      return new InstanceNorm2d(c.args[0] as number, opts);
    case 'GroupNorm':
      return new GroupNorm(c.args[0] as number, c.args[1] as number, opts);
  }
}

const toTensor = (e: EncodedTensor): Tensor => tensor(values(e), { shape: e.shape, dtype: e.dtype });

const { cases } = loadFixtures<ModuleCase>(new URL('./fixtures/norm_modules.json', import.meta.url));

function checkStep(m: NormModule, step: Step, tol: { atol: number; rtol: number }, label: string, oneElement: boolean): void {
  const x = new Variable(toTensor(step.x), true);
  const out = m.call(x) as Variable;
  if (oneElement) {
    // each output is exactly its channel's bias (PyTorch's carries rounding noise of a few 1e-4)
    const bias = m.bias!.toTypedArray();
    const perChannel = out.numel() / out.shape[0] / bias.length;
    expect(Array.from(out.toTypedArray())).toEqual(Array.from(out.toTypedArray(), (_, i) => bias[Math.floor(i / perChannel) % bias.length]));
  }
  assertClose(out.toTypedArray(), values(step.out), { ...(oneElement ? { atol: 1e-3 } : tol), label: `${label} out` });
  out.backward(toTensor(step.dy));
  if (oneElement) {
    // x - mean is exactly 0 here: minigrad's dx (and dweight) are exactly 0 where PyTorch's are rounding noise
    expect(Array.from(x.grad!.toTypedArray(), Math.abs)).toEqual(values(step.dx).map(() => 0));
    assertClose(x.grad!.toTypedArray(), values(step.dx), { atol: 1e-3, label: `${label} dx` });
  } else {
    assertClose(x.grad!.toTypedArray(), values(step.dx), { ...tol, label: `${label} dx` });
  }
  if (step.dweight !== undefined) {
    const dw = m.weight!.grad!.toTypedArray();
    if (oneElement) expect(Array.from(dw, Math.abs)).toEqual(values(step.dweight).map(() => 0));
    assertClose(dw, values(step.dweight), { ...(oneElement ? { atol: 1e-3 } : tol), label: `${label} dweight` });
    assertClose(m.bias!.grad!.toTypedArray(), values(step.dbias!), { ...tol, label: `${label} dbias` });
  }
  m.zeroGrad();
}

describeEachBackend('normalization modules match PyTorch', () => {
  for (const c of cases) {
    it(c.name, () => {
      const tol = c.dtype === 'float64' ? { atol: 1e-10, rtol: 1e-8 } : { atol: 2e-5, rtol: 2e-4 };
      const m = build(c);
      if (c.weight !== null) m.weight!.data.copyFrom(toTensor(c.weight));
      if (c.bias !== null) m.bias!.data.copyFrom(toTensor(c.bias));
      m.train();
      c.steps.forEach((step, i) => checkStep(m, step, tol, `train step ${i}`, c.oneElement));
      if (c.runningMean !== undefined) {
        assertClose(m.runningMean!.toTypedArray(), values(c.runningMean), { ...tol, label: 'runningMean' });
        assertClose(m.runningVar!.toTypedArray(), values(c.runningVar!), { ...tol, label: 'runningVar' });
        expect(m.numBatchesTracked!.item()).toBe(c.numBatchesTracked);
        expect(m.runningMean!.dtype).toBe(c.dtype);
      }
      m.eval();
      const before = m.runningMean?.toTypedArray();
      checkStep(m, c.eval, tol, 'eval', c.oneElement);
      if (before !== undefined) expect(Array.from(m.runningMean!.toTypedArray())).toEqual(Array.from(before));
    });
  }
});
