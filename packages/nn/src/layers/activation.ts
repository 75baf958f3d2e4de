// Activation modules: each wraps its functional form in F. Options may be given positionally (PyTorch's order)
// or as an options object (`new Softplus({ beta: 2 })`), as Python callers usually pass them by keyword.
import { ArgumentError, checkNumber, checkOptions, describeName, describeValue } from '@minigrad/tensor';
import type { TensorLike, Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import * as A from '../functional/activations.js';
import { pyFloat, pyNumber } from '../repr.js';

/** Applies `max(x, 0)` elementwise. PyTorch: `torch.nn.ReLU`. */
export class ReLU extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'ReLU';
  override forward(x: TensorLike): Variable {
    return A.relu(x);
  }
}

/** Applies `x > 0 ? x : negativeSlope * x` elementwise. PyTorch: `torch.nn.LeakyReLU`. */
export class LeakyReLU extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'LeakyReLU';
  /** Slope for negative inputs (default 0.01). */
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

/** Applies GELU `x * Phi(x)` elementwise (exact, or its tanh approximation). PyTorch: `torch.nn.GELU`. */
export class GELU extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'GELU';
  /** 'none' (exact erf form, default) or 'tanh'. */
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

/** Applies `x * sigmoid(x)` elementwise. PyTorch: `torch.nn.SiLU`. */
export class SiLU extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'SiLU';
  override forward(x: TensorLike): Variable {
    return A.silu(x);
  }
}

/** Applies the logistic function elementwise. PyTorch: `torch.nn.Sigmoid`. */
export class Sigmoid extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Sigmoid';
  override forward(x: TensorLike): Variable {
    return A.sigmoid(x);
  }
}

/** Applies tanh elementwise. PyTorch: `torch.nn.Tanh`. */
export class Tanh extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Tanh';
  override forward(x: TensorLike): Variable {
    return A.tanh(x);
  }
}

/** Applies `log(1 + e^(beta x)) / beta` elementwise (x itself above the threshold). PyTorch: `torch.nn.Softplus`. */
export class Softplus extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Softplus';
  /** The beta of `log(1 + e^(beta x)) / beta` (default 1). */
  readonly beta: number;
  /** Above `beta * x > threshold` the output is x itself (default 20). */
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

/** Softmax over `dim`. PyTorch: `torch.nn.Softmax`. */
export class Softmax extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Softmax';
  /** The dimension the softmax is taken over. */
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

/** Log-softmax over `dim`. PyTorch: `torch.nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'LogSoftmax';
  /** The dimension the softmax is taken over. */
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
