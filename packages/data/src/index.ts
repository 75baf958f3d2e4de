// @minigrad/data: datasets, random splits and a seeded DataLoader that batches them (torch.utils.data).
export { Dataset, type DatasetLike } from './dataset.js';
export { TensorDataset } from './tensor-dataset.js';
export { Subset } from './subset.js';
export { ConcatDataset } from './concat.js';
export { randomSplit, type RandomSplitOptions } from './random-split.js';
export { type Sampler, type RandomSamplerOptions, type Sized, type HasLength, SequentialSampler, RandomSampler } from './sampler.js';
export { type Collated, defaultCollate } from './collate.js';
export { DataLoader, type DataLoaderOptions } from './loader.js';
