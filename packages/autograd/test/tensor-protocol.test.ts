// A plain Tensor and a Variable mix in any order: tensor ops handed a Variable defer to autograd (the dispatch
// protocol), Variable ops and applyOp take a Tensor as a constant. The gradient reaches the Variable side only.
import * as T from '@minigrad/tensor';
import { ArgumentError, Tensor } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import * as A from '../src/index.js';
import { Variable, applyOp } from '../src/index.js';
import { registry } from '../src/internal.js';

const f64 = { dtype: 'float64' as const };
const leaf = (data: number[][]) => A.tensor(data, { ...f64, requiresGrad: true });
const plain = (data: number[][]) => T.tensor(data, f64);

/** The Variable's gradient after backward of the sum of f's result. */
function gradOf(v: Variable, out: unknown): number[][] {
  expect(out).toBeInstanceOf(Variable);
  const o = out as Variable;
  expect(o.requiresGrad).toBe(true);
  o.sum().backward();
  return v.grad!.toArray() as number[][];
}

describe('Tensor op with a Variable operand', () => {
  it('t.add(v) and v.add(t) record on the tape, in both orders', () => {
    const t = plain([[1, 2], [3, 4]]);
    const v1 = leaf([[5, 6], [7, 8]]);
    expect(gradOf(v1, t.add(v1, 2))).toEqual([[2, 2], [2, 2]]);
    const v2 = leaf([[5, 6], [7, 8]]);
    expect(gradOf(v2, v2.add(t))).toEqual([[1, 1], [1, 1]]);
    expect(t.add(v1).toArray()).toEqual(v1.add(t).toArray());
  });

  it.each([
    ['sub', (t: Tensor, v: Variable) => t.sub(v), [[-1, -1], [-1, -1]]],
    ['mul', (t: Tensor, v: Variable) => t.mul(v), [[1, 2], [3, 4]]],
    ['div', (t: Tensor, v: Variable) => t.div(v), [[-1 / 4, -2 / 9], [-3 / 16, -4 / 25]]],
    ['maximum', (t: Tensor, v: Variable) => t.maximum(v), [[1, 0], [0, 1]]],
    ['maximum fn', (t: Tensor, v: Variable) => T.maximum(t, v), [[1, 0], [0, 1]]],
    ['minimum fn (autograd)', (t: Tensor, v: Variable) => A.minimum(t, v), [[0, 1], [1, 0]]],
    ['matmul', (t: Tensor, v: Variable) => t.matmul(v), [[4, 4], [6, 6]]],
    ['where', (t: Tensor, v: Variable) => T.where(t.gt(2), t, v), [[1, 1], [0, 0]]],
    ['cat', (t: Tensor, v: Variable) => T.cat([t, v], 1), [[1, 1], [1, 1]]],
    ['stack', (t: Tensor, v: Variable) => T.stack([v, t]), [[1, 1], [1, 1]]],
    ['matmul fn', (t: Tensor, v: Variable) => T.matmul(v, t), [[3, 7], [3, 7]]],
    ['expandAs', (t: Tensor, v: Variable) => v.sum(0, true).mul(t.expandAs(v)), [[4, 6], [4, 6]]],
    ['clamp', (t: Tensor, v: Variable) => t.clamp(v), [[1, 1], [1, 1]]],
    ['maskedFill', (t: Tensor, v: Variable) => t.maskedFill(t.gt(2), v.sum()), [[2, 2], [2, 2]]],
  ] as const)('%s: the result is a Variable whose gradient reaches the Variable', (_, f, expected) => {
    const t = plain([[1, 2], [3, 4]]);
    const v = leaf([[2, 3], [4, 5]]);
    if (_.startsWith('maximum') || _.startsWith('minimum')) v.data.copyFrom(T.tensor([[2, 1], [2, 5]], f64));
    const g = gradOf(v, f(t, v));
    g.flat().forEach((x, i) => expect(x).toBeCloseTo(expected.flat()[i], 12));
  });

  it('conv and pool free functions of @minigrad/tensor take Variables', () => {
    T.manualSeed(0);
    const x = T.randn([1, 2, 4, 4], f64);
    const w = A.randn([3, 2, 3, 3], { ...f64, requiresGrad: true });
    const y = T.conv2d(x, w, null, { padding: 1 });
    expect(y).toBeInstanceOf(Variable);
    const pooled = T.maxPool2d(y, { kernelSize: 2 });
    expect(pooled.values).toBeInstanceOf(Variable);
    expect(pooled.indices.dtype).toBe('int32');
    T.avgPool2d(pooled.values, { kernelSize: 2 }).add(T.adaptiveAvgPool2d(y, 1).sum()).sum().backward();
    expect(w.grad!.shape).toEqual([3, 2, 3, 3]);
    // The same values as with plain tensors only.
    expect(T.conv2d(x, w.data, null, { padding: 1 }).toArray()).toEqual(y.toArray());
  });

  it('split and chunk of a Variable give Variables; *Like and oneHot give constants', () => {
    const v = leaf([[1, 2], [3, 4]]);
    const parts = T.split(v, 1);
    expect(parts.map((p) => p instanceof Variable && p.requiresGrad)).toEqual([true, true]);
    expect(T.chunk(v, 2, 1)[1].toArray()).toEqual([[2], [4]]);
    const z = T.zerosLike(v);
    expect(z).toBeInstanceOf(Variable);
    expect(z.requiresGrad).toBe(false);
    expect(T.fullLike(v, 3).toArray()).toEqual([[3, 3], [3, 3]]);
    expect(T.oneHot(A.tensor([1, 0], { dtype: 'int32' }), 2).toArray()).toEqual([[0, 1], [1, 0]]);
  });

  it('a mask given as a Variable works in maskedFill and maskedSelect', () => {
    const t = plain([[1, 2], [3, 4]]);
    const mask = A.tensor([[true, false], [false, true]], { dtype: 'bool' });
    expect(t.maskedSelect(mask).toArray()).toEqual([1, 4]);
    expect(t.maskedFill(mask, 0)).toBeInstanceOf(Variable);
    expect(t.maskedFill(mask, 0).toArray()).toEqual([[0, 2], [3, 0]]);
  });

  it('an index given as a Variable works in gather and indexSelect', () => {
    const t = plain([[1, 2], [3, 4]]);
    const index = A.tensor([[1], [0]], { dtype: 'int32' });
    expect(t.gather(1, index).toArray()).toEqual([[2], [3]]);
    expect(t.indexSelect(0, A.tensor([1], { dtype: 'int32' })).toArray()).toEqual([[3, 4]]);
  });

  it('in-place ops on a Tensor read a Variable operand\'s values and return the Tensor (not recorded)', () => {
    const w = leaf([[1, 2], [3, 4]]);
    w.mul(w).sum().backward(); // grad 2w
    const target = w.data.clone();
    expect(target.subInPlace(w.grad!, 0.5)).toBe(target);
    expect(target.toArray()).toEqual([[0, 0], [0, 0]]);
    expect(target.copyFrom(w).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('without grad, or with no input requiring it, nothing is recorded', () => {
    const t = plain([[1, 2]]);
    const c = A.tensor([[3, 4]], f64);
    expect(t.mul(c).requiresGrad).toBe(false);
    const v = leaf([[3, 4]]);
    expect(A.noGrad(() => t.mul(v)).requiresGrad).toBe(false);
  });

  it('a tensor op with no Variable form says so', () => {
    const v = leaf([[1, 2]]);
    expect(() => v[T.DISPATCH]('conv2dBackwardInput', [v])).toThrow(new ArgumentError('conv2dBackwardInput', "takes plain Tensors only (pass a Variable's .data)"));
  });
});

describe('applyOp with plain Tensors', () => {
  it('takes a Tensor as a constant input (no gradient, inputs saved as Variables for the backward)', () => {
    const mul = registry.get('mul')!;
    const v = leaf([[1, 2]]);
    const out = applyOp(mul, [plain([[3, 4]]), v], undefined);
    out.sum().backward();
    expect(v.grad!.toArray()).toEqual([[3, 4]]);
    const matmul = registry.get('matmul')!;
    const w = leaf([[1], [2]]);
    applyOp(matmul, [plain([[3, 4]]), w], undefined).sum().backward(); // matmul saves its inputs
    expect(w.grad!.toArray()).toEqual([[3], [4]]);
  });

  it('rejects anything else, naming the op and the input', () => {
    const add = registry.get('add')!;
    expect(() => applyOp(add, [leaf([[1]]), [1] as never], undefined)).toThrow(/^add: input 1 must be a Variable or a Tensor, got/);
  });

  it('Variable free functions take plain Tensors', () => {
    const t = plain([[1, 2], [3, 4]]);
    const v = leaf([[1, 0], [0, 1]]);
    expect(A.matmul(t, v).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(A.cat([t, t]).requiresGrad).toBe(false);
    expect(A.split(t, 1).map((p) => p.toArray())).toEqual([[[1, 2]], [[3, 4]]]);
    expect(A.chunk(t, 2, 1)[0]).toBeInstanceOf(Variable);
    expect(A.zerosLike(t, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(A.onesLike(t).toArray()).toEqual([[1, 1], [1, 1]]);
    expect(A.randnLike(t).shape).toEqual([2, 2]);
    const x = T.zeros([1, 1, 2, 2], f64);
    expect(A.maxPool2d(x, { kernelSize: 2 })).toBeInstanceOf(Variable);
    expect(A.conv2d(x, A.zeros([1, 1, 1, 1], { ...f64, requiresGrad: true })).requiresGrad).toBe(true);
  });
});
