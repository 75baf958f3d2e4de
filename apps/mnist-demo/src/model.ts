import type { Variable } from '@minigrad/autograd';
import { BatchNorm1d, BatchNorm2d, Conv2d, Flatten, GroupNorm, Identity, InstanceNorm2d, Linear, MaxPool2d, Module, ReLU } from '@minigrad/nn';
import { manualSeed } from '@minigrad/tensor';
import { CLASSES, CONV_CHANNELS, groupsFor, HIDDEN_UNITS, IMAGE_SIZE, type NormName } from './architecture.js';

export interface ModelOptions {
  norm: NormName;
  /** GN's G, capped at each layer's channel count. */
  groups: number;
  /** Also normalize the hidden linear layer (see hiddenNorm). */
  normalizeHidden: boolean;
  /** Seeds the weight initialization. */
  seed: number;
}

/**
 * The normalization layer after a conv, by name. LN is written as GN with one group: normalized over
 * (C, H, W) with a per-channel scale and shift, as the paper defines it (Sec. 3.1, Fig. 2) — nn.LayerNorm
 * over [C, H, W] would learn a scale per pixel instead. IN uses InstanceNorm2d with a per-channel affine
 * (the paper's IN; PyTorch's default is no affine).
 */
function convNorm(norm: NormName, channels: number, groups: number): Module {
  switch (norm) {
    case 'batch':
      return new BatchNorm2d(channels);
    case 'group':
      return new GroupNorm(groupsFor(groups, channels), channels);
    case 'layer':
      return new GroupNorm(1, channels);
    case 'instance':
      return new InstanceNorm2d(channels, { affine: true });
    case 'none':
      return new Identity();
  }
}

/**
 * The normalization of the hidden linear layer's [N, F] output. A feature vector is a 1 x 1 feature map,
 * so BN's statistics come from the N samples alone; GN and LN work within each sample. IN has nothing to
 * normalize there (one value per sample and channel), so with IN (and none) this layer has no norm.
 */
function hiddenNorm(norm: 'batch' | 'group' | 'layer', features: number, groups: number): Module {
  switch (norm) {
    case 'batch':
      return new BatchNorm1d(features);
    case 'group':
      return new GroupNorm(groupsFor(groups, features), features);
    case 'layer':
      return new GroupNorm(1, features);
  }
}

/**
 * conv3x3(1 -> C1) - norm - ReLU - maxpool2, conv3x3(C1 -> C2) - norm - ReLU - maxpool2,
 * linear(C2*7*7 -> H) - [norm] - ReLU, linear(H -> 10). A layer followed by a norm has no bias: the norm
 * subtracts the mean, which would cancel it (its gradient would be exactly 0), as in the paper's ResNets.
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

  constructor({ norm, groups, normalizeHidden }: Omit<ModelOptions, 'seed'>) {
    super();
    const [c1, c2] = CONV_CHANNELS;
    const side = IMAGE_SIZE / 4;
    const convBias = norm === 'none';
    const fcNorm = normalizeHidden && (norm === 'batch' || norm === 'group' || norm === 'layer') ? norm : null;
    this.conv1 = new Conv2d(1, c1, 3, { padding: 1, bias: convBias });
    this.norm1 = convNorm(norm, c1, groups);
    this.conv2 = new Conv2d(c1, c2, 3, { padding: 1, bias: convBias });
    this.norm2 = convNorm(norm, c2, groups);
    this.fc1 = new Linear(c2 * side * side, HIDDEN_UNITS, { bias: fcNorm === null });
    this.norm3 = fcNorm === null ? new Identity() : hiddenNorm(fcNorm, HIDDEN_UNITS, groups);
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

/** A freshly initialized model; the same seed gives the same weights. */
export function buildModel(o: ModelOptions): SmallCnn {
  manualSeed(o.seed);
  return new SmallCnn(o);
}

export function describeModel(normalizeHidden: boolean): string {
  const [c1, c2] = CONV_CHANNELS;
  const side = IMAGE_SIZE / 4;
  return `CNN: conv3x3(1→${c1})-norm-ReLU-maxpool2, conv3x3(${c1}→${c2})-norm-ReLU-maxpool2, ` +
    `linear(${c2 * side * side}→${HIDDEN_UNITS})-${normalizeHidden ? 'norm-' : ''}ReLU, linear(${HIDDEN_UNITS}→${CLASSES})`;
}
