import { BatchNorm1d, BatchNorm2d, GroupNorm, Identity, InstanceNorm2d } from '@minigrad/nn';
import { randn } from '@minigrad/autograd';
import { describe, expect, it } from 'vitest';
import { CONV_CHANNELS, HIDDEN_UNITS, LAYER_WEIGHTS, NORMS } from '../src/architecture.js';
import { buildModel } from '../src/model.js';

describe('the model', () => {
  it.each(NORMS)('%s: [N, 1, 28, 28] -> [N, 10], the same seed gives the same weights', (norm) => {
    const a = buildModel({ norm, groups: 4, normalizeHidden: true, seed: 3 });
    const b = buildModel({ norm, groups: 4, normalizeHidden: true, seed: 3 });
    for (const [k, t] of Object.entries(a.stateDict())) expect([...t.toTypedArray()]).toEqual([...b.stateDict()[k]!.toTypedArray()]);
    expect(a.call(randn([2, 1, 28, 28])).shape).toEqual([2, 10]);
    const names = [...a.namedParameters()].map(([n]) => n);
    for (const w of LAYER_WEIGHTS) expect(names).toContain(w);
  });

  it('puts the chosen norm after both convs and the hidden layer, with no bias before a norm', () => {
    const bn = buildModel({ norm: 'batch', groups: 4, normalizeHidden: true, seed: 0 });
    expect(bn.norm1).toBeInstanceOf(BatchNorm2d);
    expect(bn.norm3).toBeInstanceOf(BatchNorm1d);
    expect(bn.conv1.bias ?? null).toBeNull();
    expect(bn.fc1.bias ?? null).toBeNull();
    const none = buildModel({ norm: 'none', groups: 4, normalizeHidden: true, seed: 0 });
    expect(none.norm2).toBeInstanceOf(Identity);
    expect(none.conv1.bias).not.toBeNull();
  });

  it('GN caps G at the channels; LN is GN with one group; IN has an affine and skips the hidden layer', () => {
    const gn = buildModel({ norm: 'group', groups: 16, normalizeHidden: true, seed: 0 });
    expect(gn.norm1).toBeInstanceOf(GroupNorm);
    expect((gn.norm1 as GroupNorm).numGroups).toBe(Math.min(16, CONV_CHANNELS[0]));
    expect((gn.norm2 as GroupNorm).numGroups).toBe(Math.min(16, CONV_CHANNELS[1]));
    expect((gn.norm3 as GroupNorm).numGroups).toBe(Math.min(16, HIDDEN_UNITS));
    const ln = buildModel({ norm: 'layer', groups: 4, normalizeHidden: true, seed: 0 });
    expect((ln.norm2 as GroupNorm).numGroups).toBe(1);
    const inorm = buildModel({ norm: 'instance', groups: 4, normalizeHidden: true, seed: 0 });
    expect(inorm.norm1).toBeInstanceOf(InstanceNorm2d);
    expect([...inorm.namedParameters()].map(([n]) => n)).toContain('norm1.weight');
    expect(inorm.norm3).toBeInstanceOf(Identity);
  });

  it('--conv-only leaves the hidden layer unnormalized', () => {
    const bn = buildModel({ norm: 'batch', groups: 4, normalizeHidden: false, seed: 0 });
    expect(bn.norm3).toBeInstanceOf(Identity);
    expect(bn.fc1.bias).not.toBeNull();
  });
});
