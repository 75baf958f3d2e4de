// Every optimizer against PyTorch (tools/fixtures/optim.py): the parameters after each step of a recorded
// gradient sequence, including steps where some parameter has no gradient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, setBackend, wasmAvailable } from '@minigrad/tensor';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '@minigrad/optim';
import type { Variable } from '@minigrad/autograd';
import { assertClose, loadFixtures, values, type EncodedTensor } from '@minigrad/testing';
import { paramFrom, setGrad, valuesOf } from './helpers.js';

interface OptimizerCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  groups?: { params: number[]; options: Record<string, unknown> }[];
  params: EncodedTensor[];
  grads: (EncodedTensor | null)[][];
  expected: EncodedTensor[][];
}

/** Rounding each partial result as PyTorch does makes these match it bit for bit in float32. */
const EXACT = new Set<string>(['SGD', 'Adam', 'AdamW']);

/** Every backend the fixtures run on (wasm wherever WebAssembly SIMD is available, as in Node 20). */
const BACKENDS = wasmAvailable() ? (['js', 'wasm'] as const) : (['js'] as const);

const fixture = loadFixtures<OptimizerCase>(new URL('./fixtures/optimizers.json', import.meta.url));

// eslint-style note: each constructor takes (params or groups, options).
const CLASSES: Record<OptimizerCase['optimizer'], new (params: never, options: never) => Optimizer> = {
  SGD: SGD as never,
  Adam: Adam as never,
  AdamW: AdamW as never,
  RMSprop: RMSprop as never,
  Adagrad: Adagrad as never,
};

export function buildOptimizer(c: OptimizerCase, params: Variable[]): Optimizer {
  const input = c.groups ? c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.options })) : params;
  return new CLASSES[c.optimizer](input as never, c.options as never);
}

describe('optimizers match PyTorch step by step', () => {
  it('covers every optimizer with several option sets over >= 5 steps', () => {
    for (const name of Object.keys(CLASSES)) {
      const cases = fixture.cases.filter((c) => c.optimizer === name);
      expect(cases.length).toBeGreaterThanOrEqual(4);
      for (const c of cases) expect(c.grads.length).toBeGreaterThanOrEqual(5);
    }
  });
});

/**
 * A case with every tensor repeated `times` times end to end (flattened): the updates are elementwise, so the
 * expected values repeat too. Tiled, the fixtures' small parameters are long enough for the wasm kernels.
 */
function tiled(c: OptimizerCase, times: number): OptimizerCase {
  if (times === 1) return c;
  const tile = (e: EncodedTensor): EncodedTensor => {
    const v = values(e);
    const out: number[] = [];
    for (let k = 0; k < times; k++) out.push(...v);
    return { ...e, shape: [out.length], data: out } as EncodedTensor;
  };
  return {
    ...c,
    params: c.params.map(tile),
    grads: c.grads.map((gs) => gs.map((g) => (g === null ? null : tile(g)))),
    expected: c.expected.map((es) => es.map(tile)),
  };
}

for (const backend of BACKENDS) {
  for (const times of [1, 64]) {
    describe(`optimizers match PyTorch [backend ${backend}, each tensor x${times}]`, () => {
      let previous = getBackend();
      beforeAll(() => {
        previous = getBackend();
        setBackend(backend);
      });
      afterAll(() => setBackend(previous));
      for (const fixtureCase of fixture.cases) {
        it(`${fixtureCase.optimizer}: ${fixtureCase.name}`, () => {
          const c = tiled(fixtureCase, times);
          const params = c.params.map(paramFrom);
          const opt = buildOptimizer(c, params);
          const float32 = c.params[0].dtype === 'float32';
          c.grads.forEach((grads, step) => {
            grads.forEach((g, i) => setGrad(params[i], g));
            opt.step();
            params.forEach((p, i) => {
              if (EXACT.has(c.optimizer) && float32) {
                expect(valuesOf(p.data), `${c.name} step ${step} param ${i}: bit for bit`).toEqual(values(c.expected[step][i]));
                return;
              }
              assertClose(valuesOf(p.data), values(c.expected[step][i]), {
                atol: float32 ? 2e-6 : 1e-12,
                rtol: float32 ? 1e-5 : 1e-10,
                label: `${c.name} step ${step} param ${i}`,
              });
            });
          });
        });
      }
    });
  }
}
