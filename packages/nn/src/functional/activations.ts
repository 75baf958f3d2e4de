// Activation functions: thin, validated wrappers over the differentiable Variable ops of @minigrad/autograd.
import { checkOptions } from '@minigrad/tensor';
import { checkVariable, type Variable } from '@minigrad/autograd';

export function relu(x: Variable): Variable {
  checkVariable('relu', 'input', x);
  return x.relu();
}

/** max(0, x) + negativeSlope * min(0, x); the gradient at 0 is negativeSlope, as PyTorch. */
export function leakyRelu(x: Variable, negativeSlope: number | { negativeSlope?: number } = 0.01): Variable {
  checkVariable('leakyRelu', 'input', x);
  return x.leakyRelu(typeof negativeSlope === 'number' ? negativeSlope : (checkOptions('leakyRelu', negativeSlope, ['negativeSlope']).negativeSlope ?? 0.01));
}

/** The exact erf form by default; `'tanh'` (or `{ approximate: 'tanh' }`) for the tanh approximation. */
export function gelu(x: Variable, approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none'): Variable {
  checkVariable('gelu', 'input', x);
  return x.gelu(typeof approximate === 'string' ? approximate : (checkOptions('gelu', approximate, ['approximate']).approximate ?? 'none'));
}

/** x * sigmoid(x) (also called swish). */
export function silu(x: Variable): Variable {
  checkVariable('silu', 'input', x);
  return x.mul(x.sigmoid());
}

export function sigmoid(x: Variable): Variable {
  checkVariable('sigmoid', 'input', x);
  return x.sigmoid();
}

export function tanh(x: Variable): Variable {
  checkVariable('tanh', 'input', x);
  return x.tanh();
}

/** log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (positionally or as options). */
export function softplus(x: Variable, beta: number | { beta?: number; threshold?: number } = 1, threshold = 20): Variable {
  checkVariable('softplus', 'input', x);
  const o = typeof beta === 'number' ? { beta, threshold } : checkOptions('softplus', beta, ['beta', 'threshold']);
  return x.softplus(o.beta ?? 1, o.threshold ?? 20);
}

export function softmax(x: Variable, dim: number): Variable {
  checkVariable('softmax', 'input', x);
  return x.softmax(dim);
}

export function logSoftmax(x: Variable, dim: number): Variable {
  checkVariable('logSoftmax', 'input', x);
  return x.logSoftmax(dim);
}
