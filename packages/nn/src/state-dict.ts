// State dicts: a module's parameters and persistent buffers under PyTorch's key names, and loading them back.
import { ArgumentError, ShapeError, Tensor, checkBool, describeValue, fmtShape, sameShape, typeNameOf } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import type { Module } from './module.js';

/** Dotted snake_case keys (`features.0.weight`, `bn.running_mean`) to tensors, in module order. */
export type StateDict = Record<string, Tensor>;
/** What `loadStateDict` accepts: a state dict, possibly as a Map or holding Variables. */
export type StateDictInput = Record<string, Tensor | Variable> | Map<string, Tensor | Variable>;

/** What a non-strict `loadStateDict` reports. PyTorch: the `_IncompatibleKeys` result. */
export interface LoadStateDictResult {
  /** Keys of the module that the state dict did not have (left unchanged). */
  missingKeys: string[];
  /** Keys of the state dict the module does not have (ignored). */
  unexpectedKeys: string[];
}

/** Missing or unexpected keys in a strict `loadStateDict`; the lists are also on the error. */
export class StateDictError extends ArgumentError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'StateDictError';
  constructor(
    message: string,
    /** Keys of the module that the state dict did not have. */
    readonly missingKeys: string[],
    /** Keys of the state dict that the module does not have. */
    readonly unexpectedKeys: string[],
  ) {
    super('loadStateDict', message);
  }
}

/** Every state-dict slot of `module`: key and the tensor that holds it (shared modules appear under each name). */
function slots(module: Module, prefix = '', out: [string, Tensor][] = []): [string, Tensor][] {
  for (const [name, p] of module.namedOwnParameters()) out.push([prefix + module.stateDictKey(name), p.data]);
  for (const [name, t, persistent] of module.namedOwnBuffers()) {
    if (persistent) out.push([prefix + module.stateDictKey(name), t]);
  }
  for (const [name, child] of module.namedChildren()) slots(child, `${prefix}${module.stateDictKey(name)}.`, out);
  return out;
}

export function stateDict(module: Module): StateDict {
  const sd: StateDict = {};
  for (const [key, t] of slots(module)) sd[key] = t;
  return sd;
}

function asTensor(v: Tensor | Variable): Tensor {
  return v instanceof Variable ? v.data : v;
}

export function loadStateDict(module: Module, sd: StateDictInput, strict: boolean): LoadStateDictResult {
  const op = 'loadStateDict';
  if (sd === null || typeof sd !== 'object' || Array.isArray(sd) || sd instanceof Tensor || sd instanceof Variable) {
    throw new ArgumentError(op, `expects a state dict (an object or Map of tensors), got ${describeValue(sd)}`);
  }
  checkBool(op, 'strict', strict);
  const given = sd instanceof Map ? sd : new Map(Object.entries(sd));
  for (const [key, v] of given) {
    if (!(v instanceof Tensor) && !(v instanceof Variable)) {
      throw new ArgumentError(op, `entry ${typeof key === 'string' ? `'${key}'` : describeValue(key)} must be a Tensor or a Variable, got ${describeValue(v)}`);
    }
  }
  const targets = slots(module);
  const expected = new Set(targets.map(([k]) => k));
  const missingKeys = targets.filter(([k]) => !given.has(k)).map(([k]) => k);
  const unexpectedKeys = [...given.keys()].filter((k) => !expected.has(k));
  const mismatches: string[] = [];
  for (const [key, target] of targets) {
    const src = given.get(key);
    if (src === undefined) continue;
    const srcShape = asTensor(src).shape;
    if (!sameShape(srcShape, target.shape)) {
      mismatches.push(`'${key}': checkpoint has shape ${fmtShape(srcShape)}, the model ${fmtShape(target.shape)}`);
    }
  }
  const listing = (label: string, keys: string[]) => (keys.length ? `; ${label} keys: ${keys.map((k) => `'${k}'`).join(', ')}` : '');
  const name = typeNameOf(module);
  if (mismatches.length > 0) {
    throw new ShapeError(
      'loadStateDict',
      `size mismatch in ${name}: ${mismatches.join('; ')}` +
        listing('missing', missingKeys) +
        listing('unexpected', unexpectedKeys),
    );
  }
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    throw new StateDictError(
      `error(s) loading state dict for ${name}` + listing('missing', missingKeys) + listing('unexpected', unexpectedKeys),
      missingKeys,
      unexpectedKeys,
    );
  }
  // Everything checked: copy in place, so optimizers holding these parameters keep seeing them.
  for (const [key, target] of targets) {
    const src = given.get(key);
    if (src !== undefined) target.copyFrom(asTensor(src));
  }
  return { missingKeys, unexpectedKeys };
}
