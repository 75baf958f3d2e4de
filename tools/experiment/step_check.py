#!/usr/bin/python3
"""Step-by-step fidelity check, PyTorch side (issue 11: "GN at batch 2 matches step by step").

tools/experiment/step-check.mjs trains the demo's model in minigrad for K steps and writes a JSON (per-step
losses, learning rates and batch indices, parameter norms at step K) beside the initial and final state
dicts as safetensors. This script builds the same model in PyTorch (pytorch_replica.py's SmallResNet),
loads minigrad's *initial* weights into it (parameters and BN buffers, keys mapped from minigrad's
snake_case onto the module's names, every key checked), trains the same K steps on the same batches
(pytorch_replica.py's data split and mulberry32 Rng, regenerated and checked against the recorded indices)
with the same SGD and cosine schedule, and compares the losses step by step and the weights at step K.

By default it also replays the same steps in float64 PyTorch from the same weights: the distance of each
float32 run (minigrad, PyTorch) from that float64 run shows how much of the difference is the rounding
of float32 kernels (which sum in different orders) rather than a difference in what is computed.

    nice -n 10 node tools/experiment/step-check.mjs --norm group --batch-size 2 --seed 0 --steps 300
    nice -n 10 /usr/bin/python3 tools/experiment/step_check.py /tmp/minigrad-step-check/group-b2-s0.json

Several JSON files give one table. Exit status 1 if any run's losses differ by more than 1e-4 within
the first 50 steps (or if keys, shapes, batches or data do not match: those fail loudly).
"""

import argparse
import json
import math
import os
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pytorch_replica as replica  # noqa: E402  (data loading, Rng port, model)

THRESHOLDS = (1e-5, 1e-4, 1e-3)
GATE_STEPS = 50  # --gate-steps
GATE = 1e-4
WIDTHS = (8, 16, 32, 64)  # RESNET_WIDTHS in apps/mnist-demo/src/architecture.ts


def fail(msg):
    sys.exit(f'step_check: {msg}')


# ------------------------------------------------------------------------------------------ safetensors

ST_DTYPES = {'F64': '<f8', 'F32': '<f4', 'I64': '<i8', 'I32': '<i4', 'I16': '<i2', 'I8': 'i1', 'U8': 'u1',
             'BOOL': '?'}


def read_safetensors(path):
    """{name: numpy array} from a safetensors file: u64 LE header length, JSON header, raw LE data."""
    with open(path, 'rb') as f:
        blob = f.read()
    if len(blob) < 8:
        fail(f'{path}: too short for a safetensors file')
    n = int.from_bytes(blob[:8], 'little')
    header = json.loads(blob[8:8 + n].decode('utf-8'))
    data = memoryview(blob)[8 + n:]
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        if e['dtype'] not in ST_DTYPES:
            fail(f'{path}: tensor {name} has dtype {e["dtype"]}, not handled here')
        begin, end = e['data_offsets']
        dt = np.dtype(ST_DTYPES[e['dtype']])
        count = int(np.prod(e['shape'], dtype=np.int64)) if e['shape'] else 1
        if end - begin != count * dt.itemsize or end > len(data):
            fail(f'{path}: tensor {name} ({e["dtype"]} {e["shape"]}) has data_offsets {e["data_offsets"]} '
                 f'that do not fit')
        out[name] = np.frombuffer(data[begin:end], dtype=dt).reshape(e['shape']).copy()
    return out


def snake(name):
    """minigrad's Module.stateDictKey (camelCase member -> snake_case key), applied per dotted segment."""
    def seg(s):
        if not re.search('[a-z]', s):
            return s
        s = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', s)
        s = re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', s)
        return s.lower()
    return '.'.join(seg(s) for s in name.split('.'))


def load_minigrad_state(model, path):
    """Copies a minigrad state dict (safetensors) into the torch model; every key must match exactly."""
    sd = read_safetensors(path)
    targets = model.state_dict()
    by_snake = {}
    for key in targets:
        s = snake(key)
        if s in by_snake:
            fail(f'torch keys {by_snake[s]} and {key} map to the same minigrad key {s}')
        by_snake[s] = key
    missing = sorted(set(by_snake) - set(sd))
    unexpected = sorted(set(sd) - set(by_snake))
    if missing or unexpected:
        fail(f'{path}: state dict keys do not match the torch model: missing {missing}, unexpected {unexpected}')
    with torch.no_grad():
        for s, key in by_snake.items():
            src, dst = sd[s], targets[key]
            if tuple(src.shape) != tuple(dst.shape):
                fail(f'{path}: {s} has shape {list(src.shape)}, torch {key} has {list(dst.shape)}')
            if dst.is_floating_point() != np.issubdtype(src.dtype, np.floating):
                fail(f'{path}: {s} is {src.dtype}, torch {key} is {dst.dtype}')
            dst.copy_(torch.from_numpy(src).to(dst.dtype))
    return sd, by_snake


