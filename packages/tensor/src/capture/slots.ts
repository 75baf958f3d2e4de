// The tensors a compiled function passes its fn in place of the caller's tensor arguments. A replay repeats
// kernel calls on the very arrays of its trace, so fn must see the same tensors on every call: compile keeps one
// tensor of its own per tensor argument and copies each call's values into it (as a CUDA graph's user copies a
// batch into its static input). The caller may then pass a fresh tensor every call, as from a data loader.
import { scopes } from '../allocation-scope.js';
import { backendOf } from '../backend.js';
import { zerosLike } from '../creation.js';
import { DISPATCH } from '../dispatch.js';
import { sameShape } from '../shape.js';
import type { Storage } from '../storage.js';
import { Tensor } from '../tensor.js';
import { pinArray } from './recording.js';

/** compile's own tensor for one argument: `value` is what fn receives (a Tensor, or a constant tensor-like). */
interface Slot {
  readonly value: unknown;
  readonly tensor: Tensor;
}

export class InputSlots {
  private readonly slots: (Slot | undefined)[] = [];

  /**
   * `args` with each tensor argument replaced by its slot, holding the argument's values. A tensor-like that
   * requires grad is passed as it is (its gradient must reach it), as is anything that is not a tensor.
   */
  fill(args: readonly unknown[]): unknown[] {
    return args.map((a, i) => {
      const t = slotTensorOf(a);
      if (t === null) return a;
      let slot = this.slots[i];
      if (slot === undefined || !sameShape(slot.tensor.shape, t.shape) || slot.tensor.dtype !== t.dtype || (slot.value instanceof Tensor) !== (a instanceof Tensor)) {
        slot = this.slots[i] = makeSlot(a, t);
      }
      slot.tensor.copyFrom(t);
      return slot.value;
    });
  }
}

/** A Tensor itself, a tensor-like's (a Variable's) tensor, else null. */
export function tensorOf(v: unknown): Tensor | null {
  if (v instanceof Tensor) return v;
  const data = typeof v === 'object' && v !== null && DISPATCH in v ? (v as { data?: unknown }).data : null;
  return data instanceof Tensor ? data : null;
}

/** The tensor of an argument that gets a slot: a Tensor, or a tensor-like (Variable) that does not require grad. */
function slotTensorOf(a: unknown): Tensor | null {
  return (a as { requiresGrad?: unknown } | null)?.requiresGrad === true ? null : tensorOf(a);
}

/**
 * A zero tensor shaped like `a` (a constant tensor-like for a tensor-like, through zerosLike's dispatch), in no
 * enclosing tidy() scope: it lives as long as the compiled function, pinned like the storage of its traces.
 */
function makeSlot(a: unknown, t: Tensor): Slot {
  const scope: Storage[] = [];
  scopes.push(scope);
  let value: unknown;
  try {
    value = a instanceof Tensor ? Tensor.zeros(t.shape, t.dtype) : zerosLike(a as Tensor);
  } finally {
    scopes.pop();
  }
  for (const s of scope) {
    pinArray(s.data);
    backendOf(s).pin?.(s);
  }
  return { value, tensor: value instanceof Tensor ? value : ((value as { data: Tensor }).data) };
}
