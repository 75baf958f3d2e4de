// compile(fn): a captured training step against the same step run eagerly, bit for bit, on twin models; the
// guards that send it back to tracing; what it refuses (and that it then runs eagerly with the same results);
// bad input. The twins are built from the same seed and fed the same batches.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ArgumentError, CaptureError, IndexError, MinigradError, type Tensor, compile, getBackend, manualSeed, rand, randint, randn, setBackend,
  setConvAlgorithm, tidy, wasmAvailable, zeros,
} from '@minigrad/tensor';
import { Variable, noGrad } from '@minigrad/autograd';
import { peekGrad } from '@minigrad/autograd/internal';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, ConvTranspose2d, Dropout, Embedding, F, Flatten, GELU, GroupNorm, InstanceNorm2d, LayerNorm, LeakyReLU,
  Linear, MaxPool2d, type Module, ReLU, Sequential,
} from '@minigrad/nn';
import { Adam, AdamW, CosineAnnealingLR, type Optimizer, RMSprop, SGD, clipGradNorm } from '@minigrad/optim';

const backends = wasmAvailable() ? (['js', 'wasm'] as const) : (['js'] as const);
const startBackend = getBackend();
afterEach(() => {
  setBackend(startBackend);
  setConvAlgorithm('gemm');
});

interface Twin {
  model: Module;
  optimizer: Optimizer;
  x: Tensor;
  y: Tensor;
  /** One training step on x, y; returns the loss. */
  step: () => Variable;
}

interface TwinOptions {
  norm?: 'group' | 'batch';
  optimizer?: 'sgd' | 'momentum' | 'adam';
  dropout?: boolean;
  /** Replaces the step's body (model, optimizer, x, y given). */
  body?: (t: Omit<Twin, 'step'>) => Variable;
}

/** The bench's CNN in small: conv 1->8, norm, ReLU, pool, conv 8->16 (Winograd's form), norm, ReLU, pool, two linears. */
function twin(opts: TwinOptions = {}): Twin {
  manualSeed(0);
  const norm = (c: number) => (opts.norm === 'batch' ? new BatchNorm2d(c) : new GroupNorm(4, c));
  const model = new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }), norm(8), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1 }), norm(16), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(16 * 4 * 4, 32), new ReLU(), ...(opts.dropout ? [new Dropout(0.5)] : []), new Linear(32, 10),
  );
  const params = model.parameters();
  const optimizer =
    opts.optimizer === 'adam' ? new Adam(params, { lr: 1e-3 })
      : opts.optimizer === 'momentum' ? new SGD(params, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })
        : new SGD(params, { lr: 0.05 });
  const x = zeros([2, 1, 16, 16]);
  const y = zeros([2], { dtype: 'int32' });
  const parts = { model, optimizer, x, y };
  const body = opts.body ?? (() => trainStep(optimizer, () => F.crossEntropy(model.call(x), y)));
  return { ...parts, step: () => body(parts) };
}

/** One training step: zeroGrad, the loss, backward, the update; returns the loss. */
function trainStep(optimizer: Optimizer, loss: () => Variable): Variable {
  optimizer.zeroGrad();
  const l = loss();
  l.backward();
  optimizer.step();
  return l;
}

/** Batch `i` of a fixed sequence, written into both twins' input tensors. */
function feed(i: number, ...twins: Twin[]): void {
  manualSeed(1000 + i);
  const images = randn([2, 1, 16, 16]);
  const labels = randint(0, 10, [2]);
  for (const t of twins) {
    t.x.copyFrom(images);
    t.y.copyFrom(labels);
  }
}

/** Every number a step changes: parameters, their gradients, buffers (running statistics). */
function stateOf(t: Twin): number[][] {
  const out: number[][] = [];
  for (const p of t.model.parameters()) {
    out.push(Array.from(p.data.toTypedArray()));
    const g = peekGrad(p); // without marking it seen, which would change how the eager twin reuses it
    out.push(g === null ? [] : Array.from(g.data.toTypedArray()));
  }
  for (const [, b] of t.model.namedBuffers()) out.push(Array.from((b instanceof Variable ? b.data : b).toTypedArray()));
  return out;
}

