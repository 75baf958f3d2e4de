// Activation modules: each wraps its functional form in F. Options may be given positionally (PyTorch's order)
// or as an options object (`new Softplus({ beta: 2 })`), as Python callers usually pass them by keyword.
import { ArgumentError, checkNumber, checkOptions, describeName, describeValue } from '@minigrad/tensor';
import type { TensorLike, Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import * as A from '../functional/activations.js';
import { pyFloat, pyNumber } from '../repr.js';

export class ReLU extends Module {
  static override readonly typeName: string = 'ReLU';
  override forward(x: TensorLike): Variable {
    return A.relu(x);
  }
}

export class LeakyReLU extends Module {
  static override readonly typeName: string = 'LeakyReLU';
  readonly negativeSlope: number;
  constructor(negativeSlope: number | { negativeSlope?: number } = 0.01) {
    super();
    const slope = typeof negativeSlope === 'number' ? negativeSlope : (checkOptions('LeakyReLU', negativeSlope, ['negativeSlope']).negativeSlope ?? 0.01);
    this.negativeSlope = checkNumber('LeakyReLU', 'negativeSlope', slope);
  }
  override forward(x: TensorLike): Variable {
    return A.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

export class GELU extends Module {
  static override readonly typeName: string = 'GELU';
  readonly approximate: 'none' | 'tanh';
  constructor(approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none') {
    super();
    this.approximate = typeof approximate === 'string' ? approximate : (checkOptions('GELU', approximate, ['approximate']).approximate ?? 'none');
    if (this.approximate !== 'none' && this.approximate !== 'tanh') {
      throw new ArgumentError('GELU', `approximate must be 'none' or 'tanh', got ${describeName(this.approximate)}`);
    }
  }
  override forward(x: TensorLike): Variable {
    return A.gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class SiLU extends Module {
  static override readonly typeName: string = 'SiLU';
  override forward(x: TensorLike): Variable {
    return A.silu(x);
  }
}

export class Sigmoid extends Module {
  static override readonly typeName: string = 'Sigmoid';
  override forward(x: TensorLike): Variable {
    return A.sigmoid(x);
  }
}

export class Tanh extends Module {
  static override readonly typeName: string = 'Tanh';
  override forward(x: TensorLike): Variable {
    return A.tanh(x);
  }
}

export class Softplus extends Module {
  static override readonly typeName: string = 'Softplus';
  readonly beta: number;
  readonly threshold: number;
  constructor(beta: number | { beta?: number; threshold?: number } = 1, threshold = 20) {
    super();
    const opts = typeof beta === 'number' ? { beta, threshold } : checkOptions('Softplus', beta, ['beta', 'threshold']);
    this.beta = checkNumber('Softplus', 'beta', opts.beta ?? 1);
    this.threshold = checkNumber('Softplus', 'threshold', opts.threshold ?? 20);
  }
  override forward(x: TensorLike): Variable {
    return A.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${pyNumber(this.beta)}, threshold=${pyNumber(this.threshold)}`;
  }
}

function dimOf(layer: string, dim: number | { dim?: number } | undefined): number {
  const d = typeof dim === 'object' && dim !== null && !Array.isArray(dim) ? checkOptions(layer, dim, ['dim']).dim : dim;
  if (d === undefined) throw new ArgumentError(layer, 'needs the dim to normalize over (PyTorch deprecated the implicit choice)');
  if (!Number.isSafeInteger(d)) throw new ArgumentError(layer, `dim must be an integer, got ${describeValue(d)}`);
  return d as number;
}

export class Softmax extends Module {
  static override readonly typeName: string = 'Softmax';
  readonly dim: number;
  constructor(dim: number | { dim?: number }) {
    super();
    this.dim = dimOf('Softmax', dim);
  }
  override forward(x: TensorLike): Variable {
    return A.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  static override readonly typeName: string = 'LogSoftmax';
  readonly dim: number;
  constructor(dim: number | { dim?: number }) {
    super();
    this.dim = dimOf('LogSoftmax', dim);
  }
  override forward(x: TensorLike): Variable {
    return A.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
