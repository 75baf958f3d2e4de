// The backend seam: storage comes from the active backend, and its kernels override the 'js' ones by name.
import { afterEach, describe, expect, test } from 'vitest';
import {
  type Backend, type DType, type Storage, ArrayStorage, getBackend, jsBackend, setBackend, tensor, zeros,
} from '@minigrad/tensor';
import { getKernel, kernelNames, registerKernel } from '@minigrad/tensor/internal';

afterEach(() => setBackend(jsBackend));

/** A backend that hands out slices of one big buffer, like a WebAssembly memory would. */
function arenaBackend(): Backend & { allocations: number } {
  const memory = new Float64Array(1 << 16);
  let top = 0;
  const b = {
    name: 'arena',
    allocations: 0,
    alloc(size: number, dtype: DType): Storage {
      b.allocations++;
      if (dtype !== 'float64') return jsBackend.alloc(size, dtype);
      const region = memory.subarray(top, top + size);
      top += size;
      region.fill(0);
      return new ArrayStorage(region, dtype, 'arena');
    },
    fromArray(data: Float64Array, dtype: DType): Storage {
      const s = b.alloc(data.length, dtype);
      s.data.set(data);
      return s;
    },
  };
  return b as Backend & { allocations: number };
}

describe('backend seam', () => {
  test('ops allocate through the active backend', () => {
    const arena = arenaBackend();
    setBackend(arena);
    expect(getBackend()).toBe(arena);
    const x = tensor([1, 2, 3], { dtype: 'float64' });
    const y = x.mul(2).add(x).exp().sum();
    expect(arena.allocations).toBeGreaterThanOrEqual(5);
    expect(y.storage.backend).toBe('arena');
    expect(y.item()).toBeCloseTo(Math.exp(3) + Math.exp(6) + Math.exp(9), 6);
  });

  test("a backend's kernel replaces the 'js' one of the same name; others fall back", () => {
    const arena = arenaBackend();
    let calls = 0;
    const js = getKernel<(...a: unknown[]) => void>('unary.neg');
    registerKernel('unary.neg', 'arena', (...args: unknown[]) => {
      calls++;
      js(...args);
    });
    setBackend(arena);
    expect(zeros([3], { dtype: 'float64' }).add(1).neg().toArray()).toEqual([-1, -1, -1]);
    expect(calls).toBe(1);
    expect(kernelNames('arena')).toEqual(['unary.neg']);
    setBackend(jsBackend);
    zeros(2).neg();
    expect(calls).toBe(1);
  });

  test('the js backend registers every kernel the ops use', () => {
    const names = kernelNames('js');
    for (const n of ['gemm', 'where', 'fill', 'unary.copy', 'binary.add', 'reduce.sum', 'argReduce.max']) expect(names).toContain(n);
    expect(() => getKernel('no.such.kernel')).toThrow(/no kernel registered for 'no.such.kernel'/);
  });
});
