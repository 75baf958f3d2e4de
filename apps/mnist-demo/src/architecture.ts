import { UsageError } from './usage-error.js';

/**
 * The models' shapes, kept apart from models/ (which builds them with nn) so the CLI can validate
 * options against them before any training starts.
 */
export const IMAGE_SIZE = 28;
export const CLASSES = 10;

export const MODELS = ['resnet', 'cnn'] as const;
export type ModelName = (typeof MODELS)[number];

/** The ResNet's widths: the stem's, then each down-sampling block's (28 -> 14 after the stem, then 7, 4, 2). */
const RESNET_WIDTHS = [8, 16, 32, 64] as const;
/** Down-sampling residual blocks the ResNet can have (--blocks). */
export const MAX_BLOCKS = RESNET_WIDTHS.length - 1;

/** The stem's width, then one per block. A norm follows every conv. */
export function resnetChannels(blocks: number): number[] {
  return RESNET_WIDTHS.slice(0, blocks + 1);
}
/** The ablation CNN's two conv layers and its hidden fully connected layer. */
export const CNN_CHANNELS = [8, 16] as const;
export const HIDDEN_UNITS = 64;

/** Channel counts of the layers a norm follows (what GN's G must divide). */
export function normalizedChannels(model: ModelName, blocks: number): number[] {
  return model === 'resnet' ? resnetChannels(blocks) : [...CNN_CHANNELS, HIDDEN_UNITS];
}

/** The weights of the conv and linear layers (models/'s names), whose gradient norms show the gradient flow. */
export function layerWeights(model: ModelName, blocks: number): string[] {
  if (model === 'cnn') return ['conv1.weight', 'conv2.weight', 'fc1.weight', 'fc2.weight'];
  const inBlocks = Array.from({ length: blocks }, (_, i) => [`block${i + 1}.conv1.weight`, `block${i + 1}.conv2.weight`]).flat();
  return ['stem.weight', ...inBlocks, 'fc.weight'];
}

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