# -------------------------------------------------------------------------------------------- the run

class ResNetBlocks(nn.Module):
    """pytorch_replica.SmallResNet with `blocks` down-blocks (the demo's --blocks; the replica has 2)."""

    def __init__(self, norm, groups, blocks):
        super().__init__()
        w = WIDTHS[:blocks + 1]
        self.stem = nn.Conv2d(1, w[0], 3, padding=1, bias=norm == 'none')
        self.stemNorm = replica.conv_norm(norm, w[0], groups)
        for i in range(blocks):
            self.add_module(f'block{i + 1}', replica.DownBlock(w[i], w[i + 1], norm, groups))
        self.blocks = blocks
        self.fc = nn.Linear(w[-1], replica.CLASSES)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.stemNorm(self.stem(x))), 2)
        for i in range(self.blocks):
            x = getattr(self, f'block{i + 1}')(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def build_model(cfg):
    if cfg['model'] != 'resnet':
        fail(f'model {cfg["model"]}: only the resnet is replicated')
    if cfg['blocks'] == 2:
        return replica.SmallResNet(cfg['norm'], cfg['groups'])
    return ResNetBlocks(cfg['norm'], cfg['groups'], cfg['blocks'])


_IMAGES = None


def load_data(cfg, js_data, cache):
    """The demo's split, normalized with minigrad's own mean and std (checked against numpy's)."""
    global _IMAGES
    if _IMAGES is None:
        if cache and os.path.exists(cache):
            z = np.load(cache)
            _IMAGES = (z['images'], z['labels'])
        else:
            _IMAGES = replica.read_fashion(replica.DEFAULT_DATA)
            if cache:
                np.savez(cache, images=_IMAGES[0], labels=_IMAGES[1])
    images, labels = _IMAGES
    if cfg['dataset'] != 'fashion':
        fail(f'dataset {cfg["dataset"]}: only fashion is replicated')
    n = cfg['trainSize']
    order = np.asarray(replica.Rng(replica.SPLIT_SEED).permutation(len(labels)), dtype=np.int64)[:n]
    x = (images[order].astype(np.float64) / 255.0).astype(np.float32).astype(np.float64)
    mean = x.mean()
    std = math.sqrt(((x - mean) ** 2).mean())
    # numpy sums pairwise, data.ts's moments() in order: the two agree to ~1e-11 relative, not bit for bit.
    if abs(mean - js_data['mean']) > 1e-9 or abs(std - js_data['std']) > 1e-9:
        fail(f'pixel mean/std {mean}/{std} differ from minigrad\'s {js_data["mean"]}/{js_data["std"]}')
    # As data.ts's normalize: (x - mean) / std in float64 with minigrad's exact mean and std, stored as float32,
    # so the training images are bit-identical to the demo's.
    x = ((x - js_data['mean']) / js_data['std']).astype(np.float32)
    total = float(np.sum(x.astype(np.float64)))
    if abs(total - js_data['trainPixelSum']) > 1e-6:
        fail(f'normalized training pixels sum to {total}, minigrad\'s to {js_data["trainPixelSum"]}')
    return torch.from_numpy(x.reshape(-1, 1, 28, 28)), torch.from_numpy(labels[order].copy())


def check_batches(cfg, recorded):
    """The recorded batch indices must be train.ts's: one Rng(seed).permutation per epoch, consecutive slices."""
    n, k = cfg['batchSize'], cfg['trainSize'] // cfg['batchSize']
    rng = replica.Rng(cfg['seed'])
    expected = []
    while len(expected) < len(recorded):
        order = rng.permutation(cfg['trainSize'])
        expected += [order[s * n:(s + 1) * n] for s in range(k)]
    expected = expected[:len(recorded)]
    for i, (a, b) in enumerate(zip(expected, recorded)):
        if list(a) != list(b):
            fail(f'step {i + 1}: minigrad used examples {b}, the Rng port gives {a}')
    return expected


def train_torch(cfg, init_path, x_all, y_all, batches, dtype, perturb=0.0):
    torch.manual_seed(0)  # nothing random is drawn; the weights come from minigrad
    model = build_model(cfg)
    load_minigrad_state(model, init_path)
    model = model.to(dtype)
    if perturb:
        # every weight times (1 ± perturb), signs from a fixed generator: a rounding-sized nudge of the start
        gen = torch.Generator().manual_seed(1)
        with torch.no_grad():
            for p in model.parameters():
                sign = torch.randint(0, 2, p.shape, generator=gen).to(dtype) * 2 - 1
                p.mul_(1 + perturb * sign)
    opt = torch.optim.SGD(model.parameters(), lr=cfg['lr'], momentum=cfg['momentum'], weight_decay=cfg['weightDecay'])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg['tMax'], eta_min=0)
    model.train(True)
    losses, lrs = [], []
    for idx in batches:
        idx = torch.tensor(idx, dtype=torch.int64)
        x, y = x_all[idx].to(dtype), y_all[idx]
        lrs.append(opt.param_groups[0]['lr'])
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss))
    return model, np.asarray(losses), np.asarray(lrs)