/** Runs `steps` steps of an eager twin (in tidy) and a compiled one, asserting equal bits after each. */
function runTwins(steps: number, opts: TwinOptions = {}, between?: (i: number, eager: Twin, captured: Twin) => void) {
  const eager = twin(opts);
  const captured = twin(opts);
  const compiled = compile(captured.step);
  for (let i = 0; i < steps; i++) {
    between?.(i, eager, captured);
    feed(i, eager, captured);
    manualSeed(2000 + i); // the same random numbers (dropout) for both
    const expected = tidy(() => eager.step().item());
    manualSeed(2000 + i);
    const loss = compiled();
    expect(loss.item(), `loss of step ${i}`).toBe(expected);
    expect(stateOf(captured), `state after step ${i}`).toEqual(stateOf(eager));
  }
  return { compiled, eager, captured };
}

describe('compile: a replay gives the bits of the eager step', () => {
  for (const backend of backends) {
    for (const conv of ['gemm', 'winograd'] as const) {
      it(`${backend}, ${conv} convolution: SGD, GroupNorm, cross entropy; replays after the traces`, () => {
        setBackend(backend);
        setConvAlgorithm(conv);
        const { compiled } = runTwins(10);
        expect(compiled.mode).toBe('replaying');
        expect(compiled.stats.traces).toBeLessThanOrEqual(4);
        expect(compiled.stats.replays).toBe(10 - compiled.stats.traces);
        expect(compiled.reason).toBeNull();
      });
    }
    it(`${backend}: SGD with momentum, Nesterov and weight decay, BatchNorm's running statistics`, () => {
      setBackend(backend);
      const { compiled } = runTwins(8, { norm: 'batch', optimizer: 'momentum' });
      expect(compiled.mode).toBe('replaying');
    });
  }

  it('returns the same output tensor on every replay, holding that call\'s loss', () => {
    const t = twin();
    const compiled = compile(t.step);
    const outs: Variable[] = [];
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) {
      feed(i, t);
      outs.push(compiled());
      losses.push(outs[i].item());
    }
    expect(compiled.mode).toBe('replaying');
    expect(outs[5]).toBe(outs[4]);
    expect(losses[5]).not.toBe(losses[4]);
    expect(outs[5].item()).toBe(losses[5]);
  });

  it('is unaffected by eager work between replays: zeroGrad outside the step, other steps in tidy, pooled memory', () => {
    const other = twin();
    runTwins(10, {}, (i, eager, captured) => {
      if (i % 3 === 2) {
        eager.optimizer.zeroGrad();
        captured.optimizer.zeroGrad();
      }
      feed(100 + i, other);
      tidy(() => other.step()); // allocates (and recycles) buffers of the step's sizes
    });
  });
});

