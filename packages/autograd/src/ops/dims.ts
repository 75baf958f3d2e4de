// Dim bookkeeping shared by the reductions' gradients (dims are validated by the forward already).

/** The reduced dims, normalized and sorted; all dims when `dim` is undefined. */
export function reducedDims(dim: number | readonly number[] | undefined, ndim: number): number[] {
  if (dim === undefined) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  const list = typeof dim === 'number' ? [dim] : dim;
  const out: number[] = [];
  for (const d of list) {
    const n = d < 0 ? d + ndim : d;
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

/** The input shape with the reduced dims set to 1 (the keepdim shape of a reduction). */
export function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  const out = shape.slice();
  for (const d of dims) out[d] = 1;
  return out;
}

/** The number of elements reduced into each output element. */
export function reducedCount(shape: readonly number[], dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= shape[d];
  return n;
}

/** Normalizes one dim (possibly negative) of a tensor with `ndim` dims. */
export function normDim(dim: number, ndim: number): number {
  return dim < 0 ? dim + ndim : dim;
}
