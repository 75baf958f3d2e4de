// The kernel table: every kernel by registry name, as its pure TypeScript reference. The type of this object
// is the registry's: its names (KernelName) and each kernel's signature (Kernels[name]), which every other
// backend's twin must have (wasm/index.ts is typed as a partial of it), and its properties (a unary kernel's
// floatResult). Adding a kernel: write it in js/<file>.ts and add it here (and its twin in wasm/index.ts).
// The registry builds its 'js' table from this object, so the kernels are reachable from code that uses them
// (a side-effect-only import would be dropped by bundlers, since the package declares `sideEffects: false`).
import { prefixed } from '../table.js';
import { binaryKernels, fill, unaryKernels, where } from './elementwise.js';
import { accumulate, argReduceKernels, reduceKernels, sumChannels } from './reduce.js';
import { gemm } from './gemm.js';
import { addChannelBias, conv2dBackward, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from './conv.js';
import * as pool from './pool.js';
import { sgd } from './optim-sgd.js';
import { adam } from './optim-adam.js';
import { rmsprop } from './optim-rmsprop.js';
import { adagrad } from './optim-adagrad.js';
import { reluBackward } from './relu-backward.js';
import { normApply, normBackward, normStats } from './norm.js';
import { sortLines } from './sort.js';
import { cumsum } from './scan.js';

export const jsKernels = {
  ...prefixed('unary', unaryKernels),
  ...prefixed('binary', binaryKernels),
  ...prefixed('reduce', reduceKernels),
  ...prefixed('argReduce', argReduceKernels),
  accumulate,
  sumChannels,
  where,
  sort: sortLines,
  cumsum,
  reluBackward,
  fill,
  gemm,
  conv2d: conv2dForward,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dBackward,
  addChannelBias,
  maxPool2d: pool.maxPool2dForward,
  maxPool2dBackward: pool.maxPool2dBackward,
  avgPool2d: pool.avgPool2dForward,
  avgPool2dBackward: pool.avgPool2dBackward,
  adaptiveAvgPool2d: pool.adaptiveAvgPool2dForward,
  adaptiveAvgPool2dBackward: pool.adaptiveAvgPool2dBackward,
  ...prefixed('norm', { stats: normStats, apply: normApply, backward: normBackward }),
  ...prefixed('optim', { sgd, adam, rmsprop, adagrad }),
};

/** The kernels by name, with their signatures. */
export type Kernels = typeof jsKernels;
/** The name of every kernel in the registry (`gemm`, `unary.exp`, `norm.stats`, ...). */
export type KernelName = keyof Kernels;
