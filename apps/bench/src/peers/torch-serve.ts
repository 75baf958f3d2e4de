// PyTorch as a long-lived child for the interleaved phase (interleaved.ts): `torch_bench.py --threads n
// --serve` in the same environment as peers/torch.ts's runs (torchEnv: OpenBLAS's variables in that child
// only), asked for one timed sample at a time over stdin/stdout, so that a round does not pay Python's and
// torch's start-up (seconds) per sample. Between requests the child blocks on stdin and uses no CPU.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { WorkloadId } from '../workloads.js';
import { type TorchOptions, type TorchRun, PYTHON, SCRIPT, OPENBLAS_DIR, probeTorch, torchEnv } from './torch.js';

/** A request gets no answer for this long: the child is stuck (a CNN step sample takes a few seconds at most). */
const ANSWER_TIMEOUT_MS = 120_000;

export interface TorchServer {
  threads: number;
  /** The median ms of one run of the workload, measured by the child as torch_bench.py does, with this budget. */
  sampleMs(id: WorkloadId, budgetS: number): Promise<number>;
  /** torch's version and BLAS as the child sees them (what describeTorch prints). */
  info(): Promise<TorchRun & { torch: string }>;
  close(): void;
}

export type TorchServerStart = { ok: true; server: TorchServer } | { ok: false; reason: string };

/** Starts the child on `threads` threads, or says why PyTorch cannot run (no torch: the same probe as runTorch). */
export function startTorchServer(threads: number, opts: Omit<TorchOptions, 'budgetS'> = {}): TorchServerStart {
  const { python = PYTHON, baseEnv = process.env, openblasDir = OPENBLAS_DIR } = opts;
  const missing = probeTorch(python, baseEnv, openblasDir);
  if (missing) return { ok: false, reason: missing };
  const args = [SCRIPT, '--threads', String(threads), '--serve'];
  const child = spawn(python, args, { env: torchEnv(threads, baseEnv, openblasDir), stdio: ['pipe', 'pipe', 'pipe'] });
  return { ok: true, server: new Server(child, threads, `${python} ${args.join(' ')}`) };
}

class Server implements TorchServer {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  private exit: string | undefined;

  constructor(private readonly child: ChildProcessWithoutNullStreams, readonly threads: number, private readonly command: string) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on('data', (d: Buffer) => void (this.stderr += d.toString()));
    child.on('error', (e) => void (this.exit = e.message));
    child.on('exit', (code, signal) => void (this.exit ??= `exited with ${code ?? signal}`));
  }

  /** One request line, one answer line; requests are sent one at a time (the phase awaits each). */
  private async ask(request: object): Promise<Record<string, unknown>> {
    const fail = (why: string): Error => {
      const lastLine = this.stderr.trim().split('\n').pop() ?? '';
      return new Error(`${this.command}: ${why}${lastLine ? `: ${lastLine}` : ''}`);
    };
    if (this.exit !== undefined) throw fail(this.exit);
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(fail(`no answer to ${JSON.stringify(request)} in ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
    });
    try {
      const line = await Promise.race([this.lines.next(), timeout]);
      if (line.done) throw fail(this.exit ?? 'closed its stdout');
      const answer = JSON.parse(line.value) as Record<string, unknown>;
      if (typeof answer.error === 'string') throw fail(answer.error);
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  async sampleMs(id: WorkloadId, budgetS: number): Promise<number> {
    const { ms } = await this.ask({ run: id, budget: budgetS });
    if (typeof ms !== 'number') throw new Error(`${this.command}: answered ${JSON.stringify(ms)} for ${id}, not a number of ms`);
    return ms;
  }

  async info(): Promise<TorchRun & { torch: string }> {
    return (await this.ask({ info: true })) as unknown as TorchRun & { torch: string };
  }

  close(): void {
    this.child.stdin.end(); // the child's loop ends at end of input
  }
}
