// grad(): gradients of outputs with respect to chosen inputs, returned instead of accumulated.
import { ArgumentError, ShapeError, onesLike, type Tensor, fmtShape } from '@minigrad/tensor';
import { runBackward } from './engine.js';
import { sameShape } from './reduce-to.js';
import { Variable } from './variable.js';

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

/**
 * The gradients of sum(outputs[i] * gradOutputs[i]) with respect to each input (like torch.autograd.grad).
 * Nothing is accumulated into `.grad`. With createGraph the results have a graph of their own.
 */
export function grad(outputs: Variable | Variable[], inputs: Variable | Variable[], opts: GradOptions = {}): (Variable | null)[] {
  const outs = list(outputs);
  const ins = list(inputs);
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
      const gv = g instanceof Variable ? g : new Variable(g);
      if (!sameShape(gv.shape, out.shape)) {
        throw new ShapeError('grad', `gradOutputs[${i}] has shape ${fmtShape(gv.shape)} but output ${i} has shape ${fmtShape(out.shape)}`);
      }
      seeds.push(gv);
    }
  }
  for (let i = 0; i < ins.length; i++) {
    if (!ins[i].requiresGrad) throw new ArgumentError('grad', `input ${i} (shape ${fmtShape(ins[i].shape)}) does not require grad`);
  }
  const createGraph = opts.createGraph ?? false;
  const result = runBackward(outs, seeds, { retainGraph: opts.retainGraph ?? createGraph, createGraph, inputs: ins })!;
  if (!opts.allowUnused) {
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
