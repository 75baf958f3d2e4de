"""PyTorch (CPU) on the workloads of apps/bench's summary table, on a given number of threads.

Usage: /usr/bin/python3 tools/bench/torch_bench.py [--threads N] [--budget S] [workload ids...]
  (all workloads when none are given; N = 1 by default; S = seconds per workload, 1.0 by default)
   or: /usr/bin/python3 tools/bench/torch_bench.py --threads N --serve
  (apps/bench's interleaved phase, src/peers/torch-serve.ts: one JSON request per line on stdin, one JSON
  answer per line on stdout, until stdin closes; see serve() below)
apps/bench runs it once per thread count, in an environment where OPENBLAS_NUM_THREADS=N and
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset (src/peers/torch.ts), so that OpenBLAS picks the kernel of
this CPU and uses as many threads as torch.set_num_threads(N) gives the rest of PyTorch.
Prints one JSON object on stdout: {"torch": version, "threads": N, "blas": BLAS_INFO of the build,
"blasLibs": BLAS/LAPACK libraries mapped into this process, "openblas": {"config", "corename", "threads"}
or null, "env": the OPENBLAS_* variables it saw, "medianMs": {id: median ms of one run}}.
Debian's build reports BLAS_INFO=generic: torch.mm then calls whatever libblas.so.3 resolves to (Debian's
alternatives: OpenBLAS when libopenblas0-pthread is installed, else the reference BLAS at a few GFLOP/s);
its convolutions go through oneDNN either way.
Each workload is warmed up, then timed in samples of enough calls to last >= 5 ms, as apps/bench does.
"""
import ctypes
import json
import os
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
BUDGET_S = 1.0


def median_ms(run, budget_s, min_samples=5):
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

# The same steps on two threads (apps/bench's cnn suite times minigrad's step on two threads beside them).
WORKLOADS['cnnBatch2TwoThreads'] = WORKLOADS['cnnBatch2']
WORKLOADS['cnnBatch32TwoThreads'] = WORKLOADS['cnnBatch32']


def blas_libs():
    """BLAS/LAPACK shared objects mapped into this process (what torch.mm really calls)."""
    with open('/proc/self/maps') as maps:
        return sorted({line.split()[-1] for line in maps if re.search(r'/lib[^/]*(blas|lapack)[^/]*\.so', line)})


def openblas_info(libs):
    """OpenBLAS's build config, the kernel (core) it chose for this CPU and its thread count, or None."""
    for path in libs:
        if 'openblas' not in os.path.basename(path):
            continue
        lib = ctypes.CDLL(path)
        info = {}
        for name in ('openblas_get_config', 'openblas_get_corename'):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_char_p
            info[name[len('openblas_get_'):]] = fn().decode()
        info['threads'] = lib.openblas_get_num_threads()
        info['library'] = path
        return info
    return None


def describe():
    """torch's version and threads, its BLAS (see the top of this file) and the OPENBLAS_* variables it saw."""
    blas = re.search(r'BLAS_INFO=(\w+)', torch.__config__.show())
    libs = blas_libs()
    env = {k: v for k, v in sorted(os.environ.items()) if k.startswith('OPENBLAS_')}
    return {'torch': torch.__version__, 'threads': torch.get_num_threads(),
            'blas': blas.group(1) if blas else 'unknown', 'blasLibs': libs,
            'openblas': openblas_info(libs), 'env': env}


def serve():
    """Answers one request per stdin line, so that apps/bench can time PyTorch between its own samples:
    {"run": id, "budget": S} -> {"ms": median ms of one run, measured as median_ms does with budget S}
    (each workload is built on its first request and kept, so later requests only warm it up again);
    {"info": true} -> describe(); anything else -> {"error": why}."""
    built = {}
    for line in iter(sys.stdin.readline, ''):
        try:
            req = json.loads(line)
            if req.get('info'):
                answer = describe()
            elif req.get('run') in WORKLOADS:
                if req['run'] not in built:
                    built[req['run']] = WORKLOADS[req['run']]()
                answer = {'ms': median_ms(built[req['run']], float(req['budget']))}
            else:
                answer = {'error': f'unknown request {line.strip()}; known workloads: {list(WORKLOADS)}'}
        except Exception as e:  # reported to the bench, which stops the phase with it
            answer = {'error': f'{type(e).__name__}: {e}'}
        print(json.dumps(answer), flush=True)


def main():
    args = sys.argv[1:]
    threads, budget_s, serving = 1, BUDGET_S, False
    while args and args[0] in ('--threads', '--budget', '--serve'):
        if args[0] == '--serve':
            serving, args = True, args[1:]
            continue
        if len(args) < 2:
            sys.exit(f'torch_bench.py: {args[0]} needs a value')
        if args[0] == '--threads':
            threads = int(args[1])
        else:
            budget_s = float(args[1])
        args = args[2:]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if serving:
        if args:
            sys.exit('torch_bench.py: --serve takes no workload ids (they come on stdin)')
        serve()
        return
    ids = args or list(WORKLOADS)
    unknown = [i for i in ids if i not in WORKLOADS]
    if unknown:
        sys.exit(f'torch_bench.py: unknown workloads {unknown}; known: {list(WORKLOADS)}')
    results = {i: median_ms(WORKLOADS[i](), budget_s) for i in ids}
    print(json.dumps({**describe(), 'medianMs': results}))


if __name__ == '__main__':
    main()
