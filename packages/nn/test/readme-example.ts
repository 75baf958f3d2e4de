// The example of packages/nn/README.md, verbatim between the markers (readme.test.ts checks both and runs it).
// --- example ---
import { Conv2d, F, Flatten, Linear, MaxPool2d, ReLU, Sequential, gradientStats, loadSafetensors, manualSeed, randn, saveSafetensors } from '@minigrad/nn';

manualSeed(0);
const model = new Sequential(new Conv2d(1, 8, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10));
const x = randn([4, 1, 28, 28]);
const loss = F.logSoftmax(model.call(x), 1).mean().neg(); // model.call(x) is PyTorch's model(x): hooks + forward
loss.backward();
console.log(String(model)); // Sequential(\n  (0): Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n ...
console.log(gradientStats(model)[0]); // { name: '0.weight', shape: [8, 1, 3, 3], norm: ..., zeroFraction: ... }
const bytes = saveSafetensors(model.stateDict()); // keys and layout as PyTorch's: '0.weight', '4.bias', ...
model.loadStateDict(loadSafetensors(bytes));
// --- end ---

export { bytes, loss, model };
