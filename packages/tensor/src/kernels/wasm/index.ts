// The WebAssembly kernels, by registry name: a typed partial of the js table (each twin has its js kernel's
// signature). Kernels not listed here fall back to the 'js' ones.
import { prefixed } from '../table.js';
import type { Kernels } from '../js/index.js';
import { conv2dBackward, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from './conv.js';
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

export const wasmKernels = {
  gemm,
  conv2d: conv2dForward,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dBackward,
  maxPool2d: maxPool2dForward,
  maxPool2dBackward,
  'unary.relu': relu,
  reluBackward,
  sumChannels,
  addChannelBias,
  ...prefixed('norm', { stats: normStats, apply: normApply, backward: normBackward }),
  ...prefixed('optim', { sgd, adam, rmsprop, adagrad }),
} satisfies { readonly [N in keyof Kernels]?: Kernels[N] };

/**
 * The kernels a captured step may replay as the wasm calls they launched (launches.ts). Each promises that on
 * every path where it launches a wasm call, it writes memory only through wasm calls (wasm() exports,
 * runOnThreads) and KernelCall's staging: JavaScript access to wasm memory (f32(), the copy helpers, a staged
 * operand) spoils the log by itself, but a JS kernel writing an array directly does not, so a path that may
 * take a JS kernel after launching must spoil the log first (spoilLaunchLog). The JS kernels taken before any
 * launch leave the log empty, which is never replayed.
 */
export const DIRECT_REPLAY: ReadonlySet<string> = new Set([
  'gemm', 'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight', 'conv2dBackward', 'unary.relu', 'reluBackward', 'addChannelBias',
  'sumChannels', 'maxPool2d', 'norm.stats', 'norm.apply', 'norm.backward',
]);
