// The losses against PyTorch (tools/fixtures/nn_norms.py): every option combination, values and gradients,
// through the functional form and the module.
import { Variable } from '@minigrad/autograd';
import { tensor, type Tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/loss/index.js';
import { assertClose, loadFixtures, values, type EncodedTensor } from '@minigrad/testing';

interface LossCase {
  fn: 'crossEntropy' | 'nllLoss' | 'mseLoss' | 'l1Loss' | 'binaryCrossEntropyWithLogits';
  options: Record<string, EncodedTensor | number | string>;
  input: EncodedTensor;
  target: EncodedTensor;
  dy: EncodedTensor;
  out: EncodedTensor;
  dinput: EncodedTensor;
  dtarget?: EncodedTensor;
}

const toTensor = (e: EncodedTensor): Tensor => tensor(values(e), { shape: e.shape, dtype: e.dtype });

function options(c: LossCase): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) out[k] = typeof v === 'object' && v !== null ? toTensor(v) : v;
  return out;
}

function label(c: LossCase): string {
  const opts = Object.entries(c.options).map(([k, v]) => (typeof v === 'object' ? k : `${k}=${v}`));
  const target = c.target.dtype === 'int32' ? 'class targets' : 'float targets';
  return `${c.fn} [${c.input.shape}] ${target} ${opts.join(' ')}`;
}

function moduleFor(c: LossCase, opts: Record<string, unknown>) {
  switch (c.fn) {
    case 'crossEntropy':
      return new L.CrossEntropyLoss(opts);
    case 'nllLoss':
      return new L.NLLLoss(opts);
    case 'mseLoss':
      return new L.MSELoss(opts);
    case 'l1Loss':
      return new L.L1Loss(opts);
    case 'binaryCrossEntropyWithLogits':
      return new L.BCEWithLogitsLoss(opts);
  }
}

const { cases } = loadFixtures<LossCase>(new URL('./fixtures/loss.json', import.meta.url));
const tol = { atol: 1e-5, rtol: 1e-4 };

describe('losses match PyTorch', () => {
  for (const c of cases) {
    it(label(c), () => {
      const opts = options(c);
      for (const via of ['functional', 'module'] as const) {
        const input = new Variable(toTensor(c.input), true);
        const target = c.dtarget !== undefined ? new Variable(toTensor(c.target), true) : toTensor(c.target);
        const fn = L[c.fn] as (i: Variable, t: Variable | Tensor, o: Record<string, unknown>) => Variable;
        const out = via === 'functional' ? fn(input, target, opts) : (moduleFor(c, opts).call(input, target) as Variable);
        expect(out.shape, via).toEqual(c.out.shape);
        assertClose(out.toTypedArray(), values(c.out), { ...tol, label: `${via} loss` });
        out.backward(toTensor(c.dy));
        assertClose(input.grad!.toTypedArray(), values(c.dinput), { ...tol, label: `${via} dinput` });
        if (c.dtarget !== undefined) {
          assertClose((target as Variable).grad!.toTypedArray(), values(c.dtarget), { ...tol, label: `${via} dtarget` });
        }
      }
    });
  }
});
