// The rows of the summary table: the workloads of the speed issue, each with the unit its figure is quoted in.
// A case tags itself with a workload id; tools/bench/torch_bench.py measures the same ids.

export type WorkloadId =
  | 'sgemm512'
  | 'sgemm512TwoThreads'
  | 'cnnBatch2'
  | 'cnnBatch32'
  | 'cnnBatch2TwoThreads'
  | 'cnnBatch32TwoThreads'
  | 'groupNorm'
  | 'chainedAdds'
  | 'conv2dForward'
  | 'conv2dBackwardInput'
  | 'conv2dBackwardWeight';

export interface Workload {
  label: string;
  unit: 'GFLOP/s' | 'steps/s' | 'images/s' | 'ms';
  /** The figure in `unit` from the median milliseconds of one run. */
  fromMs: (ms: number) => number;
  /** A training step (a peer that cannot run it 'cannot train'). */
  training?: true;
  /** Threads every implementation gets on this row (1 when absent): minigrad's setThreads, PyTorch's
   * torch.set_num_threads and OPENBLAS_NUM_THREADS, jax-js's worker count. */
  threads?: number;
}

const SGEMM_FLOPS = 2 * 512 ** 3;
/** The conv layer the conv rows use: [32,32,14,14] * [64,32,3,3], padding 1 (one multiply-add per tap). */
export const CONV_LAYER = { input: [32, 32, 14, 14], outChannels: 64 } as const;
export const CONV_FLOPS = 2 * 32 * 64 * 14 * 14 * 32 * 9;

const perSecond = (n: number) => (ms: number) => (n * 1000) / ms;
const gflops = (flops: number) => (ms: number) => flops / (ms * 1e6);
const conv = 'conv [32,32,14,14]*[64,32,3,3]';

export const WORKLOADS: Record<WorkloadId, Workload> = {
  sgemm512: { label: 'sgemm 512x512x512', unit: 'GFLOP/s', fromMs: gflops(SGEMM_FLOPS) },
  sgemm512TwoThreads: { label: 'sgemm 512x512x512, 2 threads', unit: 'GFLOP/s', fromMs: gflops(SGEMM_FLOPS), threads: 2 },
  cnnBatch2: { label: 'CNN+GN train step, batch 2', unit: 'steps/s', fromMs: perSecond(1), training: true },
  cnnBatch32: { label: 'CNN+GN train step, batch 32', unit: 'images/s', fromMs: perSecond(32), training: true },
  cnnBatch2TwoThreads: { label: 'CNN+GN train step, batch 2, 2 threads', unit: 'steps/s', fromMs: perSecond(1), training: true, threads: 2 },
  cnnBatch32TwoThreads: { label: 'CNN+GN train step, batch 32, 2 threads', unit: 'images/s', fromMs: perSecond(32), training: true, threads: 2 },
  groupNorm: { label: 'GroupNorm(32) fwd+bwd [2,64,14,14]', unit: 'ms', fromMs: (ms) => ms },
  chainedAdds: { label: '10k chained [2,2] adds + backward', unit: 'ms', fromMs: (ms) => ms },
  conv2dForward: { label: `${conv} forward`, unit: 'GFLOP/s', fromMs: gflops(CONV_FLOPS) },
  conv2dBackwardInput: { label: `${conv} grad input`, unit: 'GFLOP/s', fromMs: gflops(CONV_FLOPS) },
  conv2dBackwardWeight: { label: `${conv} grad weight`, unit: 'GFLOP/s', fromMs: gflops(CONV_FLOPS) },
};

export const WORKLOAD_IDS = Object.keys(WORKLOADS) as WorkloadId[];
