// Activation functions: thin, validated wrappers over the differentiable Variable ops of @minigrad/autograd.
import type { Variable } from '@minigrad/autograd';

export function relu(x: Variable): Variable {
  return x.relu();
}

/** max(0, x) + negativeSlope * min(0, x); the gradient at 0 is negativeSlope, as PyTorch. */
export function leakyRelu(x: Variable, negativeSlope = 0.01): Variable {
  return x.leakyRelu(negativeSlope);
}

/** The exact erf form by default; `approximate: 'tanh'` for the tanh approximation. */
export function gelu(x: Variable, { approximate = 'none' }: { approximate?: 'none' | 'tanh' } = {}): Variable {
  return x.gelu(approximate);
}

/** x * sigmoid(x) (also called swish). */
export function silu(x: Variable): Variable {
  return x.mul(x.sigmoid());
}

export function sigmoid(x: Variable): Variable {
  return x.sigmoid();
}

export function tanh(x: Variable): Variable {
  return x.tanh();
}

/** log(1 + exp(beta x)) / beta, and x itself where beta x > threshold. */
export function softplus(x: Variable, { beta = 1, threshold = 20 }: { beta?: number; threshold?: number } = {}): Variable {
  return x.softplus(beta, threshold);
}

export function softmax(x: Variable, dim: number): Variable {
  return x.softmax(dim);
}

export function logSoftmax(x: Variable, dim: number): Variable {
  return x.logSoftmax(dim);
}
