// PyTorch's default_collate: a list of items of one structure becomes one batch of that structure, with a
// new first dim of the list's length wherever an item holds a tensor or a number.
import { ArgumentError, ShapeError, Tensor, describeValue, fmtShape, stack, tensor } from '@minigrad/tensor';

/** What defaultCollate makes of a batch of items of type T. */
export type Collated<T> = T extends Tensor | number | boolean | Float32Array | Float64Array | Int32Array
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : never;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Collates items of one structure into a batch (torch.utils.data.default_collate): Tensors are stacked
 * along a new dim 0; Float32Array/Float64Array/Int32Array become tensors of their dtype, stacked; numbers
 * become a 1-D tensor, int32 when every one is an integer in int32's range (class labels), else float32
 * (minigrad's default dtype; PyTorch makes int64 or float64 from Python ints and floats); booleans a bool
 * tensor; strings stay an array of strings; arrays (of one length) and plain objects (of one set of keys)
 * are collated position by position and key by key. Anything else is an ArgumentError: give the DataLoader
 * a `collate` function for it.
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (!Array.isArray(batch)) throw new ArgumentError('defaultCollate', `batch must be an array of items, got ${describeValue(batch)}`);
  if (batch.length === 0) throw new ArgumentError('defaultCollate', 'batch is empty (a batch has at least one item)');
  return collate(batch, '') as Collated<T>;
}

const where = (path: string) => (path === '' ? '' : ` at ${path}`);

function collate(items: readonly unknown[], path: string): unknown {
  const first = items[0];
  const kind = kindOf(first);
  items.forEach((item, i) => {
    if (kindOf(item) !== kind) {
      throw new ArgumentError('defaultCollate', `item ${i}${where(path)} is ${describeValue(item)} but item 0 is ${describeValue(first)}: every item must have one structure`);
    }
  });
  switch (kind) {
    case 'tensor':
      return stackTensors(items as Tensor[], path);
    case 'array view':
      return stackTensors(items.map((a) => tensor(a as Float32Array)), path);
    case 'number':
      return tensor(items as number[], { dtype: (items as number[]).every(isInt32) ? 'int32' : 'float32' });
    case 'boolean':
      return tensor(items as boolean[], { dtype: 'bool' });
    case 'string':
      return items.slice();
    case 'array': {
      const len = (first as unknown[]).length;
      items.forEach((item, i) => {
        if ((item as unknown[]).length !== len) {
          throw new ShapeError('defaultCollate', `item ${i}${where(path)} has ${(item as unknown[]).length} elements but item 0 has ${len}: every item must have one structure`);
        }
      });
      return Array.from({ length: len }, (_, k) => collate(items.map((item) => (item as unknown[])[k]), `${path}[${k}]`));
    }
    case 'object': {
      const keys = Object.keys(first as object);
      const keyText = keys.join(', ');
      items.forEach((item, i) => {
        const own = Object.keys(item as object);
        if (own.length !== keys.length || !keys.every((k) => Object.prototype.hasOwnProperty.call(item, k))) {
          throw new ArgumentError('defaultCollate', `item ${i}${where(path)} has the keys {${own.join(', ')}} but item 0 has {${keyText}}: every item must have one structure`);
        }
      });
      return Object.fromEntries(keys.map((k) => [k, collate(items.map((item) => (item as Record<string, unknown>)[k]), `${path}.${k}`)]));
    }
    default:
      throw new ArgumentError(
        'defaultCollate',
        `cannot batch ${describeValue(first)}${where(path)}: the default collate takes Tensors, numbers, booleans, strings, ` +
          'Float32Array/Float64Array/Int32Array, and arrays and plain objects of these (give the DataLoader a collate function for others)',
      );
  }
}

function kindOf(v: unknown): string {
  if (v instanceof Tensor) return 'tensor';
  if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) return 'array view';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return typeof v;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' && v !== null) {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return 'object';
  }
  return 'other';
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}

function stackTensors(items: Tensor[], path: string): Tensor {
  const shape = items[0]!.shape;
  items.forEach((t, i) => {
    if (t.shape.length !== shape.length || t.shape.some((s, d) => s !== shape[d])) {
      throw new ShapeError('defaultCollate', `item ${i}${where(path)} has shape ${fmtShape(t.shape)} but item 0 has ${fmtShape(shape)}: a batch stacks tensors of one shape`);
    }
  });
  return stack(items, 0);
}
