import { UsageError } from './usage-error.js';

/**
 * The models' shapes, kept apart from models/ (which builds them with nn) so the CLI can validate
 * options against them before any training starts.
 */
export const IMAGE_SIZE = 28;
export const CLASSES = 10;

export const MODELS = ['resnet', 'cnn'] as const;
export type ModelName = (typeof MODELS)[number];

/** The ResNet's widths: stem, first and second down-sampling block. A norm follows every conv. */
export const RESNET_CHANNELS = [8, 16, 32] as const;
/** The ablation CNN's two conv layers and its hidden fully connected layer. */
export const CNN_CHANNELS = [8, 16] as const;
export const HIDDEN_UNITS = 64;

/** Channel counts of the layers a norm follows, per model (what GN's G must divide). */
export const NORMALIZED_CHANNELS: Record<ModelName, readonly number[]> = {
  resnet: RESNET_CHANNELS,
  cnn: [...CNN_CHANNELS, HIDDEN_UNITS],
};

/** The weights of the conv and linear layers (models/'s names), whose gradient norms show the gradient flow. */
export const LAYER_WEIGHTS: Record<ModelName, readonly string[]> = {
  resnet: ['stem.weight', 'block1.conv1.weight', 'block1.conv2.weight', 'block2.conv1.weight', 'block2.conv2.weight', 'fc.weight'],
  cnn: ['conv1.weight', 'conv2.weight', 'fc1.weight', 'fc2.weight'],
};

export const NORMS = ['batch', 'group', 'layer', 'instance', 'none'] as const;
export type NormName = (typeof NORMS)[number];

/** Short labels used in tables and charts, as the paper writes them. */
export const NORM_LABELS: Record<NormName, string> = {
  batch: 'BN',
  group: 'GN',
  layer: 'LN',
  instance: 'IN',
  none: 'none',
};

/**
 * Groups that GN uses on a layer of `channels` channels: the requested G, capped at C as the paper
 * does (a layer cannot have more groups than channels), which must then divide C.
 */
export function groupsFor(groups: number, channels: number): number {
  const g = Math.min(groups, channels);
  if (channels % g !== 0) {
    throw new UsageError(`--groups ${groups}: ${channels} channels are not divisible by ${g} groups`);
  }
  return g;
}