describe.runIf(wasmAvailable())('compile: wasm kernel calls replayed as the wasm calls they launched', () => {
  it('convs, gemms, norms, pooling and relu replay as their launches, with the eager bits', () => {
    setBackend('wasm');
    for (const conv of ['gemm', 'winograd'] as const) {
      setConvAlgorithm(conv);
      const { compiled } = runTwins(8);
      const { directCalls, calls } = compiled.stats;
      // The step's large kernel calls (and not every call: zero-fills, JS kernels on small tensors, the update).
      expect(directCalls, conv).toBeGreaterThanOrEqual(12);
      expect(directCalls, conv).toBeLessThan(calls);
    }
  });

  it('launches split for 4 threads (Winograd conv): after setThreads(2) replays run the recorded calls, after setThreads(4) launches again; same bits', async () => {
    setBackend('wasm');
    setConvAlgorithm('winograd');
    const { getThreads, setThreads } = await import('@minigrad/tensor/node');
    // Large enough that the Winograd forward splits its 8 samples across threads: four lists on 4 threads.
    const make = () => {
      manualSeed(0);
      const model = new Sequential(new Conv2d(16, 16, 3, { padding: 1 }), new GroupNorm(4, 16), new ReLU(), new Flatten(), new Linear(16 * 16 * 16, 10));
      const optimizer = new SGD(model.parameters(), { lr: 0.05 });
      const x = randn([8, 16, 16, 16]);
      const y = randint(0, 10, [8]);
      return { model, step: () => trainStep(optimizer, () => F.crossEntropy(model.call(x), y)) };
    };
    const params = (m: Module) => [...m.parameters()].map((p) => Array.from(p.data.toTypedArray()));
    const threads: number[] = [];
    try {
      await setThreads(4);
      const eager = make();
      const captured = make();
      const compiled = compile(captured.step);
      for (let i = 0; i < 12; i++) {
        if (i === 6) await setThreads(2);
        if (i === 9) await setThreads(4);
        threads.push(getThreads());
        expect(compiled().item(), `loss of step ${i}`).toBe(tidy(() => eager.step().item()));
        expect(params(captured.model), `parameters after step ${i}`).toEqual(params(eager.model));
      }
      expect(compiled.mode).toBe('replaying');
      expect(compiled.stats.directCalls).toBeGreaterThan(0);
    } finally {
      await setThreads(1);
    }
    expect(threads).toEqual([4, 4, 4, 4, 4, 4, 2, 2, 2, 4, 4, 4]);
  }, 60_000); // starting worker threads

  it('without SharedArrayBuffer (a page that is not cross-origin isolated) it replays the recorded calls, same bits', () => {
    const script = `
      delete globalThis.SharedArrayBuffer;
      const T = await import('@minigrad/tensor');
      const { Conv2d, GroupNorm, ReLU, MaxPool2d, Flatten, Linear, Sequential, F } = await import('@minigrad/nn');
      const { SGD } = await import('@minigrad/optim');
      const make = () => {
        T.manualSeed(0);
        const model = new Sequential(new Conv2d(1, 8, 3, { padding: 1 }), new GroupNorm(4, 8), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 8 * 8, 10));
        const optimizer = new SGD(model.parameters(), { lr: 0.05 });
        const x = T.randn([2, 1, 16, 16]);
        const y = T.randint(0, 10, [2]);
        return { model, step: () => { optimizer.zeroGrad(); const loss = F.crossEntropy(model.call(x), y); loss.backward(); optimizer.step(); return loss; } };
      };
      const eager = make();
      const captured = make();
      const compiled = T.compile(captured.step);
      let same = true;
      for (let i = 0; i < 8; i++) {
        same &&= compiled().item() === T.tidy(() => eager.step().item());
      }
      const params = (m) => [...m.parameters()].flatMap((p) => Array.from(p.data.toTypedArray()));
      same &&= params(captured.model).every((v, i) => Object.is(v, params(eager.model)[i]));
      console.log(JSON.stringify({ backend: T.getBackend().name, mode: compiled.mode, direct: compiled.stats.directCalls, same }));`;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ backend: 'wasm', mode: 'replaying', direct: 0, same: true });
  }, 60_000); // a Node process of its own
});

