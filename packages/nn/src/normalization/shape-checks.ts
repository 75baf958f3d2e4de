// Shape comparisons for the per-call input checks of the normalizations and losses, without allocating.

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `shape` ends with the dims of `suffix`. */
export function endsWithShape(shape: readonly number[], suffix: readonly number[]): boolean {
  const offset = shape.length - suffix.length;
  if (offset < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (shape[offset + i] !== suffix[i]) return false;
  return true;
}
