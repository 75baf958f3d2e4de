// tidy(fn): memory that fn allocated and did not hand out goes back to the backend's pool when fn returns
// (TensorFlow.js's tf.tidy). Tensors have no destructor, and the garbage collector returns a large typed array
// to the operating system, so the next array of that size is fresh memory again (on the 2-core VM of
// apps/bench/README.md, 0.44 ms for a fresh 3.2 MB array and its first write against 0.07 ms for a reused
// one). In a training loop the
// activations of one step are dead once the step is done, and only the code around them knows it: tidy lets
// it say so.
//
// What survives a scope: every tensor reachable from fn's return value (through arrays, plain objects and
// tensor-likes such as autograd's Variable, whose `.data` is a Tensor), everything passed to `keep`, and what
// the library keeps on its own: leaves that require grad, gradients stored in `.grad`, optimizer state,
// module buffers. Everything else fn allocated (storages made by `Tensor.zeros`, which every op's output comes
// from) is released: its array goes to the pool and the storage is left empty, so a tensor wrongly kept
// (say, pushed into an outer array) throws on its next use instead of reading someone else's numbers.
// Arrays handed in by the user (`tensor(typedArray)`, `fromArray`) are never recycled: the user may hold them.
//
// Because the scope reports every storage's end, a backend may give it storage its kernels read in place
// (`allocResident`: the wasm backend's wasm memory). What survives the outermost scope is evicted to an
// ordinary array when its scope ends, and so is what is kept, unless the backend can tell on its own when it
// is dead (the wasm backend, for kept float32 storage of 16 KB or more: the garbage collector reports it, see
// kernels/wasm/resident.ts). A raw typed array read from `.data` inside a scope is therefore valid only until
// that scope ends, unless its tensor was kept.
import { DISPATCH } from './dispatch.js';
import { ArgumentError } from './errors.js';
import { kept, scopes } from './allocation-scope.js';
import { backendOf } from './backend.js';
import type { Storage } from './storage.js';
import { Tensor } from './tensor.js';
import { checkFunction, isThenable } from './validate.js';

/**
 * Runs fn and then releases the memory of every tensor fn allocated that is not reachable from its result
 * and was not kept (see the file comment). Scopes nest: what an inner tidy returns belongs to the outer one.
 * fn must be synchronous (a Promise is refused, after the scope is closed). TensorFlow.js: `tf.tidy`.
 *
 * ```js
 * for (const [x, y] of loader) {
 *   const loss = tidy(() => {
 *     optimizer.zeroGrad();
 *     const loss = F.crossEntropy(model.call(x), y);
 *     loss.backward();
 *     optimizer.step();
 *     return loss.item();       // a number: every activation of the step goes back to the pool
 *   });
 * }
 * ```
 */
export function tidy<T>(fn: () => T): T {
  checkFunction('tidy', 'fn', fn);
  const mine: Storage[] = [];
  scopes.push(mine);
  let out: T;
  let survivors = new Set<Storage>();
  try {
    out = fn();
    survivors = reachableStorages(out);
  } finally {
    scopes.pop();
    const outer = scopes.length === 0 ? null : scopes[scopes.length - 1];
    // Kept storages, and what survives the outermost scope, leave scopes for good: evict moves one that
    // lives in the kernels' memory (allocResident) to an ordinary array, or leaves a kept one there when the
    // backend can free it once the garbage collector finds it dead.
    for (const s of mine) {
      const backend = backendOf(s);
      if (kept.has(s)) backend.evict?.(s, true);
      else if (!survivors.has(s)) backend.recycle?.(s);
      else if (outer !== null) outer.push(s);
      else backend.evict?.(s);
    }
  }
  if (isThenable(out)) {
    out.then(undefined, () => undefined);
    throw new ArgumentError('tidy', 'fn returned a Promise (an async function?): the scope ended at its first await. Wrap only the synchronous work: await outside tidy');
  }
  return out;
}

/**
 * Makes the tensors in `value` (a Tensor, a tensor-like such as a Variable, or arrays and plain objects of
 * them) outlive every enclosing tidy scope; returns `value`. TensorFlow.js: `tf.keep`.
 */
export function keep<T>(value: T): T {
  // Outside every scope nothing is tracked, so there is nothing to keep.
  if (scopes.length === 0) return value;
  for (const s of reachableStorages(value)) kept.add(s);
  return value;
}

/** The storages of every tensor in value: Tensors, tensor-likes' `.data`, arrays and plain objects of them. */
function reachableStorages(value: unknown): Set<Storage> {
  const found = new Set<Storage>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Tensor) found.add(v.storage);
    else if (DISPATCH in v) visit((v as { data?: unknown }).data);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof Map) v.forEach(visit);
    else if (Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}