describe('compile: other layers, losses and optimizers replay with the eager bits', () => {
  interface Case {
    model: Module;
    optimizer: Optimizer;
    loss: () => Variable;
  }
  const cases: Record<string, () => Case> = {
    'Embedding, LayerNorm, GELU; AdamW': () => {
      const model = new Sequential(new Embedding(20, 8), new LayerNorm(8), new GELU(), new Linear(8, 5));
      const idx = randint(0, 20, [3, 4]);
      const y = randint(0, 5, [3]);
      return { model, optimizer: new AdamW(model.parameters(), { lr: 1e-2 }), loss: () => F.crossEntropy(model.call(idx).mean(1), y) };
    },
    'strided grouped conv, BatchNorm, adaptive pooling; SGD with weight decay': () => {
      const model = new Sequential(
        new Conv2d(4, 8, 3, { stride: 2, padding: 1, groups: 2 }), new BatchNorm2d(8), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 3),
      );
      const x = randn([2, 4, 9, 9]);
      const y = randint(0, 3, [2]);
      return { model, optimizer: new SGD(model.parameters(), { lr: 0.05, weightDecay: 1e-3 }), loss: () => F.crossEntropy(model.call(x), y) };
    },
    'ConvTranspose2d, BCE with logits; RMSprop': () => {
      const model = new Sequential(new ConvTranspose2d(3, 4, 3, { stride: 2 }));
      const x = randn([2, 3, 5, 5]);
      const t = rand([2, 4, 11, 11]);
      return { model, optimizer: new RMSprop(model.parameters(), { lr: 1e-3 }), loss: () => F.binaryCrossEntropyWithLogits(model.call(x), t) };
    },
    'attention-like: softmax of a product with a transpose, std, sums over transposed views; SGD': () => {
      const [q, k, v, o] = [new Linear(8, 8), new Linear(8, 8), new Linear(8, 8), new Linear(8, 3)];
      const model = new Sequential(q, k, v, o);
      const x = randn([5, 8]);
      const y = randint(0, 3, [5]);
      const loss = () => {
        const att = q.call(x).matmul(k.call(x).t()).mul(1 / Math.sqrt(8)).softmax(-1);
        const z = att.matmul(v.call(x));
        const w = z.t().contiguous().mul(2).t().add(z.std(1, { keepdim: true }));
        return F.crossEntropy(o.call(w), y);
      };
      return { model, optimizer: new SGD(model.parameters(), { lr: 0.05 }), loss };
    },
    'InstanceNorm with running statistics, LeakyReLU, label smoothing; Adam with amsgrad': () => {
      const model = new Sequential(
        new Conv2d(2, 4, 3), new InstanceNorm2d(4, { affine: true, trackRunningStats: true }), new LeakyReLU(0.1), new MaxPool2d(2), new Flatten(), new Linear(36, 2),
      );
      const x = randn([3, 2, 8, 8]);
      const y = randint(0, 2, [3]);
      return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3, amsgrad: true }), loss: () => F.crossEntropy(model.call(x), y, { labelSmoothing: 0.1 }) };
    },
  };
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      manualSeed(0);
      const eager = make();
      manualSeed(0);
      const captured = make();
      const stepOf = (c: Case) => () => trainStep(c.optimizer, c.loss);
      const compiled = compile(stepOf(captured));
      const state = (c: Case) => [...c.model.parameters()].map((p) => Array.from(p.data.toTypedArray()));
      for (let i = 0; i < 8; i++) {
        expect(compiled().item()).toBe(tidy(() => stepOf(eager)().item()));
        expect(state(captured)).toEqual(state(eager));
      }
      expect(compiled.mode).toBe('replaying');
    });
  }
});

