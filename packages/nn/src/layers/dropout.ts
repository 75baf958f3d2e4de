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

  constructor(p = 0.5, { generator }: { generator?: Generator } = {}) {
    super();
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
