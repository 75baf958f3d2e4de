// 30 training steps of the issue-7 CNN (conv, GroupNorm, ReLU, pool, twice, then two linears; small sizes)
// give bit-identical parameters whether or not autograd hands consumed gradient buffers back to the
// backend's pool, and the pooled run does recycle (conv1's output, 2x8x16x16 floats, is large enough).
import { describe, expect, it } from 'vitest';
import { type Backend, getBackend, jsBackend, manualSeed, randint, randn, setBackend, wasmAvailable, wasmBackend } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { Conv2d, F, Flatten, GroupNorm, Linear, MaxPool2d, ReLU, Sequential } from '../src/index.js';

function train(backend: Backend): { params: number[][]; recycled: number } {
  let recycled = 0;
  const counting: Backend = {
    name: backend.name,
    alloc: backend.alloc,
    fromArray: backend.fromArray,
    recycle(storage) {
      recycled++;
      backend.recycle?.(storage);
    },
  };
  const previous = getBackend();
  setBackend(counting);
  try {
    manualSeed(0);
    const model = new Sequential(
      new Conv2d(1, 8, 3, { padding: 1 }), new GroupNorm(4, 8), new ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 3, { padding: 1 }), new GroupNorm(4, 16), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(16 * 4 * 4, 32), new ReLU(), new Linear(32, 10),
    );
    const x = new Variable(randn([2, 1, 16, 16]));
    const target = randint(0, 10, [2]);
    for (let step = 0; step < 30; step++) {
      F.crossEntropy(model.call(x), target).backward();
      for (const p of model.parameters()) p.data.subInPlace(p.grad!.data, 0.05);
      model.zeroGrad();
    }
    return { params: [...model.parameters()].map((p) => Array.from(p.data.toTypedArray())), recycled };
  } finally {
    setBackend(previous);
  }
}

/** The same backend without recycle: no memory is ever reused. */
const withoutPool = (b: Backend): Backend => ({ name: b.name, alloc: b.alloc, fromArray: b.fromArray });

describe('training with recycled gradient buffers', () => {
  for (const backend of wasmAvailable() ? [jsBackend, wasmBackend] : [jsBackend]) {
    it(`gives bit-identical parameters after 30 steps [backend ${backend.name}]`, () => {
      const off = train(withoutPool(backend));
      const on = train(backend);
      expect(on.recycled).toBeGreaterThan(30);
      expect(on.params).toEqual(off.params);
    });
  }
});
