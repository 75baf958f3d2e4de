// Resident storage (kernels/wasm/resident.ts): inside tidy() the wasm backend allocates float32 storage in wasm
// memory, where the kernels read and write it in place. Checked here: which storages are resident and what
// outlives its scope (returned and small kept ones are evicted to ordinary arrays with their values, large kept
// ones stay until the garbage collector or autograd gives them back, never while a view of them is held); views survive
// the memory growing; a call runs on the shared memory only when an operand is resident; and every wasm kernel gives the same bits on resident operands (alone, mixed with ordinary
// arrays, and written in place) as on ordinary arrays.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Tensor, conv2d, getBackend, keep, manualSeed, matmul, maxPool2d, randn, setBackend, tidy, wasmAvailable, zeros,
} from '../src/index.js';
import { conv2dBackwardInput, conv2dBackwardWeight, getKernel, keptZeros, maxPool2dBackward, sgdUpdate, adamUpdate } from '../src/internal.js';
import { isResident, onSharedInstance, sharedForWorkers } from '../src/kernels/wasm/instance.js';
import { setAdoptedLimit } from '../src/kernels/wasm/resident.js';
import { firstDifference } from '@minigrad/testing';

const residentHere = wasmAvailable();
const previous = getBackend();
beforeEach(() => setBackend('wasm'));
afterEach(() => setBackend(previous));

const resident = (t: Tensor) => isResident(t.data as Float32Array);

/**
 * A function that runs full garbage collections and lets FinalizationRegistry callbacks run (they are tasks
 * after a collection): V8's gc, reachable once --expose-gc is set, from a new context.
 */
function collector(): () => Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
}

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

  it('outlives its scope only when kept and large: what is returned, or kept and small, is evicted with its values, the rest released', () => {
    let released: Tensor | undefined;
    let kept: Tensor | undefined;
    let keptSmall: Tensor | undefined;
    let inner: Tensor | undefined;
    let snapshot: number[] = [];
    const [out] = tidy(() => {
      const a = randn([64, 64]);
      released = a.mul(3);
      kept = keep(a.add(1));
      keptSmall = keep(randn([63, 64]));
      // What an inner scope returns stays resident while the outer scope is open.
      inner = tidy(() => a.neg());
      expect(resident(inner)).toBe(true);
      const r = a.sub(2);
      snapshot = [...r.data, ...kept.data, ...keptSmall.data, ...inner.data];
      return [r, inner];
    });
    // 64 x 64 floats (16 KB) is the smallest kept storage that stays.
    expect(resident(kept!)).toBe(true);
    for (const t of [out, keptSmall!, inner!]) expect(resident(t)).toBe(false);
    const values = () => [...out.data, ...kept!.data, ...keptSmall!.data, ...inner!.data];
    expect(values()).toEqual(snapshot);
    expect(released!.storage.size).toBe(0);
    // The memory is reused by the next scope and the survivors keep their values.
    tidy(() => {
      for (let i = 0; i < 4; i++) randn([64, 64]).fill(7);
    });
    expect(values()).toEqual(snapshot);
  });

  it('leaves a kept layer-sized storage in place after its scope, where kernels update it with the same bits', () => {
    manualSeed(3);
    const [w, g] = tidy(() => keep([randn([128, 64]), randn([128, 64])]));
    expect(resident(w) && resident(g)).toBe(true);
    manualSeed(3);
    const [wPlain, gPlain] = [randn([128, 64]), randn([128, 64])];
    const hyper = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false, maximize: false };
    // In-place updates outside every scope: the resident storage is updated where it is.
    sgdUpdate(w, g, null, false, hyper);
    sgdUpdate(wPlain, gPlain, null, false, hyper);
    expect(resident(w)).toBe(true);
    expect(firstDifference(w.data, wPlain.data)).toBe(-1);
  });

  it('puts keptZeros of 16 KB or more in wasm memory for good, outside any scope, and the rest in ordinary arrays', () => {
    const big = keptZeros([64, 64]);
    expect(resident(big)).toBe(true);
    expect([...big.data].every((v) => v === 0)).toBe(true);
    expect(resident(keptZeros([63, 64]))).toBe(false);
    expect(resident(keptZeros([64, 64], 'float64'))).toBe(false);
    // A scope does not track it: what the scope allocated goes, the kept tensor stays.
    const inScope = tidy(() => keptZeros([128, 64]).fill(2));
    expect(resident(inScope)).toBe(true);
    expect(inScope.storage.size).toBe(128 * 64);
    const limit = setAdoptedLimit(0);
    try {
      expect(resident(keptZeros([64, 64]))).toBe(false);
    } finally {
      setAdoptedLimit(limit);
    }
  });

  it('evicts kept storage like the rest once the adopted bytes reach their limit', () => {
    const limit = setAdoptedLimit(0);
    try {
      const w = tidy(() => keep(randn([128, 64]).add(1)));
      expect(resident(w)).toBe(false);
    } finally {
      setAdoptedLimit(limit);
    }
    expect(resident(tidy(() => keep(randn([128, 64]).add(1))))).toBe(true);
  });

  it('gives a kept region back when its owner recycles it (autograd, for an unseen gradient), once', async () => {
    const size = 5003; // a length no other test uses: the free list of this capacity holds only this region
    const at = (() => {
      const t = tidy(() => keep(zeros([size])));
      const address = t.data.byteOffset;
      getBackend().recycle!(t.storage);
      expect(t.storage.size).toBe(0);
      return address;
    })();
    expect(tidy(() => zeros([size]).data.byteOffset)).toBe(at);
    // Once the recycled storage is garbage, the collector must not give its region back a second time.
    await collector()();
    expect(tidy(() => new Set([zeros([size]), zeros([size])].map((t) => t.data.byteOffset)).size)).toBe(2);
  });

  it('gives a kept region back once the garbage collector finds it unreachable, never while a view of it is held', async () => {
    const gc = collector();
    const size = 5009;
    const nextAddress = () => tidy(() => zeros([size]).data.byteOffset);
    // Made in a function, so that no local variable of this test holds the tensor.
    const make = () => tidy(() => keep(zeros([size]).add(1)));
    let view: Float32Array | null = (() => make().data.subarray(100, 200) as Float32Array)();
    const at = view.byteOffset - 400;
    await gc();
    expect(nextAddress()).not.toBe(at);
    expect([...view]).toEqual(new Array(100).fill(1));
    view = null;
    await gc();
    expect(nextAddress()).toBe(at);
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
