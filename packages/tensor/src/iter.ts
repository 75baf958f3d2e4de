// The general strided path: walks an n-d index space as runs along its innermost (coalesced) dim.

/**
 * Calls `run(offsets, n, innerStrides)` once per innermost run of `shape`, where `offsets[k]` is where
 * operand k's run starts and `innerStrides[k]` its step inside the run. Dims that are contiguous for
 * every operand are merged first, so a contiguous (or uniformly strided) case is a single run.
 * `offsets` is reused between calls: read it, do not keep it.
 */
export function forEachRun(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  run: (offsets: number[], n: number, innerStrides: number[]) => void,
): void {
  const k = strides.length;
  const sizes: number[] = [];
  const st: number[][] = [];
  for (let j = 0; j < k; j++) st.push([]);
  // Coalesce from the innermost dim outwards, skipping size-1 dims.
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d];
    if (size === 0) return;
    if (size === 1) continue;
    const m = sizes.length;
    let merge = m > 0;
    for (let j = 0; j < k && merge; j++) {
      if (strides[j][d] !== st[j][m - 1] * sizes[m - 1]) merge = false;
    }
    if (merge) {
      sizes[m - 1] *= size;
    } else {
      sizes.push(size);
      for (let j = 0; j < k; j++) st[j].push(strides[j][d]);
    }
  }
  const offs = offsets.slice();
  const m = sizes.length;
  if (m === 0) {
    run(offs, 1, new Array<number>(k).fill(0));
    return;
  }
  // sizes/st are innermost-first now.
  const inner = new Array<number>(k);
  for (let j = 0; j < k; j++) inner[j] = st[j][0];
  const n = sizes[0];
  const counter = new Array<number>(m).fill(0);
  for (;;) {
    run(offs, n, inner);
    let d = 1;
    for (; d < m; d++) {
      counter[d]++;
      for (let j = 0; j < k; j++) offs[j] += st[j][d];
      if (counter[d] < sizes[d]) break;
      counter[d] = 0;
      for (let j = 0; j < k; j++) offs[j] -= st[j][d] * sizes[d];
    }
    if (d === m) return;
  }
}
