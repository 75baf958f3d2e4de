// A layer's size argument (one number for both spatial dims, or [h, w]) as the [h, w] it prints.
import type { Pair } from '@minigrad/tensor';

export type { Pair };

export function pair(v: Pair): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}
