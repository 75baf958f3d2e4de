// What to say after "unknown option 'x'": the valid option the caller most likely meant. PyTorch users write
// snake_case (`label_smoothing`), PyTorch's own names for things minigrad spells differently (`unbiased`), or
// a near miss (`dtyp`); each gets "did you mean ...?", so a PyTorch spelling is never just a list to scan.

/**
 * PyTorch (and NumPy) option names whose minigrad counterpart is another name, keyed by the name lowercased
 * without underscores; `note` says how the value carries over when it is not the same value.
 */
const RENAMES: Record<string, { to: string; note?: string }[]> = {
  unbiased: [{ to: 'correction', note: "PyTorch's unbiased: false is correction: 0; unbiased: true, the default, is correction: 1" }],
  keepdims: [{ to: 'keepdim' }],
  axis: [{ to: 'dim' }],
  dims: [{ to: 'dim' }],
  sizeaverage: [{ to: 'reduction', note: "PyTorch's deprecated size_average and reduce are reduction: 'mean', 'sum' or 'none'" }],
  reduce: [{ to: 'reduction', note: "PyTorch's deprecated size_average and reduce are reduction: 'mean', 'sum' or 'none'" }],
  epsilon: [{ to: 'eps' }],
  learningrate: [{ to: 'lr' }],
  descending: [{ to: 'largest', note: 'largest: false gives the smallest first' }],
  ignoreindex: [{ to: 'ignoreIndex' }],
};

const squash = (name: string) => name.replace(/_/g, '').toLowerCase();

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length];
}

/** "; did you mean 'x'?" (with a note where the value changes meaning), or '' when no valid option is close. */
export function optionHint(key: string, known: readonly string[]): string {
  const k = squash(key);
  // snake_case or another capitalization of a valid name
  const same = known.find((name) => squash(name) === k);
  if (same !== undefined) return `; did you mean '${same}'?`;
  const renamed = (RENAMES[k] ?? []).find((r) => known.includes(r.to));
  if (renamed !== undefined) return `; did you mean '${renamed.to}'?${renamed.note ? ` (${renamed.note})` : ''}`;
  // a typo: at most one edit in a short name, two in a longer one
  const limit = k.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const d = distance(k, squash(name), limit);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : `; did you mean '${best}'?`;
}
