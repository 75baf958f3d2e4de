// The pure TypeScript kernels, by registry name. The registry builds its 'js' table from this object, so the
// kernels are reachable from code that uses them (a side-effect-only import would be dropped by bundlers,
// since the package declares `sideEffects: false`).
import type { Kernel } from '../registry.js';
import { binaryKernels, fill, unaryKernels, where } from './elementwise.js';
import { accumulate, argReduceKernels, reduceKernels, sumChannels } from './reduce.js';
import { gemm } from './gemm.js';
import { addChannelBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from './conv.js';
import * as pool from './pool.js';
import { sgd } from './optim-sgd.js';
import { adam } from './optim-adam.js';
import { rmsprop } from './optim-rmsprop.js';
import { adagrad } from './optim-adagrad.js';
import { reluBackward } from './relu-backward.js';
import { normApply, normBackward, normStats } from './norm.js';

function prefixed(prefix: string, kernels: Record<string, Kernel>): Record<string, Kernel> {
  const out: Record<string, Kernel> = {};
  for (const [name, k] of Object.entries(kernels)) out[`${prefix}.${name}`] = k;
  return out;
}

export const jsKernels: Record<string, Kernel> = {
  ...prefixed('unary', unaryKernels),
  ...prefixed('binary', binaryKernels),
  ...prefixed('reduce', reduceKernels),
  ...prefixed('argReduce', argReduceKernels),
  accumulate,
  sumChannels,
  where,
  reluBackward,
  fill,
  gemm,
  conv2d: conv2dForward,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  addChannelBias,
  maxPool2d: pool.maxPool2dForward,
  maxPool2dBackward: pool.maxPool2dBackward,
  avgPool2d: pool.avgPool2dForward,
  avgPool2dBackward: pool.avgPool2dBackward,
  adaptiveAvgPool2d: pool.adaptiveAvgPool2dForward,
  adaptiveAvgPool2dBackward: pool.adaptiveAvgPool2dBackward,
  'norm.stats': normStats,
  'norm.apply': normApply,
  'norm.backward': normBackward,
  'optim.sgd': sgd,
  'optim.adam': adam,
  'optim.rmsprop': rmsprop,
  'optim.adagrad': adagrad,
};
