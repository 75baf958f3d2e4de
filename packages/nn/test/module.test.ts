import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor, zeros } from '@minigrad/tensor';
import type { Tensor } from '@minigrad/tensor';
import { Variable, gradcheck, noGrad } from '@minigrad/autograd';
import { Module, Parameter, StateDictError } from '../src/index.js';

/** y = x * scale + shift, with a buffer counting calls (a stand-in for a stateful layer). */
class Affine extends Module {
  declare scale: Parameter;
  declare shift: Parameter | null;
  declare runningTotal: Tensor;
  declare scratchPad: Tensor;

  constructor(n: number, { shift = true } = {}) {
    super();
    this.scale = new Parameter(tensor(Array.from({ length: n }, (_, i) => i + 1)));
    this.shift = shift ? new Parameter(zeros([n])) : null;
    this.registerBuffer('runningTotal', zeros([n]));
    this.registerBuffer('scratchPad', zeros([1]), { persistent: false });
  }

  override forward(x: Variable): Variable {
    const y = x.mul(this.scale);
    return this.shift === null ? y : y.add(this.shift);
  }
}

class Net extends Module {
  declare first: Affine;
  declare blockPair: Pair;
  declare last: Affine;
  constructor() {
    super();
    this.first = new Affine(3);
    this.blockPair = new Pair();
    this.last = new Affine(3, { shift: false });
  }
  override forward(x: Variable): Variable {
    return this.last.call(this.blockPair.call(this.first.call(x)));
  }
}

class Pair extends Module {
  declare a: Affine;
  declare b: Affine;
  constructor() {
    super();
    this.a = new Affine(3);
    this.b = new Affine(3);
  }
  override forward(x: Variable): Variable {
    return this.b.call(this.a.call(x));
  }
}

const x3 = () => new Variable(tensor([[1, -2, 3], [0.5, 2, -1]]), true);

describe('registration', () => {
  it('finds parameters, buffers and children in assignment order with dotted names', () => {
    const net = new Net();
    expect([...net.namedParameters()].map(([n]) => n)).toEqual([
      'first.scale', 'first.shift', 'blockPair.a.scale', 'blockPair.a.shift', 'blockPair.b.scale', 'blockPair.b.shift', 'last.scale',
    ]);
    expect([...net.namedChildren()].map(([n]) => n)).toEqual(['first', 'blockPair', 'last']);
    expect([...net.namedModules()].map(([n]) => n)).toEqual(['', 'first', 'blockPair', 'blockPair.a', 'blockPair.b', 'last']);
    expect([...net.namedBuffers()].map(([n]) => n)).toEqual([
      'first.runningTotal', 'first.scratchPad', 'blockPair.a.runningTotal', 'blockPair.a.scratchPad',
      'blockPair.b.runningTotal', 'blockPair.b.scratchPad', 'last.runningTotal', 'last.scratchPad',
    ]);
    expect([...net.parameters()].every((p) => p instanceof Parameter && p.requiresGrad)).toBe(true);
    expect([...net.children()]).toEqual([net.first, net.blockPair, net.last]);
    expect([...net.modules()].length).toBe(6);
    expect([...net.namedParameters({ recurse: false })]).toEqual([]);
  });

  it('lists a shared parameter or module once', () => {
    const net = new Pair();
    net.b.scale = net.a.scale;
    expect([...net.parameters()].length).toBe(3);
    const outer = new Module() as Module & Record<string, Module>;
    outer.x = net.a;
    outer.y = net.a;
    expect([...outer.namedModules()].map(([n]) => n)).toEqual(['', 'x']);
  });

  it('registers through explicit calls and rejects bad names', () => {
    const m = new Module() as Module & Record<string, unknown>;
    m.registerParameter('w', new Parameter(zeros([2])));
    m.registerModule('inner', new Affine(2));
    expect([...m.namedParameters()].map(([n]) => n)).toEqual(['w', 'inner.scale', 'inner.shift']);
    expect(() => m.registerBuffer('w', zeros([1]))).toThrow(ArgumentError);
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(/contain no '\.'/);
    expect(() => m.registerParameter('p', zeros([1]) as unknown as Parameter)).toThrow(ArgumentError);
  });

  it('wraps a tensor as a leaf requiring grad, sharing its data', () => {
    const t = zeros([2, 2]);
    const p = new Parameter(t);
    expect(p.data).toBe(t);
    expect(p.isLeaf && p.requiresGrad).toBe(true);
    expect(new Parameter(t, false).requiresGrad).toBe(false);
  });
});

