// Registers the pure TypeScript kernels under the 'js' backend.
import { registerKernel } from '../registry.js';
import { binaryKernels, fill, unaryKernels, where } from './elementwise.js';
import { argReduceKernels, reduceKernels } from './reduce.js';
import { gemm } from './gemm.js';
import { addChannelBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from './conv.js';
import * as pool from './pool.js';

for (const [name, k] of Object.entries(unaryKernels)) registerKernel(`unary.${name}`, 'js', k);
for (const [name, k] of Object.entries(binaryKernels)) registerKernel(`binary.${name}`, 'js', k);
for (const [name, k] of Object.entries(reduceKernels)) registerKernel(`reduce.${name}`, 'js', k);
for (const [name, k] of Object.entries(argReduceKernels)) registerKernel(`argReduce.${name}`, 'js', k);
registerKernel('where', 'js', where);
registerKernel('fill', 'js', fill);
registerKernel('gemm', 'js', gemm);
registerKernel('conv2d', 'js', conv2dForward);
registerKernel('conv2dBackwardInput', 'js', conv2dBackwardInput);
registerKernel('conv2dBackwardWeight', 'js', conv2dBackwardWeight);
registerKernel('addChannelBias', 'js', addChannelBias);
registerKernel('maxPool2d', 'js', pool.maxPool2dForward);
registerKernel('maxPool2dBackward', 'js', pool.maxPool2dBackward);
registerKernel('avgPool2d', 'js', pool.avgPool2dForward);
registerKernel('avgPool2dBackward', 'js', pool.avgPool2dBackward);
registerKernel('adaptiveAvgPool2d', 'js', pool.adaptiveAvgPool2dForward);
registerKernel('adaptiveAvgPool2dBackward', 'js', pool.adaptiveAvgPool2dBackward);
