// grad(): gradients of outputs with respect to chosen inputs, returned instead of accumulated.
import { ArgumentError, ShapeError, checkBool, describeValue, onesLike, type Tensor, fmtShape } from '@minigrad/tensor';
import { runBackward } from './engine.js';
import { givenSeed, graphOptions } from './seed.js';
import { Variable } from './variable.js';

/** Options of `grad`. */
export interface GradOptions {
  /** One gradient per output (required for non-scalar outputs). */
  gradOutputs?: Variable | Tensor | (Variable | Tensor | null)[] | null;
  /** Keep saved tensors for another backward (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass so the result can be differentiated again. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** One Variable or a non-empty array of them. */
function variables(name: string, x: unknown): Variable[] {
  const xs = list(x);
  if (xs.length === 0) throw new ArgumentError('grad', `${name} must not be empty`);
  xs.forEach((v, i) => {
    if (!(v instanceof Variable)) throw new ArgumentError('grad', `${name}[${i}] must be a Variable, got ${describeValue(v)}`);
  });
  return xs as Variable[];
}

/**
 * The gradients of sum(outputs[i] * gradOutputs[i]) with respect to each input (like torch.autograd.grad).
 * Nothing is accumulated into `.grad`. With createGraph the results have a graph of their own.
 */
export function grad(outputs: Variable | Variable[], inputs: Variable | Variable[], options: GradOptions = {}): (Variable | null)[] {
  const opts = graphOptions('grad', options, ['gradOutputs', 'allowUnused']);
  const allowUnused = checkBool('grad', 'allowUnused', opts.allowUnused ?? false);
  const outs = variables('outputs', outputs);
  const ins = variables('inputs', inputs);
  const given = opts.gradOutputs === undefined || opts.gradOutputs === null ? [] : list(opts.gradOutputs);
  if (given.length > 0 && given.length !== outs.length) {
    throw new ArgumentError('grad', `got ${given.length} gradOutputs for ${outs.length} outputs`);
  }
  const seeds: Variable[] = [];
  for (let i = 0; i < outs.length; i++) {
    const out = outs[i];
    if (!out.requiresGrad) throw new ArgumentError('grad', `output ${i} does not require grad and has no gradFn`);
    const g = given[i];
    if (g === undefined || g === null) {
      if (out.numel() !== 1) {
        throw new ShapeError('grad', `output ${i} has shape ${fmtShape(out.shape)}: gradOutputs are required for non-scalar outputs`);
      }
      seeds.push(new Variable(onesLike(out.data)));
    } else {
      seeds.push(givenSeed('grad', `gradOutputs[${i}]`, `output ${i}`, out, g));
    }
  }
  for (let i = 0; i < ins.length; i++) {
    if (!ins[i].requiresGrad) throw new ArgumentError('grad', `input ${i} (shape ${fmtShape(ins[i].shape)}) does not require grad`);
  }
  const result = runBackward(outs, seeds, { retainGraph: opts.retainGraph, createGraph: opts.createGraph, inputs: ins })!;
  if (!allowUnused) {
    for (let i = 0; i < ins.length; i++) {
      if (result[i] === null) {
        throw new ArgumentError(
          'grad',
          `input ${i} (shape ${fmtShape(ins[i].shape)}) was not used in the graph of the outputs; pass { allowUnused: true } to get null for it`,
        );
      }
    }
  }
  return result;
}
