import type { Variable } from '@minigrad/autograd';
import { AdaptiveAvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU } from '@minigrad/nn';
import { CLASSES, resnetChannels, type NormName } from '../architecture.js';
import { convNorm, zeroScale } from './norms.js';

export interface ResNetOptions {
  norm: NormName;
  /** GN's G, capped at each layer's channel count. */
  groups: number;
  /** Down-sampling residual blocks after the stem (1 to MAX_BLOCKS). */
  blocks: number;
}

/**
 * A ResNet basic block (He et al. 2016) that halves the feature map: conv3x3(stride 2) - norm - ReLU -
 * conv3x3 - norm, plus a projection shortcut conv1x1(stride 2) - norm, then ReLU. The last norm of the
 * residual branch starts with γ = 0 (Goyal et al. 2017, also used by the GN paper's ResNets), so every block
 * starts as its shortcut. A conv followed by a norm has no bias (the norm would cancel it), except with
 * no normalization at all.
 */
export class DownBlock extends Module {
  declare conv1: Conv2d;
  declare norm1: Module;
  declare conv2: Conv2d;
  declare norm2: Module;
  declare shortcut: Conv2d;
  declare shortcutNorm: Module;
  declare relu: ReLU;

  constructor(inChannels: number, outChannels: number, { norm, groups }: ResNetOptions) {
    super();
    const bias = norm === 'none';
    this.conv1 = new Conv2d(inChannels, outChannels, 3, { stride: 2, padding: 1, bias });
    this.norm1 = convNorm(norm, outChannels, groups);
    this.conv2 = new Conv2d(outChannels, outChannels, 3, { padding: 1, bias });
    this.norm2 = convNorm(norm, outChannels, groups);
    zeroScale(this.norm2);
    this.shortcut = new Conv2d(inChannels, outChannels, 1, { stride: 2, bias });
    this.shortcutNorm = convNorm(norm, outChannels, groups);
    this.relu = new ReLU();
  }

  override forward(x: Variable): Variable {
    const branch = this.norm2.call(this.conv2.call(this.relu.call(this.norm1.call(this.conv1.call(x)))));
    return this.relu.call(branch.add(this.shortcutNorm.call(this.shortcut.call(x))));
  }
}

/**
 * The experiment's network, in the spirit of the paper's ResNet-50 at a size two cores train in minutes:
 * normalization after every conv and nowhere else, a stem conv3x3(1→C0) - norm - ReLU - maxpool2 (28→14),
 * `blocks` down-sampling residual blocks (block1, block2, ...: 14→7→4→2), global average pooling and one
 * linear classifier.
 */
export class SmallResNet extends Module {
  declare stem: Conv2d;
  declare stemNorm: Module;
  declare relu: ReLU;
  declare pool: MaxPool2d;
  declare gap: AdaptiveAvgPool2d;
  declare flatten: Flatten;
  declare fc: Linear;
  readonly blocks: DownBlock[];

  constructor(o: ResNetOptions) {
    super();
    const widths = resnetChannels(o.blocks);
    this.stem = new Conv2d(1, widths[0]!, 3, { padding: 1, bias: o.norm === 'none' });
    this.stemNorm = convNorm(o.norm, widths[0]!, o.groups);
    this.relu = new ReLU();
    this.pool = new MaxPool2d(2);
    this.blocks = widths.slice(1).map((c, i) => new DownBlock(widths[i]!, c, o));
    this.blocks.forEach((block, i) => this.registerModule(`block${i + 1}`, block));
    this.gap = new AdaptiveAvgPool2d(1);
    this.flatten = new Flatten();
    this.fc = new Linear(widths.at(-1)!, CLASSES);
  }

  /** [N, 1, 28, 28] images -> [N, 10] logits. */
  override forward(x: Variable): Variable {
    x = this.pool.call(this.relu.call(this.stemNorm.call(this.stem.call(x))));
    for (const block of this.blocks) x = block.call(x);
    return this.fc.call(this.flatten.call(this.gap.call(x)));
  }
}
