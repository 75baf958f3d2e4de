#!/usr/bin/python3
"""Compares two results files of the mnist-demo experiment (e.g. the demo's results.json and
tools/experiment/pytorch-default.json) per (norm, batch size, metric) as a Markdown table.

    /usr/bin/python3 tools/experiment/compare.py apps/mnist-demo/out/results.json tools/experiment/pytorch-default.json

Each file needs a `summary` array of rows {norm, batchSize, metric, seeds, mean, std}; `values` (one per
seed) are used when present, otherwise mean, std (sample std, n - 1) and len(seeds). Prints mean ± std (n)
for both, the difference A - B and Welch's t statistic (difference over the standard error
sqrt(sA²/nA + sB²/nB)) with its Welch-Satterthwaite degrees of freedom. Standard library only.
"""

import json
import math
import statistics
import sys

NORM_LABELS = {'batch': 'BN', 'group': 'GN', 'layer': 'LN', 'instance': 'IN', 'none': 'none'}
NORM_ORDER = list(NORM_LABELS)
METRIC_ORDER = ['test-error', 'test-error-train-mode', 'test-error-precise-bn', 'train-error']


def stats(row):
    values = row.get('values')
    if values:
        n = len(values)
        return statistics.fmean(values), (statistics.stdev(values) if n > 1 else 0.0), n
    return row['mean'], row.get('std', 0.0), len(row.get('seeds', [])) or 1


def label(path, doc):
    """The file's `framework` field (the PyTorch replica writes one), else minigrad with the path."""
    return doc.get('framework') or f'minigrad ({path})'


def order_key(key):
    norm, n, metric = key
    return (METRIC_ORDER.index(metric) if metric in METRIC_ORDER else 99,
            NORM_ORDER.index(norm) if norm in NORM_ORDER else 99, -n)


def welch(ma, sa, na, mb, sb, nb):
    va, vb = sa * sa / na, sb * sb / nb
    se = math.sqrt(va + vb)
    if se == 0:
        return None, None
    t = (ma - mb) / se
    df_den = (va * va / (na - 1) if na > 1 else 0) + (vb * vb / (nb - 1) if nb > 1 else 0)
    df = (va + vb) ** 2 / df_den if df_den > 0 else None
    return t, df


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    docs = []
    for path in sys.argv[1:]:
        with open(path) as f:
            doc = json.load(f)
        docs.append((label(path, doc), {(r['norm'], r['batchSize'], r['metric']): r for r in doc['summary']}))
    (la, a), (lb, b) = docs
    if la == lb:
        la, lb = f'{la} ({sys.argv[1]})', f'{lb} ({sys.argv[2]})'
    keys = sorted(set(a) | set(b), key=order_key)
    print(f'| norm | batch | metric | {la} | {lb} | difference | Welch t (df) |')
    print('|---|---:|---|---:|---:|---:|---:|')
    for key in keys:
        norm, n, metric = key
        cells = []
        sa = stats(a[key]) if key in a else None
        sb = stats(b[key]) if key in b else None
        for s in (sa, sb):
            cells.append(f'{s[0]:.2f} ± {s[1]:.2f} ({s[2]})' if s else '—')
        if sa and sb:
            t, df = welch(*sa, *sb)
            cells.append(f'{sa[0] - sb[0]:+.2f}')
            cells.append('—' if t is None else f'{t:+.2f}' + (f' ({df:.1f})' if df else ''))
        else:
            cells += ['—', '—']
        print(f'| {NORM_LABELS.get(norm, norm)} | {n} | {metric} | ' + ' | '.join(cells) + ' |')
    print()
    print('± is the sample standard deviation over seeds, (n) the number of seeds; difference = '
          f'{la} − {lb}; |t| below about 2 to 3 (for these few seeds) is within seed noise.')


if __name__ == '__main__':
    main()
