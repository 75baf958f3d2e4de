// Summing a gradient back to the shape of a broadcast input: over leading dims that broadcasting added
// and over dims of size 1 that were expanded (also to a 0-d shape). Written with Variable ops so that it
// is recorded under createGraph.
import { ShapeError, fmtShape } from '@minigrad/tensor';
import type { Variable } from './variable.js';

export function reduceTo(g: Variable, shape: readonly number[], opName: string): Variable {
  const gs = g.shape;
  const lead = gs.length - shape.length;
  const dims: number[] = [];
  let ok = lead >= 0;
  for (let d = 0; ok && d < gs.length; d++) {
    if (d < lead) dims.push(d);
    else if (shape[d - lead] === 1 && gs[d] !== 1) dims.push(d);
    else if (shape[d - lead] !== gs[d]) ok = false;
  }
  if (!ok) {
    throw new ShapeError(
      opName,
      `backward produced a gradient of shape ${fmtShape(gs)} that cannot be summed to the input shape ${fmtShape(shape)}`,
    );
  }
  const summed = dims.length > 0 ? g.sum(dims, true) : g;
  return summed.reshape(shape as number[]);
}
