// Activation functions: thin, validated wrappers over the differentiable Variable ops of @minigrad/autograd
// (a plain Tensor input is a constant: the result is a Variable either way).
import { checkOptions } from '@minigrad/tensor';
import { asVariable, type TensorLike, type Variable } from '@minigrad/autograd';

/** `max(x, 0)` elementwise. PyTorch: `torch.nn.functional.relu`. */
export function relu(x: TensorLike): Variable {
  x = asVariable(x, 'relu', 'input');
  return x.relu();
}

/** max(0, x) + negativeSlope * min(0, x); the gradient at 0 is negativeSlope, as PyTorch. */
export function leakyRelu(x: TensorLike, negativeSlope: number | { negativeSlope?: number } = 0.01): Variable {
  x = asVariable(x, 'leakyRelu', 'input');
  return x.leakyRelu(typeof negativeSlope === 'number' ? negativeSlope : (checkOptions('leakyRelu', negativeSlope, ['negativeSlope']).negativeSlope ?? 0.01));
}

/** The exact erf form by default; `'tanh'` (or `{ approximate: 'tanh' }`) for the tanh approximation. */
export function gelu(x: TensorLike, approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none'): Variable {
  x = asVariable(x, 'gelu', 'input');
  return x.gelu(typeof approximate === 'string' ? approximate : (checkOptions('gelu', approximate, ['approximate']).approximate ?? 'none'));
}

/** x * sigmoid(x) (also called swish). */
export function silu(x: TensorLike): Variable {
  x = asVariable(x, 'silu', 'input');
  return x.mul(x.sigmoid());
}

/** The logistic function elementwise. PyTorch: `torch.sigmoid`. */
export function sigmoid(x: TensorLike): Variable {
  x = asVariable(x, 'sigmoid', 'input');
  return x.sigmoid();
}

/** tanh elementwise. PyTorch: `torch.tanh`. */
export function tanh(x: TensorLike): Variable {
  x = asVariable(x, 'tanh', 'input');
  return x.tanh();
}

/** log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (positionally or as options). */
export function softplus(x: TensorLike, beta: number | { beta?: number; threshold?: number } = 1, threshold = 20): Variable {
  x = asVariable(x, 'softplus', 'input');
  const o = typeof beta === 'number' ? { beta, threshold } : checkOptions('softplus', beta, ['beta', 'threshold']);
  return x.softplus(o.beta ?? 1, o.threshold ?? 20);
}

/** Softmax over `dim`. PyTorch: `torch.nn.functional.softmax`. */
export function softmax(x: TensorLike, dim: number): Variable {
  x = asVariable(x, 'softmax', 'input');
  return x.softmax(dim);
}

/** Log-softmax over `dim`. PyTorch: `torch.nn.functional.log_softmax`. */
export function logSoftmax(x: TensorLike, dim: number): Variable {
  x = asVariable(x, 'logSoftmax', 'input');
  return x.logSoftmax(dim);
}
