// Shape comparisons for the per-call input checks of the normalizations, without allocating (equality is
// sameShape of @minigrad/tensor).

/** Whether `shape` ends with the dims of `suffix`. */
export function endsWithShape(shape: readonly number[], suffix: readonly number[]): boolean {
  const offset = shape.length - suffix.length;
  if (offset < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (shape[offset + i] !== suffix[i]) return false;
  return true;
}