describe('modes and bulk operations', () => {
  it('train/eval propagate to every descendant', () => {
    const net = new Net();
    expect(net.eval()).toBe(net);
    expect([...net.modules()].every((m) => !m.training)).toBe(true);
    net.blockPair.train();
    expect(net.training).toBe(false);
    expect(net.blockPair.a.training).toBe(true);
    net.train();
    expect([...net.modules()].every((m) => m.training)).toBe(true);
  });

  it('zeroGrad sets gradients to null or fills them with zeros', () => {
    const net = new Net();
    net.call(x3()).sum().backward();
    const grads = [...net.parameters()].map((p) => p.grad);
    expect(grads.every((g) => g !== null)).toBe(true);
    net.zeroGrad({ setToNull: false });
    for (const p of net.parameters()) expect([...p.grad!.data.toTypedArray()].every((v) => v === 0)).toBe(true);
    net.zeroGrad();
    expect([...net.parameters()].every((p) => p.grad === null)).toBe(true);
  });

  it('apply visits children before the parent; requiresGrad_ freezes', () => {
    const net = new Net();
    const order: string[] = [];
    const names = new Map([...net.namedModules()].map(([n, m]) => [m, n]));
    net.apply((m) => order.push(names.get(m)!));
    expect(order).toEqual(['first', 'blockPair.a', 'blockPair.b', 'blockPair', 'last', '']);
    net.requiresGrad_(false);
    expect([...net.parameters()].some((p) => p.requiresGrad)).toBe(false);
    const y = net.call(new Variable(tensor([[1, 2, 3]])));
    expect(y.requiresGrad).toBe(false);
  });
});

describe('getSubmodule and dtype conversion', () => {
  it('finds a descendant by dotted path', () => {
    const net = new Net();
    expect(net.getSubmodule('blockPair.b')).toBe(net.blockPair.b);
    expect(net.getSubmodule('')).toBe(net);
    expect(() => net.getSubmodule('blockPair.c')).toThrow("getSubmodule: Pair has no submodule 'c' (path 'blockPair.c')");
    expect(() => net.getSubmodule('first.scale')).toThrow(ArgumentError);
  });

  it('double() converts float parameters and buffers in place, keeping the Parameter objects', () => {
    const net = new Net();
    const params = [...net.parameters()];
    net.call(x3()).sum().backward();
    expect(net.double()).toBe(net);
    expect([...net.parameters()]).toEqual(params);
    expect(params.every((p) => p.dtype === 'float64' && p.grad === null)).toBe(true);
    expect([...net.buffers()].every((b) => b.dtype === 'float64')).toBe(true);
    expect(net.call(x3()).dtype).toBe('float64');
    expect(gradcheck((x) => net.call(x), [x3()])).toBe(true);
    net.float();
    expect(params.every((p) => p.dtype === 'float32')).toBe(true);
  });
});

describe('stateDict / loadStateDict', () => {
  it('holds parameters and persistent buffers under snake_case dotted keys', () => {
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual([
      'first.scale', 'first.shift', 'first.running_total',
      'block_pair.a.scale', 'block_pair.a.shift', 'block_pair.a.running_total',
      'block_pair.b.scale', 'block_pair.b.shift', 'block_pair.b.running_total',
      'last.scale', 'last.running_total',
    ]);
    expect(net.stateDict()['first.scale']).toBe(net.first.scale.data);
  });

  it('maps camelCase member names to snake_case key segments', () => {
    const m = new Module();
    const cases: [string, string][] = [
      ['weight', 'weight'], ['runningMean', 'running_mean'], ['numBatchesTracked', 'num_batches_tracked'],
      ['conv2Block', 'conv2_block'], ['httpURLParser', 'http_url_parser'], ['W', 'W'], ['already_snake', 'already_snake'],
    ];
    for (const [name, key] of cases) expect(m.stateDictKey(name)).toBe(key);
  });

  it('round-trips into a fresh model: identical outputs', () => {
    const a = new Net();
    for (const p of a.parameters()) p.data.copyFrom(p.data.mul(1.5).add(0.25));
    a.first.runningTotal.fill(7);
    const b = new Net();
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = x3();
    expect(b.call(x).toArray()).toEqual(a.call(x).toArray());
    expect([...b.first.runningTotal.toTypedArray()]).toEqual([7, 7, 7]);
    // copies, not aliases: changing the source leaves the loaded model alone
    a.first.scale.data.fill(0);
    expect(b.first.scale.data.toArray()).not.toEqual(a.first.scale.data.toArray());
  });

  it('names missing and unexpected keys (strict) or returns them (non-strict)', () => {
    const sd: Record<string, Tensor> = { ...new Net().stateDict() };
    delete sd['last.scale'];
    sd['extra.weight'] = zeros([1]);
    const b = new Net();
    const before = b.first.scale.data.toArray();
    let err: unknown;
    try {
      b.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as StateDictError).missingKeys).toEqual(['last.scale']);
    expect((err as StateDictError).unexpectedKeys).toEqual(['extra.weight']);
    expect((err as Error).message).toMatch(/missing keys: 'last.scale'; unexpected keys: 'extra.weight'/);
    const res = b.loadStateDict(sd, { strict: false });
    expect(res).toEqual({ missingKeys: ['last.scale'], unexpectedKeys: ['extra.weight'] });
    expect(b.first.scale.data.toArray()).toEqual(before);
  });

  it('rejects shape mismatches naming the key and both shapes, and copies nothing', () => {
    const b = new Net();
    const sd: Record<string, Tensor> = { ...new Net().stateDict(), 'first.scale': zeros([2, 3]) };
    sd['first.shift'] = zeros([3]).add(5);
    expect(() => b.loadStateDict(sd, { strict: false })).toThrow(ShapeError);
    expect(() => b.loadStateDict(sd)).toThrow("'first.scale': checkpoint has shape [2,3], the model [3]");
    expect([...b.first.shift!.data.toTypedArray()]).toEqual([0, 0, 0]);
  });

  it('accepts a Map and Variables as values', () => {
    const a = new Affine(2);
    const b = new Affine(2);
    a.scale.data.fill(3);
    b.loadStateDict(new Map<string, Tensor | Variable>([['scale', a.scale], ['shift', a.shift!], ['running_total', a.runningTotal]]));
    expect([...b.scale.data.toTypedArray()]).toEqual([3, 3]);
  });
});