describe('compile: guards send it back to tracing', () => {
  it('train/eval and the conv algorithm trace again; a new learning rate does not (the update reads it): bits still the eager ones', () => {
    const { compiled } = runTwins(14, {}, (i, eager, captured) => {
      if (i === 6) for (const t of [eager, captured]) t.optimizer.paramGroups[0].lr = 0.01;
      if (i === 9) for (const t of [eager, captured]) t.model.eval();
      if (i === 12) setConvAlgorithm('winograd');
    });
    expect(compiled.stats.recaptures).toBe(2);
    expect(compiled.reason).toMatch(/traced again: the backend or conv algorithm changed \(\w+ gemm -> \w+ winograd\)/);
  });

  it('another backend, or the grad mode turned off around the call, is traced again', () => {
    const t = twin();
    const compiled = compile(t.step);
    for (let i = 0; i < 5; i++) compiled();
    expect(compiled.mode).toBe('replaying');
    if (wasmAvailable()) {
      setBackend(getBackend().name === 'js' ? 'wasm' : 'js');
      compiled();
      expect(compiled.reason).toMatch(/^traced again: the backend or conv algorithm changed/);
      setBackend(startBackend);
      for (let i = 0; i < 5; i++) compiled();
      expect(compiled.mode).toBe('replaying');
    }
    // Without grad mode the eager step has no graph to run backward through: the guard sends it to eager, which says so.
    expect(() => noGrad(() => compiled())).toThrow(MinigradError);
    expect(compiled.reason).toBe('traced again: grad mode (noGrad) changed');
  });

  it('names the guard that changed', () => {
    const { compiled } = runTwins(8, {}, (i, eager, captured) => {
      if (i === 6) for (const t of [eager, captured]) t.model.eval();
    });
    expect(compiled.reason).toBe('traced again: the attributes of Sequential (training, parameters, options) changed');
  });

  it('a learning-rate schedule stepped after every call, and Adam: replayed without tracing again', () => {
    for (const optimizer of ['momentum', 'adam'] as const) {
      let schedules: CosineAnnealingLR[] = [];
      const { compiled } = runTwins(12, { optimizer }, (i, eager, captured) => {
        if (i === 0) schedules = [eager, captured].map((t) => new CosineAnnealingLR(t.optimizer, { tMax: 12 }));
        else for (const s of schedules) s.step();
      });
      expect(compiled.mode).toBe('replaying');
      expect(compiled.stats.recaptures).toBe(0);
    }
  });

  it('gradients accumulated over calls (no zeroGrad in fn), zeroed outside now and then', () => {
    const { compiled } = runTwins(14, { body: ({ model, x, y }) => {
      const loss = F.crossEntropy(model.call(x), y);
      loss.backward();
      return loss;
    } }, (i, eager, captured) => {
      if (i % 6 === 5) for (const t of [eager, captured]) t.optimizer.zeroGrad();
    });
    // A zeroGrad outside sends it back to tracing (the .grad it adds into is gone); it replays in between.
    expect(compiled.stats.replays).toBeGreaterThan(0);
    expect(compiled.stats.recaptures).toBe(2);
  });

  it('tensor arguments may be fresh tensors every call (copied into its own), as from a data loader', () => {
    const eager = twin();
    const captured = twin();
    const body = (t: Twin) => (x: Tensor, y: Variable) => trainStep(t.optimizer, () => F.crossEntropy(t.model.call(x), y.data));
    const compiled = compile(body(captured));
    for (let i = 0; i < 8; i++) {
      manualSeed(500 + i);
      const x = randn([2, 1, 16, 16]);
      const y = new Variable(randint(0, 10, [2]));
      expect(compiled(x, y).item()).toBe(tidy(() => body(eager)(x, y).item()));
      expect(stateOf(captured)).toEqual(stateOf(eager));
    }
    expect(compiled.mode).toBe('replaying');
    expect(compiled.stats.recaptures).toBe(0);
    const x = randn([3, 1, 16, 16]);
    compiled(x, new Variable(randint(0, 10, [3])));
    expect(compiled.reason).toBe('traced again: argument 0 changed from [2,1,16,16] float32 to [3,1,16,16] float32');
  });

  it('a tensor that requires grad is passed as it is, and must be the same on every call', () => {
    const t = twin();
    const w = new Variable(randn([10]), true);
    const compiled = compile((scale: Variable) => {
      t.optimizer.zeroGrad();
      F.crossEntropy(t.model.call(t.x).mul(scale), t.y).backward();
      t.optimizer.step();
    });
    for (let i = 0; i < 5; i++) compiled(w);
    expect(compiled.mode).toBe('replaying');
    expect(w.grad).not.toBeNull();
    compiled(new Variable(randn([10]), true));
    expect(compiled.reason).toBe('traced again: argument 0 is another object (a tensor that requires grad, or any other object, must be the same on every call)');
  });
});

