// Who owns a leaf's `.grad`, so that a training loop does not allocate its gradients afresh every step.
//
// backward stores a leaf's gradient without a copy when the buffer is its own (engine.ts), and marks it
// unseen (Variable.gradUnseen). Reading `.grad` marks it seen: the reader may keep it. Optimizers and
// clipping read it through peekGrad instead, since they only read it or write it in place and keep no
// reference. When a gradient that is still unseen is dropped (zeroGrad's default, set to null), nobody can
// hold it, so its memory goes back to the backend's pool and the next backward's gradient of that size
// reuses it. On the 2-core VM of apps/bench/README.md a fresh 3.2 MB array and its first write took 0.44 ms
// (median; one in ten over 12 ms) against 0.07 ms for a reused one, and the big weight gradients were fresh
// in every step.
import { getBackend } from '@minigrad/tensor';
import type { Variable } from './variable.js';

/** p's gradient, without marking it seen: for code that reads it or writes it in place and keeps no reference. */
export function peekGrad(p: Variable): Variable | null {
  return p.peekGrad();
}

/**
 * Sets p's gradient to null (as `p.grad = null`). A gradient nobody has seen, whose tensor covers its whole
 * storage, goes back to the backend's pool (and its storage is left empty, so a stray reference fails loudly).
 */
export function dropGrad(p: Variable): void {
  const g = p.peekGrad();
  if (g !== null && p.gradUnseen && coversStorage(g)) getBackend().recycle?.(g.data.storage);
  p.installGrad(null);
}

/** Whether g's tensor is its storage, whole: recycling it cannot take elements from another tensor. */
export function coversStorage(g: Variable): boolean {
  const t = g.data;
  return t.offset === 0 && t.numel() === t.storage.size && t.isContiguous();
}