describe('hooks', () => {
  it('forward pre-hooks may replace inputs and forward hooks the output; handles remove them', () => {
    const m = new Affine(3);
    const seen: unknown[] = [];
    const h1 = m.registerForwardPreHook((mod, inputs) => {
      seen.push(mod);
      return [(inputs[0] as Variable).mul(2)];
    });
    const h2 = m.registerForwardHook((_mod, _inputs, out) => (out as Variable).add(1));
    const x = new Variable(tensor([[1, 1, 1]]));
    expect(m.call(x).toArray()).toEqual([[3, 5, 7]]);
    expect(seen).toEqual([m]);
    h1.remove();
    h1.remove();
    expect(m.call(x).toArray()).toEqual([[2, 3, 4]]);
    h2.remove();
    expect(m.call(x).toArray()).toEqual([[1, 2, 3]]);
  });

  it('a hook may remove itself while running', () => {
    const m = new Affine(3);
    let runs = 0;
    const handle = m.registerForwardHook(() => {
      runs++;
      handle.remove();
    });
    m.call(x3());
    m.call(x3());
    expect(runs).toBe(1);
  });

  it('a full backward hook sees the gradients at the module inputs and outputs', () => {
    const net = new Pair();
    const calls: { gin: (Variable | null)[]; gout: (Variable | null)[] }[] = [];
    const handle = net.b.registerFullBackwardHook((_m, gin, gout) => calls.push({ gin, gout }));
    const x = x3();
    const y = net.call(x);
    // L = sum(y * w): gradOutput of b is w; b computes z * scale + shift, so gradInput is w * scale
    const w = tensor([[1, 2, 3], [4, 5, 6]]);
    y.mul(w).sum().backward();
    expect(calls.length).toBe(1);
    expect(calls[0].gout[0]!.toArray()).toEqual(w.toArray());
    expect(calls[0].gin[0]!.toArray()).toEqual(w.mul(net.b.scale.data).toArray());
    // the hook did not change what reaches x: dL/dx = w * b.scale * a.scale
    expect(x.grad!.toArray()).toEqual(w.mul(net.b.scale.data).mul(net.a.scale.data).toArray());
    handle.remove();
    net.call(x3()).sum().backward();
    expect(calls.length).toBe(1);
  });

  it('a backward hook works on a non-contiguous input', () => {
    const m = new Affine(2);
    const seen: (Variable | null)[][] = [];
    m.registerFullBackwardHook((_m, gin) => void seen.push(gin));
    const x = new Variable(tensor([[1, 2, 3], [4, 5, 6]]), true);
    m.call(x.t()).sum().backward();
    expect(seen[0][0]!.toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
  });

  it('a module with a backward hook still runs under noGrad', () => {
    const m = new Affine(3);
    m.registerFullBackwardHook(() => undefined);
    const y = noGrad(() => m.call(x3()));
    expect(y.requiresGrad).toBe(false);
  });

  it('reports a null gradInput when the input does not require grad', () => {
    const m = new Affine(3);
    const calls: { gin: (Variable | null)[]; gout: (Variable | null)[] }[] = [];
    m.registerFullBackwardHook((_m, gin, gout) => calls.push({ gin, gout }));
    m.call(new Variable(tensor([[1, 2, 3]]))).sum().backward();
    expect(calls.length).toBe(1);
    expect(calls[0].gin).toEqual([null]);
    expect(calls[0].gout[0]!.toArray()).toEqual([[1, 1, 1]]);
  });
});

describe('errors and names', () => {
  it('a module without forward says so', () => {
    expect(() => new Module().call()).toThrow(/forward/);
  });

  it('the outermost call records every descendant dotted name', () => {
    const net = new Net();
    net.call(x3());
    expect(net.blockPair.b.qualifiedName).toBe('blockPair.b');
    expect(net.qualifiedName).toBe('');
  });
});
