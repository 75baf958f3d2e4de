// Embedding layer: a lookup table of numEmbeddings vectors of size embeddingDim.
import { ArgumentError, describeValue } from '@minigrad/tensor';
import type { DType, Tensor } from '@minigrad/tensor';
import type { Variable } from '@minigrad/autograd';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { embedding } from '../functional/embedding.js';
import { normal_ } from '../init.js';
import { emptyParameter } from './init-defaults.js';
import { checkParamDType, checkPositiveInt, layerOptions } from './layer-options.js';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** This row starts at zero and never receives a gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Dtype of the parameters (and buffers): 'float32' (default) or 'float64'. PyTorch: the `dtype` argument. */
  dtype?: DType;
}

/**
 * A lookup table: maps int indices to rows of a learnable [numEmbeddings, embeddingDim] weight.
 * PyTorch: `torch.nn.Embedding`.
 */
export class Embedding extends Module {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'Embedding';
  /** Number of rows (the vocabulary size). */
  readonly numEmbeddings: number;
  /** Size of each row. */
  readonly embeddingDim: number;
  /** The row that starts at zero and never receives a gradient, or null. */
  readonly paddingIdx: number | null;
  /** The embedding table [numEmbeddings, embeddingDim]. */
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts?: EmbeddingOptions) {
    super();
    const { paddingIdx = null, dtype = 'float32' } = layerOptions('Embedding', opts, ['paddingIdx', 'dtype']);
    checkPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    checkPositiveInt('Embedding', 'embeddingDim', embeddingDim);
    checkParamDType('Embedding', dtype);
    if (paddingIdx !== null && (!Number.isInteger(paddingIdx) || paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
      throw new ArgumentError('Embedding', `paddingIdx ${describeValue(paddingIdx)} must be within num_embeddings ${numEmbeddings}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = emptyParameter([numEmbeddings, embeddingDim], dtype);
    this.resetParameters();
  }

  /** N(0, 1), with the padding row zeroed (PyTorch's default). */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) this.weight.data.select(0, this.paddingIdx).fill(0);
  }

  override forward(indices: Tensor | Variable): Variable {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  protected override signature(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}` + (this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`);
  }
}
