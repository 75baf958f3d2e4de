// Parameter: a leaf Variable that a Module registers as a trainable weight when it is assigned as a property.
import type { Tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';

/**
 * A leaf Variable that a Module registers as a trainable weight when it is assigned as a property; it
 * requires grad by default. PyTorch: `torch.nn.Parameter`.
 */
export class Parameter extends Variable {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Parameter';
  /** Wraps `data` (shared, not copied; a Variable contributes its data) as a leaf that requires grad by default. */
  constructor(data: Tensor | Variable, requiresGrad = true) {
    super(data instanceof Variable ? data.data : data, requiresGrad);
  }

  /** As PyTorch prints a parameter: `Parameter containing:` over the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
