// A layer's size argument: one number for both spatial dims, or [h, w] (checked by checkPair of @minigrad/tensor).
import type { Pair } from '@minigrad/tensor';

export type { Pair };
