// Registers the pure TypeScript kernels under the 'js' backend.
import { registerKernel } from '../registry.js';
import { binaryKernels, fill, unaryKernels, where } from './elementwise.js';
import { argReduceKernels, reduceKernels } from './reduce.js';
import { gemm } from './gemm.js';

for (const [name, k] of Object.entries(unaryKernels)) registerKernel(`unary.${name}`, 'js', k);
for (const [name, k] of Object.entries(binaryKernels)) registerKernel(`binary.${name}`, 'js', k);
for (const [name, k] of Object.entries(reduceKernels)) registerKernel(`reduce.${name}`, 'js', k);
for (const [name, k] of Object.entries(argReduceKernels)) registerKernel(`argReduce.${name}`, 'js', k);
registerKernel('where', 'js', where);
registerKernel('fill', 'js', fill);
registerKernel('gemm', 'js', gemm);
