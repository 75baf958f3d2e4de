// Dropout layer: active in training mode, the identity in eval mode.
import { ArgumentError, Generator, checkOptions, describeValue } from '@minigrad/tensor';
import type { TensorLike, Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import { checkDropoutP, dropout } from '../functional/dropout.js';
import { pyBool, pyFloat } from '../repr.js';

/**
 * In training mode zeroes each element with probability `p` and scales the rest by 1 / (1 - p); in eval mode
 * returns its input. PyTorch: `torch.nn.Dropout`.
 */
export class Dropout extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Dropout';
  /** Probability that an element is zeroed in training mode (the others are scaled by 1 / (1 - p)). */
  readonly p: number;
  /** Draws the masks; the global generator when absent. */
  generator: Generator | undefined;

  /** `new Dropout(0.2, { generator })` or `new Dropout({ p: 0.2, generator })`. */
  constructor(p: number | { p?: number; generator?: Generator } = 0.5, opts: { generator?: Generator } = {}) {
    super();
    let { generator } = checkOptions('Dropout', opts, ['generator']);
    if (typeof p !== 'number') {
      const o = checkOptions('Dropout', p, ['p', 'generator']);
      generator = o.generator;
      p = o.p ?? 0.5;
    }
    if (generator !== undefined && !(generator instanceof Generator)) {
      throw new ArgumentError('Dropout', `generator must be a Generator, got ${describeValue(generator)}`);
    }
    checkDropoutP('Dropout', p);
    this.p = p;
    this.generator = generator;
  }

  override forward(x: TensorLike): Variable {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(false)}`;
  }
}
