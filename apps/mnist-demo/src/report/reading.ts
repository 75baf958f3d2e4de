import { findRow, type NoiseRow, type Results, type SummaryRow } from './results.js';
import { batchSizeChanges, seOf, signed } from './table.js';

/** Standard errors a change must exceed to count as resolved by the run (the issue's bar). */
export const RESOLVED_SE = 2.5;

/** The paper's ResNet-50 ImageNet validation errors (Table 2) at batch sizes 32 and 2. */
const PAPER = { batch: { 32: 23.6, 2: 34.7 }, group: { 32: 24.1, 2: 24.1 } } as const;

/**
 * What this run shows, in sentences built from its own numbers (never typed in): how BN's and GN's errors
 * change with the batch size and whether the seeds resolve it, what the mechanism measurements say, and how
 * that compares with the paper.
 */
export function readResults(r: Pick<Results, 'summary' | 'bnNoise'>): string[] {
  const out: string[] = [];
  const changes = batchSizeChanges(r.summary);
  const bn = changes.find((c) => c.norm === 'batch');
  const gn = changes.find((c) => c.norm === 'group');
  if (!bn) return ['This run did not train BN at two batch sizes, so it says nothing about the batch-size effect.'];
  const verdict = Number.isNaN(bn.t)
    ? 'with one seed nothing is resolved'
    : Math.abs(bn.t) > RESOLVED_SE ? `larger than ${RESOLVED_SE} standard errors, so the seeds resolve it` : `within ${RESOLVED_SE} standard errors, so these seeds do not resolve it`;
  out.push(
    `From batch size ${bn.from} to ${bn.to}, BN's test error changes by ${signed(bn.delta)} points (${seOf(bn)}): ${verdict}.` +
    (gn ? ` GN's changes by ${signed(gn.delta)} points (${seOf(gn)}).` : ''),
  );
  if (bn.from === 32 && bn.to === 2) {
    out.push(
      `The paper (ResNet-50 on ImageNet, 100 epochs) reports ${signed(PAPER.batch[2] - PAPER.batch[32])} points for BN and ` +
      `${signed(PAPER.group[2] - PAPER.group[32])} for GN between the same batch sizes; here the effect is ` +
      `${bn.delta > 0 ? `${(bn.delta / (PAPER.batch[2] - PAPER.batch[32]) * 100).toFixed(0)}% of the paper's size` : 'absent'}.`,
    );
  }
  const mechanism = mechanismSentence(r.summary, bn.from, bn.to);
  if (mechanism) out.push(mechanism);
  const noise = noiseSentence(r.bnNoise, bn.from, bn.to);
  if (noise) out.push(noise);
  return out;
}

function mechanismSentence(summary: readonly SummaryRow[], from: number, to: number): string | null {
  const at = (n: number, metric: Parameters<typeof findRow>[3]) => findRow(summary, 'batch', n, metric)?.mean;
  const [running, precise, trainMode] = [at(to, 'test-error'), at(to, 'test-error-precise-bn'), at(to, 'test-error-train-mode')];
  const [trainFrom, trainTo] = [at(from, 'train-error'), at(to, 'train-error')];
  const gn = [findRow(summary, 'group', from, 'train-error')?.mean, findRow(summary, 'group', to, 'train-error')?.mean];
  if (running === undefined || precise === undefined || trainMode === undefined || trainFrom === undefined || trainTo === undefined) return null;
  const gap = running - precise;
  return (
    `At batch size ${to}, BN's test error is ${running.toFixed(2)}% with its running statistics, ${precise.toFixed(2)}% after precise BN ` +
    `(${signed(-gap)} points) and ${trainMode.toFixed(2)}% with each test batch's own statistics. ` +
    (Math.abs(gap) < 0.5
      ? 'Re-estimating the statistics hardly helps, so the mismatch of the running statistics is not what costs BN here; '
      : `Re-estimating the statistics ${gap > 0 ? 'recovers part of it, so the running statistics are part of the cost' : 'makes it worse'}; `) +
    `BN's training error (last epoch, training mode) moves from ${trainFrom.toFixed(2)}% at batch ${from} to ${trainTo.toFixed(2)}% at batch ${to}` +
    (gn[0] !== undefined && gn[1] !== undefined ? ` (GN's from ${gn[0].toFixed(2)}% to ${gn[1].toFixed(2)}%)` : '') +
    (trainTo > trainFrom ? ', so the noisy statistics also hurt what the weights learn.' : '.')
  );
}

function noiseSentence(noise: readonly NoiseRow[], from: number, to: number): string | null {
  const avg = (n: number, key: 'meanNoise' | 'varNoise') => {
    const rs = noise.filter((x) => x.batchSize === n);
    return rs.length === 0 ? undefined : rs.reduce((s, x) => s + x[key], 0) / rs.length;
  };
  const [m1, m2, v1, v2] = [avg(from, 'meanNoise'), avg(to, 'meanNoise'), avg(from, 'varNoise'), avg(to, 'varNoise')];
  if (m1 === undefined || m2 === undefined || v1 === undefined || v2 === undefined) return null;
  return (
    `Averaged over BN layers, a training batch's per-channel mean is off the population mean by ${m1.toFixed(3)} σ (RMS) at batch size ${from} and ` +
    `${m2.toFixed(3)} σ at ${to} (×${(m2 / m1).toFixed(1)}; independent samples would give ×${Math.sqrt(from / to).toFixed(1)}), and its variance by ` +
    `${(100 * v1).toFixed(1)}% and ${(100 * v2).toFixed(1)}%: the statistics BN normalizes with in training get that much noisier as the batch shrinks.`
  );
}
