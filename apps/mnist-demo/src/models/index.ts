import type { Module } from '@minigrad/nn';
import { manualSeed } from '@minigrad/tensor';
import { CLASSES, CNN_CHANNELS, HIDDEN_UNITS, resnetChannels, type ModelName, type NormName } from '../architecture.js';
import { SmallCnn } from './cnn.js';
import { SmallResNet } from './resnet.js';

export interface ModelOptions {
  model: ModelName;
  norm: NormName;
  /** GN's G, capped at each layer's channel count. */
  groups: number;
  /** The ResNet's down-sampling residual blocks. */
  blocks: number;
  /** Seeds the weight initialization. */
  seed: number;
}

/** A freshly initialized model; the same seed gives the same weights. */
export function buildModel(o: ModelOptions): Module {
  manualSeed(o.seed);
  return o.model === 'resnet' ? new SmallResNet(o) : new SmallCnn(o);
}

export { SmallCnn, SmallResNet };

/** The model in one line, for the report. */
export function describeModel(model: ModelName, blocks: number): string {
  if (model === 'resnet') {
    const widths = resnetChannels(blocks);
    const sides = [14, 7, 4, 2];
    const body = widths.slice(1).map((c, i) => `residual block ${widths[i]}→${c} (stride 2, ${sides[i]}→${sides[i + 1]})`);
    return `ResNet: conv3x3(1→${widths[0]})-norm-ReLU-maxpool2 (28→14), ${body.join(', ')}, global average pool, ` +
      `linear(${widths.at(-1)}→${CLASSES}); a norm after every conv (${1 + 3 * blocks} in all), the last one of each residual branch starting at γ = 0`;
  }
  const [c1, c2] = CNN_CHANNELS;
  return `CNN (ablation): conv3x3(1→${c1})-norm-ReLU-maxpool2, conv3x3(${c1}→${c2})-norm-ReLU-maxpool2, ` +
    `linear(${c2 * 49}→${HIDDEN_UNITS})-norm-ReLU, linear(${HIDDEN_UNITS}→${CLASSES})`;
}
