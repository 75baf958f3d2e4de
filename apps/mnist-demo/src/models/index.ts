import type { Module } from '@minigrad/nn';
import { manualSeed } from '@minigrad/tensor';
import { CLASSES, CNN_CHANNELS, HIDDEN_UNITS, RESNET_CHANNELS, type ModelName, type NormName } from '../architecture.js';
import { SmallCnn } from './cnn.js';
import { SmallResNet } from './resnet.js';

export interface ModelOptions {
  model: ModelName;
  norm: NormName;
  /** GN's G, capped at each layer's channel count. */
  groups: number;
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
export function describeModel(model: ModelName): string {
  if (model === 'resnet') {
    const [c0, c1, c2] = RESNET_CHANNELS;
    return `ResNet: conv3x3(1→${c0})-norm-ReLU-maxpool2 (28→14), residual block ${c0}→${c1} (stride 2, 14→7), ` +
      `residual block ${c1}→${c2} (stride 2, 7→4), global average pool, linear(${c2}→${CLASSES}); a norm after every conv ` +
      `(7 in all), the last one of each residual branch starting at γ = 0`;
  }
  const [c1, c2] = CNN_CHANNELS;
  return `CNN (ablation): conv3x3(1→${c1})-norm-ReLU-maxpool2, conv3x3(${c1}→${c2})-norm-ReLU-maxpool2, ` +
    `linear(${c2 * 49}→${HIDDEN_UNITS})-norm-ReLU, linear(${HIDDEN_UNITS}→${CLASSES})`;
}
