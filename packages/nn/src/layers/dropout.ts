// Dropout layer: active in training mode, the identity in eval mode.
import type { Generator } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import { checkDropoutP, dropout } from '../functional/dropout.js';
import { pyBool, pyFloat } from '../repr.js';

export class Dropout extends Module {
  readonly p: number;
  /** Draws the masks; the global generator when absent. */
  generator: Generator | undefined;

  /** `new Dropout(0.2, { generator })` or `new Dropout({ p: 0.2, generator })`. */
  constructor(p: number | { p?: number; generator?: Generator } = 0.5, { generator }: { generator?: Generator } = {}) {
    super();
    if (typeof p !== 'number') {
      generator = p.generator;
      p = p.p ?? 0.5;
    }
    checkDropoutP('Dropout', p);
    this.p = p;
    this.generator = generator;
  }

  override forward(x: Variable): Variable {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(false)}`;
  }
}
