// The tape and the backward pass: accumulation, broadcasting, retainGraph, grad(), modes, misuse errors.
import { ArgumentError, MinigradError, ShapeError, tensor as rawTensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { detectAnomaly, enableGrad, grad, isAnomalyEnabled, isGradEnabled, noGrad, tensor, variable, zeros, type Variable } from '../src/index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('backward', () => {
  it('accumulates into a leaf used twice and across calls', () => {
    const x = tensor([1, 2, 3], f64);
    x.mul(x).sum().backward(); // d/dx sum(x^2) = 2x
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    x.mul(3).sum().backward(); // accumulates: + 3
    expect(x.grad!.toArray()).toEqual([5, 7, 9]);
  });

  it('sums gradients of broadcast inputs back to their shapes (leading, size-1 and 0-d)', () => {
    const a = tensor([[1], [2]], f64); // [2,1]
    const b = tensor([10, 20, 30], f64); // [3]
    const c = tensor(2, f64); // 0-d
    a.add(b).mul(c).sum().backward();
    expect(a.grad!.shape).toEqual([2, 1]);
    expect(a.grad!.toArray()).toEqual([[6], [6]]);
    expect(b.grad!.toArray()).toEqual([4, 4, 4]);
    expect(c.grad!.shape).toEqual([]);
    expect(c.grad!.item()).toBe(11 + 21 + 31 + 12 + 22 + 32); // sum(a + b)
  });

  it('takes a gradOutput for non-scalar outputs and checks its shape', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(ShapeError);
    expect(() => y.backward(rawTensor([1, 2, 3], { dtype: 'float64' }))).toThrow(/gradOutput has shape \[3\] but the output has shape \[2\]/);
    y.backward(rawTensor([1, -1], { dtype: 'float64' }));
    expect(x.grad!.toArray()).toEqual([2, -2]);
  });

  it('refuses a second backward through freed saved tensors unless retainGraph', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time.*retainGraph/);
    const z = x.mul(x).sum();
    z.backward({ retainGraph: true });
    z.backward();
    expect(x.grad!.toArray()).toEqual([2 + 4, 4 + 8]);
  });

  it('allows a second backward through ops that saved nothing (as PyTorch)', () => {
    const x = tensor([1, 2], f64);
    const y = x.add(1).sum();
    y.backward();
    y.backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  it('detects an in-place change to a saved tensor through the storage version', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2); // saves nothing about y
    const z = y.mul(y).sum(); // saves y
    y.data.addInPlace(1);
    expect(() => z.backward()).toThrow(/modified by an in-place operation.*'mul'.*version 0.*version 1/);
  });

  it('errors on backward of something that does not require grad', () => {
    expect(() => tensor([1]).sum().backward()).toThrow(ArgumentError);
  });

  it('casts gradients back to the dtype of each input', () => {
    const a = tensor([1, 2], { requiresGrad: true }); // float32
    const b = tensor([3, 4], f64);
    a.mul(b).sum().backward();
    expect(a.grad!.dtype).toBe('float32');
    expect(a.grad!.toArray()).toEqual([3, 4]);
    expect(b.grad!.dtype).toBe('float64');
  });

  it('stores a gradient of its own on the leaf (no aliasing between leaves)', () => {
    const a = tensor([1, 2], f64);
    const b = tensor([3, 4], f64);
    a.add(b).sum().backward();
    a.grad!.data.mulInPlace(10);
    expect(b.grad!.toArray()).toEqual([1, 1]);
    expect(a.grad!.isContiguous()).toBe(true);
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([1, 2, 3], f64);
    const [g] = grad(x.pow(3).sum(), x);
    expect(g!.toArray()).toEqual([3, 12, 27]);
    expect(x.grad).toBeNull();
  });

  it('errors on an unused input unless allowUnused', () => {
    const x = tensor([1], f64);
    const u = tensor([1], f64);
    expect(() => grad(x.mul(2).sum(), [x, u])).toThrow(/input 1 .*not used.*allowUnused/);
    const [gx, gu] = grad(x.mul(2).sum(), [x, u], { allowUnused: true });
    expect(gx!.toArray()).toEqual([2]);
    expect(gu).toBeNull();
  });

  it('gives gradients with respect to non-leaves and honours gradOutputs', () => {
    const x = tensor([1, 2], f64);
    const h = x.mul(3);
    const y = h.square();
    const [gh, gx] = grad(y, [h, x], { gradOutputs: rawTensor([1, 10], { dtype: 'float64' }) });
    expect(gh!.toArray()).toEqual([6, 120]);
    expect(gx!.toArray()).toEqual([18, 360]);
  });

  it('with createGraph returns differentiable gradients (second derivative of x^3)', () => {
    const x = tensor([2], f64);
    const [g] = grad(x.pow(3).sum(), x, { createGraph: true });
    expect(g!.requiresGrad).toBe(true);
    const [gg] = grad(g!.sum(), x);
    expect(gg!.toArray()).toEqual([12]);
  });

  it('checks outputs, inputs and gradOutputs', () => {
    const x = tensor([1, 2], f64);
    expect(() => grad(x.mul(2), x)).toThrow(/gradOutputs are required/);
    expect(() => grad(x.sum(), tensor([1]))).toThrow(/does not require grad/);
  });
});

