// Variable's side of the tensor package's dispatch protocol (`DISPATCH` in @minigrad/tensor): a Tensor op handed
// a Variable operand runs here as the matching Variable op, so `t.add(v)`, `cat([t, v])` or `conv2d(t, w)` give a
// Variable, recorded on the tape when an input requires grad; the plain Tensors in it are constants. Part of the
// accepted cycle with variable.ts (which calls it from its DISPATCH method), like the op definitions it uses.
import * as T from '@minigrad/tensor';
import { ArgumentError, Tensor } from '@minigrad/tensor';
import { where } from './ops/binary.js';
import { conv2d, convTranspose2d } from './ops/conv.js';
import { cat, stack } from './ops/indexing.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2dWithIndices } from './ops/pool.js';
import { Variable, asVariable } from './variable.js';

/** Tensor methods (and free functions of the same name and meaning: matmul, split, chunk) run as Variable methods. */
const METHODS: ReadonlySet<string> = new Set([
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr',
  'matmul', 'gather', 'scatterAdd', 'indexSelect', 'expandAs', 'split', 'chunk', 'clamp', 'maskedFill', 'maskedSelect',
]);

/** In-place Tensor methods: the Variable operand gives its values (in-place ops are never recorded). */
const IN_PLACE: ReadonlySet<string> = new Set(['addInPlace', 'subInPlace', 'mulInPlace', 'divInPlace', 'copyFrom']);

/** Tensor free functions whose result carries no gradient: run on the values, wrapped as a constant Variable. */
const CONSTANT: ReadonlySet<string> = new Set(['oneHot', 'emptyLike', 'zerosLike', 'onesLike', 'fullLike', 'randLike', 'randnLike']);

const valuesOf = (x: unknown): unknown => (x instanceof Variable ? x.data : x);

/** Runs tensor op `op` (a method's receiver first in `args`) with Variable semantics. */
export function runTensorOp(op: string, args: unknown[]): unknown {
  const a = args as any[];
  switch (op) {
    case 'where': return where(a[0], a[1], a[2]);
    case 'cat': return cat(a[0], a[1]);
    case 'stack': return stack(a[0], a[1]);
    case 'conv2d': return conv2d(a[0], a[1], a[2], a[3]);
    case 'convTranspose2d': return convTranspose2d(a[0], a[1], a[2], a[3]);
    // The tensor function returns values and indices, so its Variable form is the one with indices.
    case 'maxPool2d': return maxPool2dWithIndices(a[0], a[1]);
    case 'avgPool2d': return avgPool2d(a[0], a[1]);
    case 'adaptiveAvgPool2d': return adaptiveAvgPool2d(a[0], a[1]);
  }
  if (METHODS.has(op)) {
    const self = asVariable(a[0], op, 'input') as unknown as Record<string, (...rest: unknown[]) => unknown>;
    return self[op](...a.slice(1));
  }
  if (IN_PLACE.has(op)) {
    const self = valuesOf(a[0]) as unknown as Record<string, (...rest: unknown[]) => unknown>;
    self[op](...a.slice(1).map(valuesOf));
    return a[0];
  }
  if (CONSTANT.has(op)) {
    const fn = (T as unknown as Record<string, (...rest: unknown[]) => unknown>)[op];
    return new Variable(fn(...a.map(valuesOf)) as Tensor);
  }
  throw new ArgumentError(op, 'takes plain Tensors only (pass a Variable\'s .data)');
}
