import { randn } from '@minigrad/autograd';
import { BatchNorm1d, BatchNorm2d, Conv2d, GroupNorm, Identity, InstanceNorm2d, type Module } from '@minigrad/nn';
import { describe, expect, it } from 'vitest';
import { layerWeights, MODELS, normalizedChannels, NORMS } from '../src/architecture.js';
import { buildModel, SmallCnn, SmallResNet } from '../src/models/index.js';

const normsOf = (m: Module) => [...m.namedModules()].filter(([name]) => /norm/i.test(name.split('.').at(-1)!));

describe.each(MODELS)('the %s model', (model) => {
  it.each(NORMS)('%s: [N, 1, 28, 28] -> [N, 10], the same seed gives the same weights', (norm) => {
    const a = buildModel({ model, norm, groups: 16, blocks: 2, seed: 3 });
    const b = buildModel({ model, norm, groups: 16, blocks: 2, seed: 3 });
    for (const [k, t] of Object.entries(a.stateDict())) expect([...t.toTypedArray()]).toEqual([...b.stateDict()[k]!.toTypedArray()]);
    expect(a.call(randn([2, 1, 28, 28])).shape).toEqual([2, 10]);
    const names = [...a.namedParameters()].map(([n]) => n);
    for (const w of layerWeights(model, 2)) expect(names).toContain(w);
  });
});

describe('the ResNet', () => {
  it('normalizes after every conv (7 norms) and nowhere else, with no conv bias before a norm', () => {
    const bn = buildModel({ model: 'resnet', norm: 'batch', groups: 16, blocks: 2, seed: 0 }) as SmallResNet;
    const convs = [...bn.modules()].filter((m) => m instanceof Conv2d) as Conv2d[];
    const norms = [...bn.modules()].filter((m) => m instanceof BatchNorm2d);
    expect(convs).toHaveLength(7);
    expect(norms).toHaveLength(7);
    for (const c of convs) expect(c.bias ?? null).toBeNull();
    expect(bn.fc.bias).not.toBeNull();
    const none = buildModel({ model: 'resnet', norm: 'none', groups: 16, blocks: 2, seed: 0 }) as SmallResNet;
    expect(none.blocks[0]!.norm1).toBeInstanceOf(Identity);
    expect(none.blocks[0]!.conv1.bias).not.toBeNull();
  });

  it("starts every residual branch's last norm at γ = 0, so each block starts as its shortcut", () => {
    for (const norm of ['batch', 'group', 'layer', 'instance'] as const) {
      const m = buildModel({ model: 'resnet', norm, groups: 16, blocks: 2, seed: 0 }) as SmallResNet;
      for (const block of m.blocks) {
        expect([...(block.norm2 as GroupNorm).weight!.data.toTypedArray()].every((g) => g === 0)).toBe(true);
        expect([...(block.norm1 as GroupNorm).weight!.data.toTypedArray()].every((g) => g === 1)).toBe(true);
      }
    }
    // with γ = 0 the branch adds nothing: block(x) = ReLU(shortcut(x))
    const m = buildModel({ model: 'resnet', norm: 'group', groups: 16, blocks: 2, seed: 1 }) as SmallResNet;
    const x = randn([2, 8, 14, 14]);
    const [block] = m.blocks;
    const direct = block!.relu.call(block!.shortcutNorm.call(block!.shortcut.call(x)));
    expect([...block!.call(x).data.toTypedArray()]).toEqual([...direct.data.toTypedArray()]);
  });

  it('halves the feature map in every block after the stem: 28 -> 14 -> 7 -> 4 -> 2, doubling the channels', () => {
    const m = buildModel({ model: 'resnet', norm: 'group', groups: 16, blocks: 3, seed: 0 }) as SmallResNet;
    let x = m.pool.call(m.relu.call(m.stemNorm.call(m.stem.call(randn([2, 1, 28, 28])))));
    expect(x.shape).toEqual([2, 8, 14, 14]);
    const shapes = m.blocks.map((b) => (x = b.call(x)).shape);
    expect(shapes).toEqual([[2, 16, 7, 7], [2, 32, 4, 4], [2, 64, 2, 2]]);
    expect(m.call(randn([2, 1, 28, 28])).shape).toEqual([2, 10]);
    expect([...m.namedModules()].map(([n]) => n).filter((n) => /^block\d$/.test(n))).toEqual(['block1', 'block2', 'block3']);
    expect(normalizedChannels('resnet', 3)).toEqual([8, 16, 32, 64]);
  });

  it("GN caps G at each layer's channels; LN is GN with one group; IN has a per-channel affine", () => {
    const gn = buildModel({ model: 'resnet', norm: 'group', groups: 16, blocks: 2, seed: 0 });
    const groups = normsOf(gn).map(([, n]) => (n as GroupNorm).numGroups);
    expect(groups).toEqual([8, 16, 16, 16, 16, 16, 16]);
    expect(normsOf(buildModel({ model: 'resnet', norm: 'layer', groups: 16, blocks: 2, seed: 0 })).map(([, n]) => (n as GroupNorm).numGroups)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const inorm = buildModel({ model: 'resnet', norm: 'instance', groups: 16, blocks: 2, seed: 0 });
    expect(normsOf(inorm).every(([, n]) => n instanceof InstanceNorm2d && n.weight !== null)).toBe(true);
    expect(normalizedChannels('resnet', 2)).toEqual([8, 16, 32]);
  });
});

describe('the ablation CNN', () => {
  it('normalizes both convs and the hidden layer: BN1d after the hidden linear layer', () => {
    const bn = buildModel({ model: 'cnn', norm: 'batch', groups: 4, blocks: 2, seed: 0 }) as SmallCnn;
    expect(bn.norm1).toBeInstanceOf(BatchNorm2d);
    expect(bn.norm3).toBeInstanceOf(BatchNorm1d);
    expect(bn.fc1.bias ?? null).toBeNull();
    const inorm = buildModel({ model: 'cnn', norm: 'instance', groups: 4, blocks: 2, seed: 0 }) as SmallCnn;
    expect(inorm.norm3).toBeInstanceOf(Identity);
    expect(inorm.fc1.bias).not.toBeNull();
  });

  it('over 2 samples BN1d turns every feature into ±1: a sign, whatever the weights', () => {
    const bn = new BatchNorm1d(64);
    const out = bn.call(randn([2, 64]).mul(5)).data.toTypedArray();
    // x̂ = ±(a − b)/2 / sqrt(((a − b)/2)² + eps): the two samples get opposite values, ±1 unless a ≈ b
    for (let c = 0; c < 64; c++) expect(out[c]!).toBeCloseTo(-out[64 + c]!, 6);
    expect([...out].filter((v) => Math.abs(v) > 0.99).length).toBeGreaterThan(0.9 * out.length);
  });
});
