// Bad input to the normalizations: typed errors naming the layer (its dotted name when known) and the shapes;
// and the module plumbing PyTorch users rely on (buffers without gradient, state dict keys, printing).
import { Variable } from '@minigrad/autograd';
import { ArgumentError, DTypeError, ShapeError, randn, tensor, zeros } from '@minigrad/tensor';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../src/layers/containers.js';
import { Linear } from '../src/layers/linear.js';
import { BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm2d, LayerNorm } from '../src/normalization/index.js';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../src/normalization/functional.js';

const v = (shape: number[]) => new Variable(randn(shape));

describe('normalization errors', () => {
  it('GroupNorm: channels not divisible by groups', () => {
    expect(() => new GroupNorm(8, 30)).toThrow(ArgumentError);
    expect(() => new GroupNorm(8, 30)).toThrow('GroupNorm: 30 channels are not divisible by 8 groups');
    expect(() => groupNorm(v([2, 30, 4]), 8)).toThrow(ShapeError);
    expect(() => groupNorm(v([2, 30, 4]), 8)).toThrow('groupNorm: 30 channels are not divisible by 8 groups (input [2,30,4])');
    expect(() => groupNorm(v([2, 4]), 0)).toThrow(ArgumentError);
  });

  it('GroupNorm: wrong channel count or rank names the layer and the shapes', () => {
    expect(() => new GroupNorm(2, 4).call(v([2, 6, 3]))).toThrow('GroupNorm(2, 4): expected an input [N, 4, *], got [2,6,3]');
    expect(() => new GroupNorm(2, 4).call(v([4]))).toThrow(ShapeError);
  });

  it('BatchNorm: wrong rank or channel count', () => {
    expect(() => new BatchNorm2d(3).call(v([2, 3, 4]))).toThrow('BatchNorm2d(3): expected a 4-D input [N, C, H, W], got [2,3,4]');
    expect(() => new BatchNorm2d(3).call(v([2, 4, 3, 3]))).toThrow('BatchNorm2d(3): expected 3 channels (dim 1), got input of shape [2,4,3,3]');
    expect(() => new BatchNorm1d(3).call(v([2, 3, 4, 4]))).toThrow(ShapeError);
    expect(() => new BatchNorm1d(3).call(v([2, 5]))).toThrow('BatchNorm1d(3): expected 3 channels (dim 1), got input of shape [2,5]');
  });

  it('BatchNorm: one value per channel in training is an error, not in eval', () => {
    const bn = new BatchNorm2d(3);
    expect(() => bn.call(v([1, 3, 1, 1]))).toThrow('BatchNorm2d(3): expected more than 1 value per channel when training, got input of shape [1,3,1,1]');
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(() => new BatchNorm1d(3).call(v([1, 3]))).toThrow(ShapeError);
    expect(() => batchNorm(v([1, 3]), null, null, null, null, true)).toThrow('batchNorm: expected more than 1 value per channel when training, got input of shape [1,3]');
    bn.eval();
    expect(bn.call(v([1, 3, 1, 1])).shape).toEqual([1, 3, 1, 1]);
  });

  it('the dotted name of a layer inside a model appears in its errors', () => {
    const model = new Sequential(new Linear(4, 5), new BatchNorm1d(6));
    // The layer named itself; its container does not prefix that again (no "Sequential(): BatchNorm1d(6) ...").
    expect(() => model.call(v([2, 4]))).toThrow(/^BatchNorm1d\(6\) at '1': expected 6 channels \(dim 1\), got input of shape \[2,5\]$/);
  });

  it('InstanceNorm2d: 1x1 spatial in training is an error; momentum null is refused', () => {
    expect(() => new InstanceNorm2d(3).call(v([2, 3, 1, 1]))).toThrow(
      'InstanceNorm2d(3): expected more than 1 spatial element per channel when training, got input of shape [2,3,1,1]',
    );
    expect(() => instanceNorm(v([2, 3, 1]))).toThrow(ShapeError);
    expect(() => new InstanceNorm2d(3).call(v([2, 3, 4]))).not.toThrow(); // unbatched [C, H, W]
    expect(() => new InstanceNorm2d(3).call(v([3, 4]))).toThrow(ShapeError);
    expect(() => new InstanceNorm2d(3, { affine: true }).call(v([2, 4, 2, 2]))).toThrow('InstanceNorm2d(3): expected 3 channels');
    expect(() => new InstanceNorm2d(3, { momentum: null })).toThrow(ArgumentError);
    const tracked = new InstanceNorm2d(3, { trackRunningStats: true }).eval();
    expect(tracked.call(v([2, 3, 1, 1])).shape).toEqual([2, 3, 1, 1]);
  });

  it('LayerNorm: the input must end with normalizedShape', () => {
    expect(() => new LayerNorm([3, 4]).call(v([2, 3, 5]))).toThrow('LayerNorm([3,4]): layerNorm: input of shape [2,3,5] does not end with normalizedShape [3,4]');
    expect(() => layerNorm(v([4]), [2, 4])).toThrow(ShapeError);
    expect(() => new LayerNorm([])).toThrow(ArgumentError);
  });

  it('functional: wrong weight, bias or running-stat shapes and dtypes', () => {
    const x = v([2, 3, 4]);
    expect(() => groupNorm(x, 3, v([4]))).toThrow('groupNorm: weight has shape [4], expected [3] for input [2,3,4]');
    expect(() => layerNorm(x, [4], null, v([3]))).toThrow('layerNorm: bias has shape [3], expected [4] for input [2,3,4]');
    expect(() => batchNorm(x, zeros([2]), zeros([3]), null, null, true)).toThrow('batchNorm: runningMean has shape [2], expected [3]');
    expect(() => batchNorm(x, zeros([3]), null)).toThrow(ArgumentError);
    expect(() => batchNorm(x, null, null)).toThrow('batchNorm: running statistics are required in evaluation mode');
    expect(() => instanceNorm(v([2, 3, 4]), zeros([3]), zeros([3]), null, null, false, 0.1, 1e-5)).not.toThrow();
    expect(() => instanceNorm(v([2, 3, 4]), null, null, null, null, false)).toThrow(ArgumentError);
    expect(() => groupNorm(new Variable(tensor([[1, 2]], { dtype: 'int32' })), 1)).toThrow(DTypeError);
    expect(() => groupNorm(x, 1, new Variable(randn([3], { dtype: 'float64' })))).toThrow(DTypeError);
  });
});