describe('grad modes, detach, requiresGrad_', () => {
  it('noGrad records nothing; enableGrad re-enables inside it', () => {
    const x = tensor([1], f64);
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = enableGrad(() => x.mul(2));
      expect(inner.requiresGrad).toBe(true);
      return x.mul(2);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(y.isLeaf).toBe(true);
  });

  it('restores the mode when fn throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('refuse an async fn (a scope cannot follow it across await), with the mode restored first', async () => {
    const x = tensor([1], f64);
    let resume!: () => void;
    const later = new Promise<void>((r) => (resume = r));
    let afterAwait: Variable | undefined;
    let modeInside: boolean | undefined;
    expect(() =>
      noGrad(async () => {
        modeInside = isGradEnabled();
        await later;
        afterAwait = x.mul(2);
      }),
    ).toThrow(/^noGrad: fn returned a Promise \(an async function\?\).*first await.*setGradEnabled\(false\)/);
    expect(modeInside).toBe(false); // the synchronous part did run in the scope
    expect(isGradEnabled()).toBe(true);
    resume();
    await later;
    await Promise.resolve();
    // What ran after the await was outside the scope: it recorded, which is why the call is refused.
    expect(afterAwait!.requiresGrad).toBe(true);

    noGrad(() => {
      expect(() => enableGrad(() => Promise.resolve(x.mul(2)))).toThrow(/^enableGrad: fn returned a Promise.*setGradEnabled\(true\)/);
      expect(isGradEnabled()).toBe(false);
    });
    expect(() => detectAnomaly(async () => 1)).toThrow(/^detectAnomaly: fn returned a Promise/);
    expect(isAnomalyEnabled()).toBe(false);
    // Any thenable is refused, and its rejection is not left unhandled (vitest fails a run on one).
    expect(() => noGrad(() => ({ then: (_ok: unknown, fail: (e: Error) => void) => fail(new Error('late')) }))).toThrow(ArgumentError);
    expect(() => noGrad(async () => { throw new Error('late'); })).toThrow(ArgumentError);
    expect(noGrad(() => ({ then: 1 }))).toEqual({ then: 1 }); // not a thenable
  });

  it('detach shares data and cuts the graph', () => {
    const x = tensor([1, 2], f64);
    const y = x.mul(2);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(y.data);
    const z = y.mul(d).sum(); // gradient only through y
    z.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
  });

  it('requiresGrad_ turns a leaf on, refuses int tensors and non-leaves off', () => {
    const x = variable(rawTensor([1, 2]));
    expect(x.requiresGrad_().requiresGrad).toBe(true);
    expect(() => variable(rawTensor([1], { dtype: 'int32' })).requiresGrad_()).toThrow(/floating point/);
    expect(() => x.mul(2).requiresGrad_(false)).toThrow(/non-leaf/);
    expect(() => zeros([2], { dtype: 'int32', requiresGrad: true })).toThrow(MinigradError);
  });
});

describe('in-place ops on Variables', () => {
  it('are refused on leaves that require grad while recording, allowed under noGrad', () => {
    const w = tensor([1, 2], f64);
    expect(() => w.addInPlace(1)).toThrow(/leaf Variable that requires grad.*in-place/);
    expect(() => w.mul(2).fill(0)).toThrow(/gradFn/);
    const v0 = w.data.storage.version;
    noGrad(() => w.subInPlace(tensor([1, 1], { dtype: 'float64' }), 0.5).mulInPlace(2));
    expect(w.toArray()).toEqual([1, 3]);
    expect(w.data.storage.version).toBeGreaterThan(v0);
    expect(tensor([1, 2]).zero().toArray()).toEqual([0, 0]);
  });
});

describe('split, chunk, sumToSize as methods', () => {
  it('split and chunk pieces carry gradients back to their slices', () => {
    const x = tensor([1, 2, 3, 4, 5], f64);
    const [a, b, c] = x.split([1, 3, 1]);
    a.mul(1).add(b.sum().mul(2)).add(c.mul(3)).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 2, 2, 2, 3]);
    const y = tensor([[1, 2], [3, 4], [5, 6]], f64);
    const parts = y.chunk(2, 0);
    expect(parts.map((p) => p.shape)).toEqual([[2, 2], [1, 2]]);
    parts[1].sum().backward();
    expect(y.grad!.toArray()).toEqual([[0, 0], [0, 0], [1, 1]]);
  });

  it('sumToSize sums broadcast dims and is differentiable', () => {
    const x = tensor([[1, 2], [3, 4]], f64);
    const s = x.sumToSize([1, 2]);
    expect(s.toArray()).toEqual([[4, 6]]);
    s.mul(tensor([[1, 10]], { dtype: 'float64' })).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 10], [1, 10]]);
  });
});

describe('retainGrad and hooks', () => {
  it('retainGrad fills .grad of a non-leaf', () => {
    const x = tensor([1, 2], f64);
    const h = x.mul(2).retainGrad();
    const plain = x.mul(3);
    h.square().add(plain).sum().backward();
    expect(h.grad!.toArray()).toEqual([4, 8]);
    expect(plain.grad).toBeNull();
  });

  it('a hook reads and can replace the gradient; remove() unregisters it', () => {
    const x = tensor([1, 2], f64);
    const seen: number[][] = [];
    const h = x.mul(2);
    const handle = h.registerHook((g) => {
      seen.push(g.toArray() as number[]);
      return g.mul(10);
    });
    h.sum().backward();
    expect(seen).toEqual([[1, 1]]);
    expect(x.grad!.toArray()).toEqual([20, 20]);
    handle.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  it('leaf hooks run on the total gradient before accumulation', () => {
    const x = tensor([1, 2], f64);
    const totals: number[][] = [];
    x.registerHook((g) => {
      totals.push(g.toArray() as number[]);
    });
    x.mul(2).add(x).sum().backward();
    expect(totals).toEqual([[3, 3]]);
  });

  it('a hook returning the wrong shape is an error', () => {
    const x = tensor([1, 2], f64);
    x.registerHook(() => tensor([1, 2, 3], { dtype: 'float64' }));
    expect(() => x.sum().backward()).toThrow(/returned a gradient of shape \[3\], expected \[2\]/);
  });
});
