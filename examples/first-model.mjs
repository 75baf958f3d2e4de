// The root README's first model, as it stands there (tests/readme checks they are the same).
import { Conv2d, F, Flatten, GroupNorm, Linear, MaxPool2d, ReLU, Sequential, manualSeed, randint, randn } from '@minigrad/nn';
import { SGD } from '@minigrad/optim';

manualSeed(0);
const model = new Sequential(new Conv2d(1, 8, 3, { padding: 1, bias: false }), new GroupNorm(4, 8), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 14 * 14, 10));
const opt = new SGD(model.parameters(), { lr: 0.001, momentum: 0.9 });
const x = randn([2, 1, 28, 28]); // batch size 2: GroupNorm does not care
const y = randint(0, 10, [2], { dtype: 'int32' });
for (let step = 1; step <= 20; step++) {
  opt.zeroGrad();
  const loss = F.crossEntropy(model.call(x), y); // model.call(x) is PyTorch's model(x)
  loss.backward();
  opt.step();
  if (step === 1 || step % 5 === 0) console.log(`step ${step}: loss ${loss.item().toFixed(4)}`);
}