# ----------------------------------------------------------------------------------------- comparison

def first_above(diff, t):
    over = np.nonzero(diff > t)[0]
    return int(over[0]) + 1 if len(over) else None


def weight_gaps(model, by_snake, final_sd):
    """Per state-dict entry: |‖w_minigrad‖ - ‖w_torch‖| / ‖w_torch‖ and max |w_minigrad - w_torch|."""
    sd = model.state_dict()
    rows = []
    for s, key in by_snake.items():
        t = sd[key].detach().double().numpy()
        m = final_sd[s].astype(np.float64)
        if not np.issubdtype(final_sd[s].dtype, np.floating):
            if not np.array_equal(t, m):
                fail(f'{s}: minigrad {m} vs torch {t} at step K')
            continue
        nt, nm = float(np.linalg.norm(t)), float(np.linalg.norm(m))
        rows.append({'key': s, 'normMinigrad': nm, 'normTorch': nt,
                     'relNormDiff': abs(nm - nt) / nt if nt > 0 else abs(nm - nt),
                     'maxAbsDiff': float(np.max(np.abs(m - t))), 'maxAbs': float(np.max(np.abs(t)))})
    return rows


def fmt_step(s):
    return '—' if s is None else str(s)


def check(path, args):
    with open(path) as f:
        js = json.load(f)
    cfg = js['config']
    t0 = time.time()
    x_all, y_all = load_data(cfg, js['data'], args.cache)
    batches = check_batches(cfg, js['batches'])
    ml = np.asarray(js['losses'], dtype=np.float64)
    init_path = js['initWeights']
    if not os.path.isabs(init_path):
        init_path = os.path.join(os.path.dirname(path), init_path)
    final_path = js['finalWeights']
    if not os.path.isabs(final_path):
        final_path = os.path.join(os.path.dirname(path), final_path)

    model, tl, tlr = train_torch(cfg, init_path, x_all, y_all, batches, torch.float32)
    lr_diff = float(np.max(np.abs(tlr - np.asarray(js['lrs']))))
    if lr_diff > 1e-12 * cfg['lr']:
        fail(f'{path}: learning rates differ by {lr_diff}')
    diff = np.abs(ml - tl)
    final_sd = read_safetensors(final_path)
    _, by_snake = load_minigrad_state(build_model(cfg), init_path)  # the key map only
    gaps = weight_gaps(model, by_snake, final_sd)
    res = {
        'file': path, 'norm': cfg['norm'], 'batchSize': cfg['batchSize'], 'seed': cfg['seed'], 'steps': len(ml),
        'maxLossDiff': float(diff.max()), 'stepOfMax': int(diff.argmax()) + 1,
        'maxLossDiffFirst50': float(diff[:GATE_STEPS].max()),
        'gateSteps': args.gate_steps, 'maxLossDiffGate': float(diff[:args.gate_steps].max()),
        'firstAbove': {str(t): first_above(diff, t) for t in THRESHOLDS},
        'lossMinigrad': [float(ml[0]), float(ml[-1])], 'lossTorch': [float(tl[0]), float(tl[-1])],
        'maxLrDiff': lr_diff,
        'maxRelNormDiff': max(g['relNormDiff'] for g in gaps),
        'maxRelNormDiffKey': max(gaps, key=lambda g: g['relNormDiff'])['key'],
        'weights': gaps,
    }
    if not args.no_float64:
        _, t64, _ = train_torch(cfg, init_path, x_all, y_all, batches, torch.float64)
        _, p64, _ = train_torch(cfg, init_path, x_all, y_all, batches, torch.float64, perturb=2.0 ** -24)
        m64, tt64, pp64 = np.abs(ml - t64), np.abs(tl - t64), np.abs(p64 - t64)
        res['float64'] = {
            'maxLossDiffMinigrad': float(m64.max()), 'maxLossDiffTorch': float(tt64.max()),
            'firstAboveMinigrad': {str(t): first_above(m64, t) for t in THRESHOLDS},
            'firstAboveTorch': {str(t): first_above(tt64, t) for t in THRESHOLDS},
            'maxLossDiffNudged': float(pp64.max()),
            'firstAboveNudged': {str(t): first_above(pp64, t) for t in THRESHOLDS},
        }
    res['seconds'] = time.time() - t0
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='+', help='JSON files written by step-check.mjs')
    p.add_argument('--no-float64', action='store_true', help='skip the float64 PyTorch reference run')
    p.add_argument('--weights', action='store_true', help='also print the per-tensor comparison at step K')
    p.add_argument('--out', help='write the comparison as JSON here')
    p.add_argument('--gate-steps', type=int, default=GATE_STEPS,
                   help=f'exit 1 if |Δloss| > {GATE:g} within this many first steps ({GATE_STEPS})')
    p.add_argument('--cache', default='/tmp/minigrad-fashion-mnist.npz',
                   help='parsed images cache, shared with pytorch_replica.py (empty string: none)')
    args = p.parse_args()
    torch.set_num_threads(1)
    results = [check(path, args) for path in args.runs]

    f64 = not args.no_float64
    head = ('| norm | N | seed | steps | max \\|Δloss\\| (at step) | max in first 50 | first step > 1e-5 | > 1e-4 | > 1e-3 '
            '| max rel. Δ‖w‖ at K (tensor) |')
    rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'
    if f64:
        head += ' vs float64: first step > 1e-5 / 1e-4, minigrad | PyTorch f32 | float64 nudged |'
        rule += '---:|---:|---:|'
    print(head)
    print(rule)
    for r in results:
        fa = r['firstAbove']
        line = (f'| {r["norm"]} | {r["batchSize"]} | {r["seed"]} | {r["steps"]} '
                f'| {r["maxLossDiff"]:.1e} ({r["stepOfMax"]}) | {r["maxLossDiffFirst50"]:.1e} '
                f'| {fmt_step(fa["1e-05"])} | {fmt_step(fa["0.0001"])} | {fmt_step(fa["0.001"])} '
                f'| {r["maxRelNormDiff"]:.1e} ({r["maxRelNormDiffKey"]}) |')
        if f64:
            m, t, n = (r['float64'][k] for k in ('firstAboveMinigrad', 'firstAboveTorch', 'firstAboveNudged'))
            line += ''.join(f' {fmt_step(v["1e-05"])} / {fmt_step(v["0.0001"])} |' for v in (m, t, n))
        print(line)
    print()
    print('Δloss: |minigrad − PyTorch| per step (steps from 1), both float32, from the same initial weights on the '
          'same batches; "—": never. Δ‖w‖: |‖w‖ minigrad − ‖w‖ PyTorch| / ‖w‖ PyTorch at the last step.'
          + (' "vs float64": the first step at which each float32 run\'s loss leaves PyTorch float64\'s (same '
             'weights, same batches) by more than 1e-5 / 1e-4: the float32 rounding, amplified by training; "nudged": '
             'PyTorch float64 again, every initial weight times 1 ± 2^-24 (half a float32 ulp), against the '
             'un-nudged float64 run: how fast training itself amplifies a rounding-sized difference.' if f64 else ''))
    if args.weights:
        for r in results:
            print(f'\n{r["norm"]} N={r["batchSize"]} seed {r["seed"]}, step {r["steps"]}:\n')
            print('| tensor | ‖w‖ minigrad | ‖w‖ PyTorch | rel. Δ‖w‖ | max \\|Δw\\| | max \\|w\\| |')
            print('|---|---:|---:|---:|---:|---:|')
            for g in r['weights']:
                print(f'| {g["key"]} | {g["normMinigrad"]:.6f} | {g["normTorch"]:.6f} | {g["relNormDiff"]:.1e} '
                      f'| {g["maxAbsDiff"]:.1e} | {g["maxAbs"]:.3f} |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump({'framework': 'pytorch ' + torch.__version__, 'results': results}, f, indent=1)
            f.write('\n')
    bad = [r for r in results if r['maxLossDiffGate'] > GATE]
    for r in bad:
        print(f'FAIL: {r["norm"]} N={r["batchSize"]} seed {r["seed"]}: losses differ by '
              f'{r["maxLossDiffGate"]:.2e} > {GATE:g} within the first {args.gate_steps} steps', file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
