import type { Variable } from '@minigrad/autograd';
import { Conv2d, Flatten, Identity, Linear, MaxPool2d, Module, ReLU } from '@minigrad/nn';
import { CLASSES, CNN_CHANNELS, HIDDEN_UNITS, IMAGE_SIZE, type NormName } from '../architecture.js';
import { convNorm, hiddenNorm } from './norms.js';

/**
 * The ablation model (`--model cnn`, the demo's network before it followed the paper): conv3x3(1 -> C1) -
 * norm - ReLU - maxpool2, conv3x3(C1 -> C2) - norm - ReLU - maxpool2, linear(C2*7*7 -> H) - norm - ReLU,
 * linear(H -> 10). The norm after the hidden linear layer is what makes BN fail at batch size 2 here: over
 * two samples of a feature vector, BN's output is ±1 (the sign of which sample is larger), whatever the
 * weights. That is not the paper's mechanism; the ResNet is the experiment. A layer followed by a norm has
 * no bias: the norm subtracts the mean, which would cancel it (its gradient would be exactly 0).
 */
export class SmallCnn extends Module {
  declare conv1: Conv2d;
  declare norm1: Module;
  declare conv2: Conv2d;
  declare norm2: Module;
  declare fc1: Linear;
  declare norm3: Module;
  declare fc2: Linear;
  declare relu: ReLU;
  declare pool: MaxPool2d;
  declare flatten: Flatten;

  constructor({ norm, groups }: { norm: NormName; groups: number }) {
    super();
    const [c1, c2] = CNN_CHANNELS;
    const side = IMAGE_SIZE / 4;
    const convBias = norm === 'none';
    this.conv1 = new Conv2d(1, c1, 3, { padding: 1, bias: convBias });
    this.norm1 = convNorm(norm, c1, groups);
    this.conv2 = new Conv2d(c1, c2, 3, { padding: 1, bias: convBias });
    this.norm2 = convNorm(norm, c2, groups);
    const norm3 = hiddenNorm(norm, HIDDEN_UNITS, groups);
    this.fc1 = new Linear(c2 * side * side, HIDDEN_UNITS, { bias: norm3 instanceof Identity });
    this.norm3 = norm3;
    this.fc2 = new Linear(HIDDEN_UNITS, CLASSES);
    this.relu = new ReLU();
    this.pool = new MaxPool2d(2);
    this.flatten = new Flatten();
  }

  /** [N, 1, 28, 28] images -> [N, 10] logits. */
  override forward(x: Variable): Variable {
    x = this.pool.call(this.relu.call(this.norm1.call(this.conv1.call(x))));
    x = this.pool.call(this.relu.call(this.norm2.call(this.conv2.call(x))));
    x = this.relu.call(this.norm3.call(this.fc1.call(this.flatten.call(x))));
    return this.fc2.call(x);
  }
}

