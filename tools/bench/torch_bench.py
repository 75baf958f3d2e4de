"""PyTorch (CPU, one thread) on the workloads of apps/bench's summary table.

Usage: /usr/bin/python3 tools/bench/torch_bench.py [workload ids...]   (all when none are given)
One thread except for the workloads listed in THREADS.
Prints one JSON object on stdout: {"torch": version, "threads": 1, "blas": BLAS_INFO of the build,
"medianMs": {id: median ms of one run}}. (Debian's build reports BLAS_INFO=generic: torch.mm then runs on the
reference BLAS, while convolutions go through oneDNN.)
Each workload is warmed up, then timed in samples of enough calls to last >= 5 ms, as apps/bench does.
"""
import json
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
BUDGET_S = 1.0


def median_ms(run, budget_s=BUDGET_S, min_samples=5):
    start = time.perf_counter()
    calls = 0
    while calls < 2 or (time.perf_counter() - start < budget_s * 0.25 and calls < 10_000):
        run()
        calls += 1
    per_call = max((time.perf_counter() - start) / calls, 1e-9)
    batch = max(1, int(0.005 / per_call + 0.999))
    count = min(50, max(min_samples, int(budget_s * 0.75 / (per_call * batch))))
    samples = []
    for _ in range(count):
        t = time.perf_counter()
        for _ in range(batch):
            run()
        samples.append((time.perf_counter() - t) / batch * 1000)
    return statistics.median(samples)


def sgemm512():
    a, b = torch.randn(512, 512), torch.randn(512, 512)
    return lambda: torch.mm(a, b)


def cnn_step(batch):
    g = 8  # groups of both GroupNorm layers, as apps/bench/src/suites/cnn.ts
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.GroupNorm(g, 32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.GroupNorm(g, 64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))

    def run():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return run


def group_norm():
    x = torch.randn(2, 64, 14, 14, requires_grad=True)
    w, b = torch.randn(64, requires_grad=True), torch.randn(64, requires_grad=True)
    dy = torch.randn(2, 64, 14, 14)

    def run():
        F.group_norm(x, 32, w, b, 1e-5).backward(dy)
        x.grad = w.grad = b.grad = None
    return run


def chained_adds():
    a, b = torch.randn(2, 2, requires_grad=True), torch.randn(2, 2, requires_grad=True)

    def run():
        x = a
        for _ in range(10_000):
            x = x + b
        x.sum().backward()
        a.grad = b.grad = None
    return run


# The conv layer of the conv rows: [32,32,14,14] * [64,32,3,3], padding 1.
def conv_tensors():
    return torch.randn(32, 32, 14, 14), torch.randn(64, 32, 3, 3), torch.randn(32, 64, 14, 14)


def conv_forward():
    x, w, _ = conv_tensors()
    return lambda: F.conv2d(x, w, padding=1)


def conv_backward_input():
    x, w, gy = conv_tensors()
    return lambda: torch.nn.grad.conv2d_input(x.shape, w, gy, padding=1)


def conv_backward_weight():
    x, w, gy = conv_tensors()
    return lambda: torch.nn.grad.conv2d_weight(x, w.shape, gy, padding=1)


WORKLOADS = {
    'sgemm512': sgemm512,
    'sgemm512TwoThreads': sgemm512,
    'cnnBatch2': lambda: cnn_step(2),
    'cnnBatch32': lambda: cnn_step(32),
    'groupNorm': group_norm,
    'chainedAdds': chained_adds,
    'conv2dForward': conv_forward,
    'conv2dBackwardInput': conv_backward_input,
    'conv2dBackwardWeight': conv_backward_weight,
}

# Workloads timed with more than one thread (all others use one).
THREADS = {'sgemm512TwoThreads': 2}


def main():
    ids = sys.argv[1:] or list(WORKLOADS)
    unknown = [i for i in ids if i not in WORKLOADS]
    if unknown:
        sys.exit(f'torch_bench.py: unknown workloads {unknown}; known: {list(WORKLOADS)}')
    torch.manual_seed(0)
    results = {}
    for i in ids:
        torch.set_num_threads(THREADS.get(i, 1))
        results[i] = median_ms(WORKLOADS[i]())
    torch.set_num_threads(1)
    blas = re.search(r'BLAS_INFO=(\w+)', torch.__config__.show())
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'blas': blas.group(1) if blas else 'unknown', 'medianMs': results}))


if __name__ == '__main__':
    main()
