// The dispatch protocol: a tensor op handed an operand implementing DISPATCH defers to it with (op, args);
// anything else that is not a Tensor still gets the op's own error.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DISPATCH, type TensorDispatch, adaptiveAvgPool2d, avgPool2d, cat, chunk, conv2d, convTranspose2d, emptyLike, fullLike,
  matmul, maxPool2d, maximum, minimum, oneHot, onesLike, randLike, randnLike, split, stack, tensor, where, zeros, zerosLike,
} from '../src/index.js';

/** An operand that records what it was asked to run and answers with a marker. */
class Recorder implements TensorDispatch<{ marker: string }> {
  calls: [string, unknown[]][] = [];
  constructor(private readonly answer: unknown) {}
  [DISPATCH](op: string, args: unknown[]): { marker: string } {
    this.calls.push([op, args]);
    return this.answer as { marker: string };
  }
}

const t = tensor([[1, 2], [3, 4]]);
const img = zeros([1, 1, 4, 4]);
const w = zeros([1, 1, 3, 3]);
const idx = tensor([0, 1], { dtype: 'int32' });

// [what the call looks like, the call, the op name and arguments the operand must see]
const cases: [string, (r: Recorder) => unknown, (r: Recorder) => [string, unknown[]]][] = [
  ['t.add(r, 2)', (r) => t.add(r, 2), (r) => ['add', [t, r, 2]]],
  ['t.sub(r)', (r) => t.sub(r), (r) => ['sub', [t, r, 1]]],
  ['t.mul(r)', (r) => t.mul(r), (r) => ['mul', [t, r]]],
  ['t.div(r)', (r) => t.div(r), (r) => ['div', [t, r]]],
  ['t.pow(r)', (r) => t.pow(r), (r) => ['pow', [t, r]]],
  ['t.maximum(r)', (r) => t.maximum(r), (r) => ['maximum', [t, r]]],
  ['t.minimum(r)', (r) => t.minimum(r), (r) => ['minimum', [t, r]]],
  ['t.lt(r)', (r) => t.lt(r), (r) => ['lt', [t, r]]],
  ['t.logicalOr(r)', (r) => t.logicalOr(r), (r) => ['logicalOr', [t, r]]],
  ['t.matmul(r)', (r) => t.matmul(r), (r) => ['matmul', [t, r]]],
  ['t.clamp(r)', (r) => t.clamp(r), (r) => ['clamp', [t, r, undefined]]],
  ['t.clamp(0, r)', (r) => t.clamp(0, r), (r) => ['clamp', [t, 0, r]]],
  ['t.maskedFill(r, 1)', (r) => t.maskedFill(r, 1), (r) => ['maskedFill', [t, r, 1]]],
  ['t.maskedFill(mask, r)', (r) => t.maskedFill(t.gt(2), r), (r) => ['maskedFill', [t, expect.anything(), r]]],
  ['t.maskedSelect(r)', (r) => t.maskedSelect(r), (r) => ['maskedSelect', [t, r]]],
  ['matmul(r, t)', (r) => matmul(r, t), (r) => ['matmul', [r, t]]],
  ['maximum(t, r)', (r) => maximum(t, r), (r) => ['maximum', [t, r]]],
  ['minimum(r, 2)', (r) => minimum(r, 2), (r) => ['minimum', [r, 2]]],
  ['t.expandAs(r)', (r) => t.expandAs(r), (r) => ['expandAs', [t, r]]],
  ['t.gather(1, r)', (r) => t.gather(1, r), (r) => ['gather', [t, 1, r]]],
  ['t.scatterAdd(0, idx, r)', (r) => t.scatterAdd(0, idx, r), (r) => ['scatterAdd', [t, 0, idx, r]]],
  ['t.indexSelect(0, r)', (r) => t.indexSelect(0, r), (r) => ['indexSelect', [t, 0, r]]],
  ['where(r, t, 0)', (r) => where(r, t, 0), (r) => ['where', [r, t, 0]]],
  ['where(c, 1, r)', (r) => where(t.gt(2), 1, r), (r) => ['where', [expect.anything(), 1, r]]],
  ['cat([t, r], 1)', (r) => cat([t, r], 1), (r) => ['cat', [[t, r], 1]]],
  ['stack([r, t])', (r) => stack([r, t]), (r) => ['stack', [[r, t], 0]]],
  ['split(r, 1)', (r) => split(r, 1), (r) => ['split', [r, 1, 0]]],
  ['chunk(r, 2, 1)', (r) => chunk(r, 2, 1), (r) => ['chunk', [r, 2, 1]]],
  ['conv2d(img, r)', (r) => conv2d(img, r), (r) => ['conv2d', [img, r, undefined, {}]]],
  ['conv2d(img, w, r, opts)', (r) => conv2d(img, w, r, { padding: 1 }), (r) => ['conv2d', [img, w, r, { padding: 1 }]]],
  ['convTranspose2d(r, w)', (r) => convTranspose2d(r, w), (r) => ['convTranspose2d', [r, w, undefined, {}]]],
  ['maxPool2d(r, opts)', (r) => maxPool2d(r, { kernelSize: 2 }), (r) => ['maxPool2d', [r, { kernelSize: 2 }]]],
  ['avgPool2d(r, opts)', (r) => avgPool2d(r, { kernelSize: 2 }), (r) => ['avgPool2d', [r, { kernelSize: 2 }]]],
  ['adaptiveAvgPool2d(r, 1)', (r) => adaptiveAvgPool2d(r, 1), (r) => ['adaptiveAvgPool2d', [r, 1]]],
  ['oneHot(r, 3)', (r) => oneHot(r, 3), (r) => ['oneHot', [r, 3]]],
  ['zerosLike(r)', (r) => zerosLike(r), (r) => ['zerosLike', [r, undefined]]],
  ['onesLike(r)', (r) => onesLike(r), (r) => ['onesLike', [r, undefined]]],
  ['emptyLike(r)', (r) => emptyLike(r), (r) => ['emptyLike', [r, undefined]]],
  ['fullLike(r, 7)', (r) => fullLike(r, 7), (r) => ['fullLike', [r, 7, undefined]]],
  ['randLike(r)', (r) => randLike(r), (r) => ['randLike', [r, {}]]],
  ['randnLike(r)', (r) => randnLike(r), (r) => ['randnLike', [r, {}]]],
];

