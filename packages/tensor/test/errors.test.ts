// Every kind of bad input gets a typed MinigradError whose message names the op, the argument and the shapes.
import { describe, expect, test } from 'vitest';
import {
  ArgumentError, DTypeError, IndexError, MinigradError, ShapeError, type Tensor,
  arange, cat, chunk, eye, full, linspace, matmul, oneHot, ones, randint, randn, split, stack, tensor, where, zeros,
} from '@minigrad/tensor';

type ErrorClass = typeof ShapeError;
const i32 = (data: number[]) => tensor(data, { dtype: 'int32' });

const CASES: [string, () => unknown, ErrorClass, RegExp][] = [
  // broadcasting and shapes
  ['add with unbroadcastable shapes', () => zeros(2, 3).add(zeros(4)), ShapeError, /^add: shapes \[2,3\] and \[4\] cannot be broadcast/],
  ['where with unbroadcastable shapes', () => where(zeros(2).gt(0), zeros(3), 0), ShapeError, /^where: shapes \[2\] and \[3\]/],
  ['matmul inner mismatch', () => matmul(zeros(2, 3), zeros(4, 5)), ShapeError, /^matmul: shapes \[2,3\] and \[4,5\] are not aligned \(3 != 4\)$/],
  ['matmul 1-D mismatch', () => matmul(zeros(3), zeros(4)), ShapeError, /^matmul: shapes \[3\] and \[4\] are not aligned/],
  ['matmul batch mismatch', () => matmul(zeros(2, 2, 3), zeros(3, 3, 4)), ShapeError, /^matmul: batch dims of shapes \[2,2,3\] and \[3,3,4\]/],
  ['matmul of a 0-d tensor', () => matmul(tensor(1), zeros(2)), ShapeError, /^matmul: both arguments need at least 1 dim/],
  ['reshape to another element count', () => zeros(2, 3).reshape(5), ShapeError, /^reshape: shape \[5\] is invalid for input of shape \[2,3\]/],
  ['view with two -1', () => zeros(2, 3).view(-1, -1), ArgumentError, /^view: only one dimension can be inferred/],
  ['view of a transposed tensor', () => zeros(2, 3).t().view(6), ShapeError, /^view: cannot view a tensor of shape \[3,2\]/],
  ['expand a non-1 dim', () => zeros(2, 3).expand(4, 3), ShapeError, /^expand: cannot expand shape \[2,3\] to \[4,3\]/],
  ['broadcastTo fewer dims', () => zeros(2, 3).broadcastTo(3), ShapeError, /^broadcastTo: .*fewer dims/],
  ['t of a 3-D tensor', () => zeros(1, 2, 3).t(), ShapeError, /^t: expects a tensor with <= 2 dims, got shape \[1,2,3\]/],
  ['permute with the wrong count', () => zeros(2, 3).permute(0), ShapeError, /^permute: dims \[0\]/],
  ['cat with mismatched shapes', () => cat([zeros(2, 3), zeros(2, 4)], 0), ShapeError, /^cat: shapes \[2,3\] and \[2,4\]/],
  ['stack with mismatched shapes', () => stack([zeros(2), zeros(3)]), ShapeError, /^stack: all tensors must have the same shape: \[2\] and \[3\]/],
  ['split sections that do not sum up', () => split(zeros(5), [2, 2]), ShapeError, /^split: section sizes \[2,2\] sum to 4/],
  ['copyFrom a larger tensor', () => zeros(3).copyFrom(zeros(2, 3)), ShapeError, /^copyFrom: .*\[2,3\]/],
  ['in-place add that would grow self', () => zeros(3).addInPlace(zeros(2, 3)), ShapeError, /^addInPlace: other of shape \[2,3\] does not broadcast to self's shape \[3\]/],
  ['ragged nested data', () => tensor([[1, 2], [3]]), ShapeError, /^tensor: ragged nested array/],
  ['shape option with the wrong count', () => tensor(new Float32Array(6), { shape: [4, 2] }), ShapeError, /^tensor: shape \[4,2\] needs 8 elements, the data has 6/],
  ['item of several elements', () => zeros(2).item(), ShapeError, /^item: .*shape \[2\]/],
  ['gather index larger than input', () => zeros(2, 2).gather(1, i32([0, 0, 0, 0, 0, 0]).reshape(3, 2)), ShapeError, /^gather: index \[3,2\] is larger than input \[2,2\] at dim 0/],
  // dims and indices
  ['sum over a missing dim', () => zeros(2, 3).sum(2), IndexError, /^sum: dim 2 is out of range for a tensor with 2 dims/],
  ['negative dim out of range', () => zeros(2, 3).softmax(-3), IndexError, /^softmax: dim -3 is out of range/],
  ['transpose out of range', () => zeros(2, 3).transpose(0, 5), IndexError, /^transpose: dim1 5 is out of range/],
  ['permute with a repeated dim', () => zeros(2, 3).permute(1, 1), IndexError, /^permute: dim 1 appears more than once/],
  ['select index out of range', () => zeros(2, 3).select(1, 3), IndexError, /^select: index 3 is out of range for dim 1 of size 3 \(shape \[2,3\]\)/],
  ['narrow past the end', () => zeros(4).narrow(0, 2, 3), IndexError, /^narrow: start 2 \+ length 3 exceeds dim 0 of size 4/],
  ['gather index value out of range', () => zeros(2, 3).gather(1, i32([0, 3]).reshape(2, 1)), IndexError, /^gather: index 3 is out of range for dim 1 of size 3 \(shape \[2,3\]\)/],
  ['indexSelect negative index', () => zeros(3).indexSelect(0, i32([-1])), IndexError, /^indexSelect: index -1 is out of range/],
  ['oneHot class beyond numClasses', () => oneHot(i32([0, 4]), 3), IndexError, /^oneHot: class index 4 is out of range for numClasses 3/],
  ['max over an empty dim', () => zeros(0, 3).max(0), IndexError, /^max: cannot reduce over an empty dim of a tensor of shape \[0,3\]/],
  ['flatten with start after end', () => zeros(2, 3, 4).flatten(2, 1), ArgumentError, /^flatten: startDim 2 comes after endDim 1/],
  // sizes and arguments
  ['negative size', () => zeros(-1, 2), ArgumentError, /^zeros: size \[-1,2\] has an invalid size -1 at dim 0/],
  ['non-integer size', () => randn([2.5]), ArgumentError, /^randn: size \[2.5\] has an invalid size 2.5/],
  ['full with a negative size', () => full([-2], 1), ArgumentError, /^full: shape \[-2\] has an invalid size -2 at dim 0/],
  ['eye with a negative size', () => eye(-1), ArgumentError, /^eye: /],
  ['slice with step 0', () => zeros(4).slice(0, 0, 4, 0), ArgumentError, /^slice: step must be a positive integer, got 0/],
  ['arange with step 0', () => arange(0, 4, 0), ArgumentError, /^arange: step must be nonzero/],
  ['arange going the wrong way', () => arange(0, 4, -1), ArgumentError, /^arange: upper bound and step are inconsistent/],
  ['linspace with negative steps', () => linspace(0, 1, -2), ArgumentError, /^linspace: steps must be a non-negative integer, got -2/],
  ['randint with low >= high', () => randint(3, 3, [2]), ArgumentError, /^randint: low \(3\) must be less than high \(3\)/],
  ['split size 0', () => split(zeros(4), 0), ArgumentError, /^split: split size must be a positive integer/],
  ['chunk count 0', () => chunk(zeros(4), 0), ArgumentError, /^chunk: chunks must be a positive integer/],
  ['cat of nothing', () => cat([]), ArgumentError, /^cat: expects a non-empty array of tensors/],
  ['unknown dtype', () => zeros([2], { dtype: 'float16' as 'float32' }), ArgumentError, /^zeros: unknown dtype 'float16'/],
  ['unknown dtype in to()', () => zeros(2).to('int8' as 'int32'), ArgumentError, /^to: unknown dtype 'int8'/],
  ['non-tensor operand', () => zeros(2).add('1' as unknown as Tensor), ArgumentError, /^add: other must be a Tensor, got "1"/],
  ['bad gelu approximation', () => zeros(2).gelu('fast' as 'tanh'), ArgumentError, /^gelu: approximate must be 'none' or 'tanh'/],
  ['integer to a negative power', () => i32([2]).pow(-1), ArgumentError, /^pow: integers to negative integer powers are not allowed \(int32 tensor of shape \[1\]/],
  ['clamp without bounds', () => zeros(2).clamp(), ArgumentError, /^clamp: at least one of min and max must be given/],
  ['negative variance correction', () => zeros(3).var(0, { correction: -1 }), ArgumentError, /^var: correction must be a finite number >= 0, got -1/],
  ['writing into an expanded view', () => zeros(1, 3).expand(4, 3).addInPlace(ones(4, 3)), ArgumentError, /^addInPlace: cannot write into an expanded tensor of shape \[4,3\] \(dim 0 has stride 0/],
  ['filling an expanded view', () => zeros(3, 1).expand(3, 2).fill(1), ArgumentError, /^fill: cannot write into an expanded tensor/],
  // dtypes
  ['mean of an int tensor', () => i32([1, 2]).mean(), DTypeError, /^mean: needs a floating point tensor, got int32 \(shape \[2\]\)/],
  ['softmax of an int tensor', () => i32([1, 2]).softmax(0), DTypeError, /^softmax: needs a floating point tensor/],
  ['matmul of int tensors', () => matmul(i32([1, 2]), i32([1, 2])), DTypeError, /^matmul: needs two float32 or two float64 tensors, got int32 and int32/],
  ['matmul of mixed precision', () => matmul(zeros(2), zeros([2], { dtype: 'float64' })), DTypeError, /^matmul: .*got float32 and float64/],
  ['where with a float condition', () => where(zeros(2), zeros(2), zeros(2)), DTypeError, /^where: condition must be a bool tensor, got float32 \(shape \[2\]\)/],
  ['gather with a float index', () => zeros(2).gather(0, zeros(2)), DTypeError, /^gather: index has dtype float32 \(shape \[2\]\); indices must be int32 \(use index.int\(\)/],
  ['float result into an int tensor', () => i32([1, 2]).addInPlace(0.5), DTypeError, /^addInPlace: result type float32 cannot be written into a int32 tensor of shape \[2\]/],
  ['integer division in place', () => i32([1, 2]).divInPlace(i32([1, 2])), DTypeError, /^divInPlace: result type float32/],
  ['subtracting bool tensors', () => tensor([true]).sub(tensor([false])), DTypeError, /^sub: is not supported between bool tensors/],
  ['negating a bool tensor', () => tensor([true]).neg(), DTypeError, /^neg: is not supported for bool tensors/],
  ['scatterAdd with another src dtype', () => zeros(2).scatterAdd(0, i32([0]), zeros([1], { dtype: 'float64' })), DTypeError, /^scatterAdd: src dtype float64 differs from input dtype float32/],
];

describe('bad input throws a typed error naming the op', () => {
  for (const [what, f, cls, message] of CASES) {
    test(what, () => {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(cls);
      expect(caught).toBeInstanceOf(MinigradError);
      const err = caught as MinigradError;
      expect(err.message).toMatch(message);
      expect(err.message.startsWith(`${err.op}: `)).toBe(true);
      expect(err.name).toBe(cls.name);
    });
  }
});
