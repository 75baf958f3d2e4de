// The WebAssembly kernels, by registry name. Kernels not listed here fall back to the 'js' ones.
import type { Kernel } from '../registry.js';
import { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from './conv.js';
import { relu } from './elementwise.js';
import { reluBackward } from './relu-backward.js';
import { addChannelBias, sumChannels } from './channels.js';
import { gemm } from './gemm.js';
import { sgd } from './optim-sgd.js';
import { adam } from './optim-adam.js';
import { rmsprop } from './optim-rmsprop.js';
import { adagrad } from './optim-adagrad.js';
import { maxPool2dBackward, maxPool2dForward } from './pool.js';
import { normApply, normBackward, normStats } from './norm.js';

export const wasmKernels: Record<string, Kernel> = {
  gemm,
  conv2d: conv2dForward,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  maxPool2d: maxPool2dForward,
  maxPool2dBackward,
  'unary.relu': relu,
  reluBackward,
  sumChannels,
  addChannelBias,
  'norm.stats': normStats,
  'norm.apply': normApply,
  'norm.backward': normBackward,
  'optim.sgd': sgd,
  'optim.adam': adam,
  'optim.rmsprop': rmsprop,
  'optim.adagrad': adagrad,
};