describe('normalization modules: state and printing', () => {
  it('running stats are buffers: no gradient, in the state dict, not parameters', () => {
    const bn = new BatchNorm2d(4);
    expect([...bn.namedParameters()].map(([k]) => k)).toEqual(['weight', 'bias']);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    const x = new Variable(randn([3, 4, 2, 2]), true);
    bn.call(x).sum().backward();
    expect(bn.runningMean instanceof Variable).toBe(false);
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(Object.keys(new BatchNorm2d(4, { affine: false, trackRunningStats: false }).stateDict())).toEqual([]);
    expect(Object.keys(new GroupNorm(2, 4).stateDict())).toEqual(['weight', 'bias']);
    expect(Object.keys(new InstanceNorm2d(4).stateDict())).toEqual([]);
  });

  it('eval mode does not touch the running stats; resetRunningStats restores them', () => {
    const bn = new BatchNorm1d(3);
    bn.call(new Variable(randn([5, 3]).mul(3).add(2)));
    const after = Array.from(bn.runningMean!.toTypedArray());
    expect(after.some((m) => m !== 0)).toBe(true);
    bn.eval().call(new Variable(randn([5, 3])));
    expect(Array.from(bn.runningMean!.toTypedArray())).toEqual(after);
    bn.resetRunningStats();
    expect(Array.from(bn.runningMean!.toTypedArray())).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningVar!.toTypedArray())).toEqual([1, 1, 1]);
  });

  it('prints like PyTorch', () => {
    expect(new BatchNorm2d(3).toString()).toBe('BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
    expect(new BatchNorm1d(3, { momentum: null }).toString()).toBe('BatchNorm1d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)');
    expect(new GroupNorm(32, 64).toString()).toBe('GroupNorm(32, 64, eps=1e-05, affine=True)');
    expect(new LayerNorm(6).toString()).toBe('LayerNorm((6,), eps=1e-05, elementwise_affine=True)');
    expect(new InstanceNorm2d(3).toString()).toBe('InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)');
  });
});
