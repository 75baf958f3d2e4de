// Resident storage (kernels/wasm/resident.ts): inside tidy() the wasm backend allocates float32 storage in wasm
// memory, where the kernels read and write it in place. Checked here: which storages are resident and that none
// outlives its scope (returned and kept ones are evicted to ordinary arrays with their values); views survive
// the memory growing; a call runs on the shared memory only when an operand is resident; and every wasm kernel gives the same bits on resident operands (alone, mixed with ordinary
// arrays, and written in place) as on ordinary arrays.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Tensor, conv2d, getBackend, keep, manualSeed, matmul, maxPool2d, randn, setBackend, tidy, wasmAvailable, zeros,
} from '../src/index.js';
import { conv2dBackwardInput, conv2dBackwardWeight, getKernel, maxPool2dBackward, sgdUpdate, adamUpdate } from '../src/internal.js';
import { isResident, onSharedInstance, sharedForWorkers } from '../src/kernels/wasm/instance.js';
import { firstDifference } from '@minigrad/testing';

const residentHere = wasmAvailable();
const previous = getBackend();
beforeEach(() => setBackend('wasm'));
afterEach(() => setBackend(previous));

const resident = (t: Tensor) => isResident(t.data as Float32Array);

describe.skipIf(!residentHere)('resident storage', () => {
  it('is what a scope allocates in float32; nothing outside a scope, and no other dtype', () => {
    const outside = randn([8, 8]);
    expect(resident(outside)).toBe(false);
    tidy(() => {
      expect(resident(randn([8, 8]))).toBe(true);
      expect(resident(outside.mul(2))).toBe(true);
      expect(resident(zeros([3], { dtype: 'float64' }))).toBe(false);
      expect(resident(zeros([0]))).toBe(false);
    });
  });

  it('never outlives its scope: what is returned or kept is evicted with its values, the rest released', () => {
    let released: Tensor | undefined;
    let kept: Tensor | undefined;
    let inner: Tensor | undefined;
    let snapshot: number[] = [];
    const [out] = tidy(() => {
      const a = randn([64, 64]);
      released = a.mul(3);
      kept = keep(a.add(1));
      // What an inner scope returns stays resident while the outer scope is open.
      inner = tidy(() => a.neg());
      expect(resident(inner)).toBe(true);
      const r = a.sub(2);
      snapshot = [...r.data, ...kept.data, ...inner.data];
      return [r, inner];
    });
    for (const t of [out, kept!, inner!]) expect(resident(t)).toBe(false);
    expect([...out.data, ...kept!.data, ...inner!.data]).toEqual(snapshot);
    expect(released!.storage.size).toBe(0);
    // The memory is reused by the next scope and the survivors keep their values.
    tidy(() => {
      for (let i = 0; i < 4; i++) randn([64, 64]).fill(7);
    });
    expect([...out.data, ...kept!.data, ...inner!.data]).toEqual(snapshot);
  });

  it('keeps its views valid when the memory grows', () => {
    tidy(() => {
      const small = randn([32, 32]);
      const values = [...small.data];
      const bytes = sharedForWorkers()!.memory.buffer.byteLength;
      // More than the whole shared memory so far: it must grow under the small tensor's view.
      const big = zeros([bytes / 4 + 1024]);
      expect(sharedForWorkers()!.memory.buffer.byteLength).toBeGreaterThan(bytes);
      expect(resident(big) && resident(small)).toBe(true);
      expect([...small.data]).toEqual(values);
      expect([...small.relu().data]).toEqual(values.map((v) => Math.max(v, 0)));
    });
  });

  it('runs a kernel on the memory where it copies fewer floats: resident operands in place, or everything copied', () => {
    const plain = randn([64, 64]);
    const weight = randn([64, 3000]);
    plain.relu();
    expect(onSharedInstance()).toBe(false);
    tidy(() => {
      // Input and output as large, the output resident: the call runs on the shared instance.
      plain.relu();
      expect(onSharedInstance()).toBe(true);
      // A large ordinary weight against a small resident input and output: copying the weight into the module's
      // own memory is cheaper.
      randn([2, 64]).matmul(weight);
      expect(onSharedInstance()).toBe(false);
      randn([64, 64]).matmul(randn([64, 64]));
      expect(onSharedInstance()).toBe(true);
    });
    plain.relu();
    expect(onSharedInstance()).toBe(false);
  });

  it('reuses a free region for a shorter request (down to half its length) instead of claiming more', () => {
    // A length no other test asks for, so that the free region found is this one.
    const at = tidy(() => zeros([777777]).data.byteOffset);
    expect(tidy(() => zeros([388889]).data.byteOffset)).toBe(at);
    // Less than half: the region stays free for a request it fits better.
    expect(tidy(() => zeros([388888]).data.byteOffset)).not.toBe(at);
    expect(tidy(() => zeros([777777]).data.byteOffset)).toBe(at);
  });

  /** Kernel cases: each makes its inputs from the seed and returns its outputs (some write into their inputs). */
  const cases: [string, () => Tensor[]][] = [
    ['matmul', () => [matmul(randn([40, 70]), randn([70, 50]))]],
    ['matmul, transposed operands', () => [matmul(randn([70, 40]).t(), randn([50, 70]).t())]],
    ['matmul, few rows', () => [matmul(randn([3, 300]), randn([300, 64]))]],
    ['conv2d with bias', () => [conv2d(randn([2, 3, 16, 16]), randn([8, 3, 3, 3]), randn([8]), { padding: 1 })]],
    ['conv2d grouped, strided', () => [conv2d(randn([2, 4, 17, 15]), randn([8, 2, 3, 3]), null, { stride: 2, padding: 1, groups: 2 })]],
    ['conv2d 1x1 (no unfolding)', () => [conv2d(randn([2, 16, 8, 8]), randn([32, 16, 1, 1]), null)]],
    ['conv2d gradients', () => {
      const x = randn([2, 6, 12, 12]), w = randn([10, 6, 3, 3]), g = randn([2, 10, 12, 12]);
      return [conv2dBackwardInput(g, w, x.shape, { padding: 1 }), conv2dBackwardWeight(g, x, w.shape, { padding: 1 })];
    }],
    ['maxPool2d and its gradient', () => {
      const x = randn([2, 8, 32, 32]);
      const { values, indices } = maxPool2d(x, { kernelSize: 2 });
      return [values, maxPool2dBackward(values.mul(2), indices, x.shape)];
    }],
    ['relu', () => [randn([64, 64]).relu()]],
    ['sum over channels, channel bias', () => {
      const x = randn([4, 16, 10, 10]);
      return [x.sum([0, 2, 3]), conv2d(x, randn([16, 16, 1, 1]), randn([16]))];
    }],
    ['SGD with momentum and Adam, updated in place', () => {
      const p = randn([3000]), g = randn([3000]), buf = randn([3000]);
      sgdUpdate(p, g, buf, false, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: false });
      const q = randn([3000]), m = randn([3000]).abs(), v = randn([3000]).abs();
      adamUpdate(q, g, m, v, null, 3, false, { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, maximize: false });
      return [p, buf, q, m, v];
    }],
    ['gemm accumulating into its output', () => {
      const a = randn([20, 30]), b = randn([30, 40]), c = randn([20, 40]);
      getKernel('gemm')(20, 40, 30, a.data, 0, 30, 1, b.data, 0, 40, 1, c.data, 0, true);
      return [c];
    }],
  ];

  /** The case's outputs' bits: ordinary arrays, every input resident, and inputs resident one at a time. */
  for (const [name, run] of cases) {
    it(`${name}: the same bits on resident operands`, () => {
      manualSeed(11);
      const reference = run().map((t) => t.toTypedArray());
      manualSeed(11);
      const inScope = tidy(() => run().map((t) => {
        expect(resident(t)).toBe(true);
        return t.toTypedArray();
      }));
      inScope.forEach((o, i) => expect(firstDifference(o, reference[i]), `output ${i}: first differing byte`).toBe(-1));
    });
  }

  it('operands mixed: resident and ordinary in one call', () => {
    manualSeed(5);
    const a = randn([48, 64]), b = randn([64, 80]), w = randn([8, 4, 3, 3]), x = randn([2, 4, 16, 16]);
    const reference = [matmul(a, b), matmul(a.t().t(), b), conv2d(x, w, null, { padding: 1 })].map((t) => t.toTypedArray());
    const mixed = tidy(() => [matmul(a.clone(), b), matmul(a, b.clone()), conv2d(x.clone(), w, null, { padding: 1 })].map((t) => t.toTypedArray()));
    mixed.forEach((o, i) => expect(firstDifference(o, reference[i]), `output ${i}`).toBe(-1));
  });
});
