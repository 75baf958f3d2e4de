import { UsageError } from './usage-error.js';

/**
 * The CNN's shape, kept apart from model.ts (which builds it with nn) so the CLI can validate
 * options against it before any training starts.
 */
export const IMAGE_SIZE = 28;
/** Output channels of the two conv blocks; a norm layer follows each conv. */
export const CONV_CHANNELS = [8, 16] as const;
/** Width of the hidden fully connected layer. */
export const HIDDEN_UNITS = 64;
export const CLASSES = 10;

/** The weights of the conv and linear layers (model.ts's names), whose gradient norms show the gradient flow. */
export const LAYER_WEIGHTS = ['conv1.weight', 'conv2.weight', 'fc1.weight', 'fc2.weight'] as const;

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
