// PyTorch as a peer: runs tools/bench/torch_bench.py with Debian's python3 when torch imports there, and
// reads its medians (JSON on stdout). On machines without torch (CI) it reports why it was skipped.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkloadId } from '../workloads.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../../tools/bench/torch_bench.py', import.meta.url));

export type TorchResult =
  | { ok: true; version: string; threads: number; blas: string; medianMs: Partial<Record<WorkloadId, number>> }
  | { ok: false; reason: string };

function failure(what: string, r: ReturnType<typeof spawnSync>): string {
  if (r.error) return `${what}: ${r.error.message}`;
  const lastLine = String(r.stderr ?? '').trim().split('\n').pop() ?? '';
  return `${what} exited with ${r.status ?? r.signal}${lastLine ? `: ${lastLine}` : ''}`;
}

/** Medians of the given workloads measured by PyTorch on one thread, or why they could not be measured. */
export function runTorch(ids: readonly WorkloadId[], python = PYTHON): TorchResult {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ok: false, reason: failure(`${python} -c "import torch"`, probe) };
  const r = spawnSync(python, [SCRIPT, ...ids], { encoding: 'utf8', timeout: 180_000 });
  if (r.error || r.status !== 0) return { ok: false, reason: failure(`${python} ${SCRIPT}`, r) };
  const out = JSON.parse(r.stdout) as { torch: string; threads: number; blas: string; medianMs: Partial<Record<WorkloadId, number>> };
  return { ok: true, version: out.torch, threads: out.threads, blas: out.blas, medianMs: out.medianMs };
}