describe('compile: what it cannot capture runs eagerly, with the reason', () => {
  const refused: [string, TwinOptions, RegExp][] = [
    ['item() inside the step', { body: ({ model, optimizer, x, y }) => {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(model.call(x), y);
      if (loss.item() > 1e9) throw new Error('diverged');
      loss.backward();
      optimizer.step();
      return loss;
    } }, /^item\(\) reads a value$/],
    ['dropout', { dropout: true }, /draws random numbers in JavaScript/],
    ['a number that changes from call to call', { body: (() => {
      const calls = new Map<Module, number>();
      return ({ model, optimizer, x, y }: Omit<Twin, 'step'>) => {
        const n = calls.get(model) ?? 0;
        calls.set(model, n + 1);
        return trainStep(optimizer, () => F.crossEntropy(model.call(x).mul(1 + n / 10), y));
      };
    })() }, /its calls differ from one call to the next \(call \d+: binary\.mul/],
    ['gradient clipping', { body: ({ model, optimizer, x, y }) => {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(model.call(x), y);
      loss.backward();
      clipGradNorm(model.parameters(), 1);
      optimizer.step();
      return loss;
    } }, /clipGradNorm computes in JavaScript/],
    ['a gradient hook', { body: ({ model, optimizer, x, y }) => {
      optimizer.zeroGrad();
      const h = [...model.parameters()][0].registerHook((g) => g.mul(2));
      const loss = F.crossEntropy(model.call(x), y);
      loss.backward();
      h.remove();
      optimizer.step();
      return loss;
    } }, /a gradient hook runs JavaScript/],
  ];
  for (const [what, opts, reason] of refused) {
    it(`${what}: eager from the first call, same bits as the eager step`, () => {
      const { compiled } = runTwins(6, opts);
      expect(compiled.mode).toBe('eager');
      expect(compiled.reason).toMatch(reason);
      expect(compiled.stats.replays).toBe(0);
    });
  }

  it('a write into tensor memory that bypasses the ops is caught by the check of the first replay', () => {
    const calls = new Map<Module, number>();
    const { compiled } = runTwins(7, { body: ({ model, optimizer, x, y }) => {
      optimizer.zeroGrad();
      const scale = zeros([1]);
      const n = calls.get(model) ?? 0;
      calls.set(model, n + 1);
      scale.data[0] = 1 + (n % 2); // JavaScript writing values the trace cannot see
      const loss = F.crossEntropy(model.call(x).mul(scale), y);
      loss.backward();
      optimizer.step();
      return loss;
    } });
    expect(compiled.mode).toBe('eager');
    expect(compiled.reason).toMatch(/a replay differs from the eager call \(.*\): fn computes something outside the recorded calls/);
  });

  it('fullgraph: true throws a CaptureError naming the reason, after the call ran eagerly', () => {
    const eager = twin({ dropout: true });
    const captured = twin({ dropout: true });
    const compiled = compile(captured.step, { fullgraph: true });
    feed(0, eager, captured);
    manualSeed(7);
    tidy(() => eager.step());
    manualSeed(7);
    expect(() => compiled()).toThrow(CaptureError);
    expect(stateOf(captured)).toEqual(stateOf(eager));
    expect(() => compiled()).toThrow(/compile: cannot capture fn: Dropout|compile: cannot capture fn: .*random numbers/);
  });

  it('a compiled function called inside another one\'s step, or an async fn, is refused', () => {
    const t = twin();
    const inner = compile(t.step);
    const outer = compile(() => inner());
    outer();
    expect(outer.mode).toBe('eager');
    expect(outer.reason).toBe('a compiled function was called inside the step');
    const later = compile(async () => 1);
    later();
    expect(later.reason).toMatch(/Promise/);
  });
});

describe('compile: functions of other shapes', () => {
  it('fn that throws: the error comes through, and the next calls go on capturing', () => {
    const t = twin();
    let fail = true;
    const compiled = compile(() => {
      if (fail) {
        fail = false;
        throw new Error('not this time');
      }
      return t.step();
    });
    expect(() => compiled()).toThrow('not this time');
    for (let i = 0; i < 5; i++) compiled();
    expect(compiled.mode).toBe('replaying');
  });

  it('fn that returns nothing, and a number argument that changes', () => {
    const t = twin();
    const compiled = compile((scale: number) => {
      t.optimizer.zeroGrad();
      F.crossEntropy(t.model.call(t.x).mul(scale), t.y).backward();
      t.optimizer.step();
    });
    for (let i = 0; i < 5; i++) expect(compiled(2)).toBeUndefined();
    expect(compiled.mode).toBe('replaying');
    compiled(3);
    expect(compiled.reason).toBe('traced again: argument 0 changed (2 -> 3)');
  });
});

describe('compile: bad input', () => {
  it('rejects a non-function, unknown options and a non-boolean fullgraph', () => {
    expect(() => compile(42 as never)).toThrow(ArgumentError);
    expect(() => compile(42 as never)).toThrow(/^compile: fn must be a function/);
    expect(() => compile(() => 1, { fullGraph: true } as never)).toThrow(/unknown option 'fullGraph'.*did you mean 'fullgraph'/);
    expect(() => compile(() => 1, { fullgraph: 'yes' } as never)).toThrow(/compile: fullgraph must be a boolean, got string/);
  });

  it('a replay checks the targets: an out-of-range class throws before the step changes anything', () => {
    const t = twin();
    const compiled = compile(t.step);
    for (let i = 0; i < 5; i++) {
      feed(i, t);
      compiled();
    }
    expect(compiled.mode).toBe('replaying');
    const before = stateOf(t);
    t.y.copyFrom(randint(10, 12, [2]));
    expect(() => compiled()).toThrow(IndexError);
    expect(() => compiled()).toThrow(/crossEntropy: target 1[01] is out of range for 10 classes/);
    expect(stateOf(t)).toEqual(before);
  });
});