describe('dispatch protocol', () => {
  it.each(cases)('%s defers to the operand with the op name and its arguments', (_, call, expected) => {
    const r = new Recorder({ marker: 'deferred' });
    expect(call(r)).toEqual({ marker: 'deferred' });
    expect(r.calls).toEqual([expected(r)]);
  });

  it('in-place ops defer and return what the operand returns (autograd gives back the receiver)', () => {
    const target = zeros([2, 2]);
    const r = new Recorder(target);
    expect(target.addInPlace(r, 3)).toBe(target);
    expect(target.mulInPlace(r)).toBe(target);
    expect(target.copyFrom(r)).toBe(target);
    expect(r.calls).toEqual([['addInPlace', [target, r, 3]], ['mulInPlace', [target, r]], ['copyFrom', [target, r]]]);
  });

  it('does not consult the protocol when every operand is a Tensor or a number', () => {
    const r = new Recorder({ marker: 'deferred' });
    expect(t.add(t).toArray()).toEqual([[2, 4], [6, 8]]);
    expect(cat([t, t]).shape).toEqual([4, 2]);
    expect(where(t.gt(2), t, 0).toArray()).toEqual([[0, 0], [3, 4]]);
    expect(maximum(t, 2.5).toArray()).toEqual([[2.5, 2.5], [3, 4]]);
    expect(minimum(t, t.neg()).toArray()).toEqual([[-1, -2], [-3, -4]]);
    expect(r.calls).toEqual([]);
  });

  it('keeps the op\'s own error for an operand that does not implement it', () => {
    const plain = { shape: [2, 2] };
    expect(() => t.add(plain as never)).toThrow(new ArgumentError('add', 'other must be a Tensor, got an object'));
    expect(() => cat([t, plain] as never)).toThrow(/^cat: tensors\[1\] must be a Tensor, got an object$/);
    expect(() => matmul(t, 'x' as never)).toThrow('matmul: other must be a Tensor, got "x"');
    expect(() => conv2d(img, 3 as never)).toThrow('conv2d: weight must be a Tensor, got 3');
    expect(() => t.addInPlace(null as never)).toThrow(/^addInPlace: other must be a Tensor/);
    expect(() => zerosLike([1, 2] as never)).toThrow(/^zerosLike: input must be a Tensor/);
    // A method under another key is not the protocol.
    const impostor = { [Symbol('minigrad.dispatch')]: () => 1 };
    expect(() => t.mul(impostor as never)).toThrow(/^mul: other must be a Tensor/);
  });

  it('lets an operand decline by answering undefined: the op then throws its usual error', () => {
    const r = new Recorder(undefined);
    expect(() => t.add(r)).toThrow(/^add: other must be a Tensor, got/);
    expect(() => stack([t, r])).toThrow(/^stack: tensors\[1\] must be a Tensor, got/);
    expect(r.calls.map(([op]) => op)).toEqual(['add', 'stack']);
  });

  it('uses the registered symbol, so that two copies of the package agree', () => {
    expect(DISPATCH).toBe(Symbol.for('minigrad.dispatch'));
  });
});
