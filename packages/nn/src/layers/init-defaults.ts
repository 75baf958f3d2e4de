// PyTorch's default initialization of Linear/Conv-like layers (their reset_parameters).
import { keptZeros } from '@minigrad/tensor/internal';
import type { DType } from '@minigrad/tensor';
import { Parameter } from '../parameter.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';

/**
 * A new parameter of `shape`, filled by the layer's init right after. Its storage is kept storage (keptZeros):
 * on the wasm backend a float32 one of 16 KB or more lives in wasm memory, where the kernels read the weight in
 * place every step instead of copying it in, until the parameter is garbage collected (tensor's
 * kernels/wasm/resident.ts).
 */
export function emptyParameter(shape: number[], dtype: DType = 'float32'): Parameter {
  return new Parameter(keptZeros(shape, dtype));
}

/**
 * Weight ~ kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)); bias ~ the same range.
 * `fanInOf` is the tensor whose fan-in sets the bias range (the weight itself for Linear and Conv2d).
 */
export function resetLinearLike(weight: Parameter, bias: Parameter | null, fanInOf: Parameter = weight): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias !== null) {
    const { fanIn } = calculateFanInAndFanOut(fanInOf);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}
