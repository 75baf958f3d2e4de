import { BatchNorm1d, BatchNorm2d, GroupNorm, Identity, InstanceNorm2d, type Module } from '@minigrad/nn';
import { groupsFor, type NormName } from '../architecture.js';

/**
 * The normalization layer after a conv, by name. LN is written as GN with one group: normalized over
 * (C, H, W) with a per-channel scale and shift, as the paper defines it (Sec. 3.1, Fig. 2) — nn.LayerNorm
 * over [C, H, W] would learn a scale per pixel instead. IN uses InstanceNorm2d with a per-channel affine
 * (the paper's IN; PyTorch's default is no affine).
 */
export function convNorm(norm: NormName, channels: number, groups: number): Module {
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
 * The normalization of a hidden linear layer's [N, F] output. A feature vector is a 1 x 1 feature map,
 * so BN's statistics come from the N samples alone; GN and LN work within each sample. IN has nothing to
 * normalize there (one value per sample and channel), so with IN (and none) this layer has no norm.
 */
export function hiddenNorm(norm: NormName, features: number, groups: number): Module {
  switch (norm) {
    case 'batch':
      return new BatchNorm1d(features);
    case 'group':
      return new GroupNorm(groupsFor(groups, features), features);
    case 'layer':
      return new GroupNorm(1, features);
    case 'instance':
    case 'none':
      return new Identity();
  }
}

/** Sets a norm's scale γ to 0 (no-op for a norm without one), so its block starts as the identity. */
export function zeroScale(norm: Module): void {
  const weight = (norm as { weight?: { data: { fill(v: number): unknown } } | null }).weight;
  weight?.data.fill(0);
}
