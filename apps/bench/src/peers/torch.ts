// PyTorch as a peer: runs tools/bench/torch_bench.py with Debian's python3 when torch imports there, once per
// thread count of the requested workloads, and reads its medians (JSON on stdout). On machines without torch
// (CI) it reports why it was skipped.
//
// The child's environment is the only place where the bench touches OpenBLAS's settings (nothing global):
// - OPENBLAS_NUM_THREADS = the row's thread count (torch.set_num_threads does not reach OpenBLAS's own pool);
// - OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset: these machines set them for old OpenBLAS builds, and a forced
//   core type (e.g. Haswell) keeps OpenBLAS 0.3.21 off the AVX-512 kernel it picks for this CPU by itself;
// - LD_LIBRARY_PATH starts with Debian's OpenBLAS directory when it exists, so torch's libblas.so.3 is OpenBLAS
//   whatever Debian's alternatives point at (they normally already do once libopenblas0-pthread is installed).
// The script reports the BLAS libraries mapped into its process and OpenBLAS's core, printed above the summary.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, type WorkloadId } from '../workloads.js';

export const PYTHON = '/usr/bin/python3';
export const SCRIPT = fileURLToPath(new URL('../../../../tools/bench/torch_bench.py', import.meta.url));
/** Debian's libopenblas0-pthread: libblas.so.3, liblapack.so.3 and libopenblas.so.0 of OpenBLAS. */
export const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

/** What the script saw of its BLAS in one run (one thread count). */
export interface TorchRun {
  threads: number;
  /** BLAS_INFO of torch's build ('generic' on Debian: torch.mm calls libblas.so.3). */
  blas: string;
  /** BLAS/LAPACK libraries mapped into the python process. */
  blasLibs: string[];
  /** OpenBLAS's config string, its kernel (core) and thread count, when the BLAS is OpenBLAS. */
  openblas: { config: string; corename: string; threads: number; library: string } | null;
  /** The OPENBLAS_* variables of the child. */
  env: Record<string, string>;
}

export type TorchResult =
  | { ok: true; version: string; runs: TorchRun[]; medianMs: Partial<Record<WorkloadId, number>> }
  | { ok: false; reason: string };

export interface TorchOptions {
  python?: string;
  /** Seconds per workload (torch_bench.py --budget); the bench's BENCH_QUICK run passes less. */
  budgetS?: number;
  /** The environment the child's is derived from (tests pass their own). */
  baseEnv?: NodeJS.ProcessEnv;
  openblasDir?: string;
}

/** The child's environment for a run on `threads` threads (see the top of this file). */
export function torchEnv(threads: number, base: NodeJS.ProcessEnv = process.env, openblasDir = OPENBLAS_DIR): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, OPENBLAS_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (existsSync(openblasDir)) env.LD_LIBRARY_PATH = [openblasDir, base.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}

/** The workloads grouped by the thread count PyTorch gets on their row (one child process per group). */
export function byThreads(ids: readonly WorkloadId[]): Map<number, WorkloadId[]> {
  const groups = new Map<number, WorkloadId[]>();
  for (const id of ids) {
    const t = WORKLOADS[id].threads ?? 1;
    groups.set(t, [...(groups.get(t) ?? []), id]);
  }
  return new Map([...groups].sort(([a], [b]) => a - b));
}

function failure(what: string, r: ReturnType<typeof spawnSync>): string {
  if (r.error) return `${what}: ${r.error.message}`;
  const lastLine = String(r.stderr ?? '').trim().split('\n').pop() ?? '';
  return `${what} exited with ${r.status ?? r.signal}${lastLine ? `: ${lastLine}` : ''}`;
}

/** Why PyTorch cannot run here (python missing, or torch does not import in it), or undefined when it can. */
export function probeTorch(python: string, baseEnv: NodeJS.ProcessEnv, openblasDir: string): string | undefined {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', env: torchEnv(1, baseEnv, openblasDir) });
  return probe.error || probe.status !== 0 ? failure(`${python} -c "import torch"`, probe) : undefined;
}

/** Medians of the given workloads measured by PyTorch (each on its row's thread count), or why they could not be. */
export function runTorch(ids: readonly WorkloadId[], opts: TorchOptions = {}): TorchResult {
  const { python = PYTHON, budgetS, baseEnv = process.env, openblasDir = OPENBLAS_DIR } = opts;
  const missing = probeTorch(python, baseEnv, openblasDir);
  if (missing) return { ok: false, reason: missing };
  let version = '';
  const runs: TorchRun[] = [];
  const medianMs: Partial<Record<WorkloadId, number>> = {};
  for (const [threads, group] of byThreads(ids)) {
    const args = [SCRIPT, '--threads', String(threads), ...(budgetS === undefined ? [] : ['--budget', String(budgetS)]), ...group];
    const r = spawnSync(python, args, { encoding: 'utf8', timeout: 300_000, env: torchEnv(threads, baseEnv, openblasDir) });
    if (r.error || r.status !== 0) return { ok: false, reason: failure(`${python} ${args.join(' ')}`, r) };
    const out = JSON.parse(r.stdout) as TorchRun & { torch: string; medianMs: Partial<Record<WorkloadId, number>> };
    version = out.torch;
    runs.push({ threads: out.threads, blas: out.blas, blasLibs: out.blasLibs, openblas: out.openblas, env: out.env });
    Object.assign(medianMs, out.medianMs);
  }
  return { ok: true, version, runs, medianMs };
}

/** One run's line: which BLAS torch.mm used, OpenBLAS's kernel and threads, and the OPENBLAS_* it saw. */
export function describeRun(run: TorchRun): string {
  const env = Object.entries(run.env).map(([k, v]) => `${k}=${v}`).join(' ') || 'no OPENBLAS_* set';
  const blas = run.openblas
    ? `OpenBLAS, core ${run.openblas.corename}, ${run.openblas.threads} thread(s) (${run.openblas.config}; ${run.openblas.library})`
    : `not OpenBLAS: ${run.blasLibs.join(', ') || 'no libblas mapped'} (torch.mm may be on the reference BLAS)`;
  return `  ${run.threads} thread(s): BLAS_INFO=${run.blas}, libblas = ${blas}; ${env}`;
}

/** One line per run (describeRun) under the version. */
export function describeTorch(r: TorchResult): string {
  if (!r.ok) return `PyTorch skipped: ${r.reason}`;
  return [`PyTorch ${r.version} ran tools/bench/torch_bench.py once per thread count:`, ...r.runs.map(describeRun)].join('\n');
}
