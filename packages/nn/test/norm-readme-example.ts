// The normalization example of packages/nn/README.md, verbatim between the markers (norm-readme.test.ts checks both and runs it).
// --- example ---
import { manualSeed, randn, tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { BatchNorm2d, F, GroupNorm } from '@minigrad/nn';

manualSeed(0);
const x = new Variable(randn([2, 6, 4, 4]), true);
const gn = new GroupNorm(3, 6); // one mean and variance per (sample, group of 2 channels); weight and bias per channel
const bn = new BatchNorm2d(6); // per channel over (N, H, W); updates bn.runningMean / runningVar in training
const logits = bn.call(gn.call(x)).mean([2, 3]); // [2, 6]
const loss = F.crossEntropy(logits, tensor([1, 4], { dtype: 'int32' }), { labelSmoothing: 0.1 });
loss.backward(); // x.grad, gn.weight.grad, bn.bias.grad, ...
// one core: LayerNorm over (C, H, W) is GroupNorm with one group, InstanceNorm is GroupNorm with G = C
const sameAsLayerNorm = F.groupNorm(x, 1).sub(F.layerNorm(x, [6, 4, 4])).abs().amax().item(); // 0
// --- end ---
export { x, gn, bn, loss, sameAsLayerNorm };
