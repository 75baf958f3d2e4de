// The op registry: every differentiable op is declared here once (forward, gradient, sample inputs).
// This module has no runtime imports so that op files can register themselves in any import order.
import type { Tensor } from '@minigrad/tensor';
import type { Node } from './tape-node.js';
import type { Variable } from './variable.js';

/** One sample input of an op, used by gradcheck over the registry and its non-contiguous variants. */
export interface OpSample<A = unknown> {
  /** Differentiable inputs (float64 for gradcheck). */
  inputs: Tensor[];
  /** Non-differentiable arguments (dims, options, index tensors...). */
  args: A;
  /** Short description shown in test names. */
  label?: string;
  /**
   * Which automatically derived non-contiguous variants make sense for this sample (default all).
   * 'expanded' repeats values, so ops with ties at repeated values (max, pooling) leave it out.
   */
  variants?: readonly VariantKind[];
}

/** The non-contiguous layouts an op's samples are also checked on. */
export type VariantKind = 'transposed' | 'sliced' | 'expanded';

/**
 * What an op's forward may leave for its backward (ctx.aux of its node) and its caller (applyOpWithAux):
 * a second, non-differentiable output.
 */
export interface ForwardCtx<X = unknown> {
  /** The auxiliary output the forward sets (null when it has none). */
  aux: X | null;
}

/** An op with arguments A whose forward may leave an auxiliary output X (see ForwardCtx). */
export interface OpDef<A = any, X = unknown> {
  /** Name shown in tape listings, graphs and error messages. */
  readonly name: string;
  /** Computes the output from the input tensors with tensor ops. */
  forward(xs: Tensor[], args: A, ctx: ForwardCtx<X>): Tensor;
  /**
   * Returns one gradient per input (null where none), written with Variable ops so that it is itself
   * recorded under createGraph. Gradients may keep a broadcast shape: the engine sums them back to the
   * input's shape.
   */
  backward(ctx: Node<A, X>, grad: Variable): (Variable | null)[];
  /**
   * What the gradients returned by backward (without createGraph) are, so that the engine can keep them as
   * buffers of its own (accumulate into them in place, store them as a leaf's .grad without a copy):
   * 'fresh' — each is a newly allocated tensor (not an expanded view) that nothing else references: not the
   * incoming gradient, not a saved tensor, not another returned gradient; 'view' — the op has one input and
   * its gradient is the incoming gradient or a view of it covering each element once (reshape, permute).
   * Unset: the gradients may alias something (e.g. add returns the incoming gradient twice).
   */
  readonly gradOwnership?: 'fresh' | 'view';
  /** Keep the input Variables for the backward (ctx.inputs). */
  readonly saveInputs?: boolean;
  /** Keep the output Variable for the backward (ctx.output). */
  readonly saveOutput?: boolean;
  /** Sample inputs for gradcheck over the registry. */
  readonly samples?: () => OpSample<A>[];
}

/** Every registered op by name, in registration order. */
export const registry = new Map<string, OpDef>();

/**
 * Declares a differentiable op. Call it through `applyOp(op, inputs, args)`; other packages (nn's fused
 * normalizations, losses) register their own ops the same way.
 */
export function defineOp<A, X = unknown>(def: OpDef<A, X>): OpDef<A, X> {
  if (registry.has(def.name)) throw new Error(`defineOp: an op named '${def.name}' is already registered`);
  registry.set(def.name, def as unknown as OpDef);
  return def;
}
