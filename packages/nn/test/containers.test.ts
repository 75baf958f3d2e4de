import { describe, expect, it } from 'vitest';
import { ArgumentError, IndexError, tensor } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { Embedding, Flatten, Identity, Linear, Module, ModuleDict, ModuleList, ReLU, Sequential, Tanh, gradientStats } from '../src/index.js';

const x = () => new Variable(tensor([[1, -2, 3], [-0.5, 2, -1]]), true);

describe('Sequential', () => {
  it('runs children in order through call (hooks fire), indexable like PyTorch', () => {
    const a = new Linear(3, 4);
    const b = new Tanh();
    const c = new Linear(4, 2);
    const seq = new Sequential(a, b, c);
    const expected = c.forward(b.forward(a.forward(x())));
    let fired = 0;
    b.registerForwardHook(() => void fired++);
    expect(seq.call(x()).toArray()).toEqual(expected.toArray());
    expect(fired).toBe(1);
    expect(seq[0]).toBe(a);
    expect(seq.at(-1)).toBe(c);
    expect(seq.length).toBe(3);
    expect([...seq]).toEqual([a, b, c]);
    expect(() => seq.at(3)).toThrow(IndexError);
    expect([...seq.namedParameters()].map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const head = seq.slice(0, 2);
    expect([...head]).toEqual([a, b]);
    head.append(new Identity());
    expect(head.length).toBe(3);
  });

  it('runs a module listed twice twice, and keeps names given as an object', () => {
    const relu = new ReLU();
    const inc = new (class extends Module {
      override forward(v: Variable): Variable {
        return v.add(1);
      }
    })();
    const seq = new Sequential(inc, relu, inc);
    expect(seq.call(x()).toArray()).toEqual(x().data.add(1).relu().add(1).toArray());
    const named = new Sequential({ encoderLayer: new Linear(3, 3), act: relu });
    expect(Object.keys(named.stateDict())).toEqual(['encoderLayer.weight', 'encoderLayer.bias']);
    expect(() => new Sequential({ forward: relu })).toThrow(ArgumentError);
  });
});

describe('Sequential with an Embedding first', () => {
  it('takes int32 indices and trains the table', () => {
    const emb = new Embedding(5, 3);
    const seq = new Sequential(emb, new Flatten(0), new Linear(6, 1));
    seq.call(tensor([4, 1], { dtype: 'int32' })).sum().backward();
    const rows = emb.weight.grad!.toArray() as number[][];
    expect(rows.map((r) => r.some((v) => v !== 0))).toEqual([false, true, false, false, true]);
  });
});

describe('ModuleList and ModuleDict', () => {
  it('ModuleList registers its modules by position; insert renumbers', () => {
    const list = new ModuleList([new Linear(2, 2), new Linear(2, 3)]);
    list.insert(1, new Linear(2, 5));
    list.append(new ReLU());
    expect(list.length).toBe(4);
    expect([...list.namedParameters()].map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      '0.weight:2x2', '0.bias:2', '1.weight:5x2', '1.bias:5', '2.weight:3x2', '2.bias:3',
    ]);
    expect(() => list.call(x())).toThrow(/forward/);
  });

  it('ModuleDict keeps insertion order and its keys verbatim in state-dict keys', () => {
    const d = new ModuleDict({ zeta: new Linear(1, 1), 10: new Linear(1, 2), fooBar: new Linear(1, 3) });
    d.set('alpha', new Linear(1, 4));
    expect([...d.keys()]).toEqual(['10', 'zeta', 'fooBar', 'alpha']);
    expect(Object.keys(d.stateDict()).filter((k) => k.endsWith('weight'))).toEqual(['10.weight', 'zeta.weight', 'fooBar.weight', 'alpha.weight']);
    expect(d.get('fooBar')).toBeInstanceOf(Linear);
    expect(d.delete('zeta')).toBe(true);
    expect(d.size).toBe(3);
    expect(() => d.set('a.b', new ReLU())).toThrow(ArgumentError);
  });
});

describe('gradientStats', () => {
  it('matches statistics computed with tensor ops from each gradient', () => {
    const net = new Sequential(new Linear(3, 8), new ReLU(), new Linear(8, 2));
    net.call(x()).pow(2).sum().backward();
    const stats = gradientStats(net);
    expect(stats.map((s) => s.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const s of stats) {
      const g = [...net.namedParameters()].find(([n]) => n === s.name)![1].grad!.data.to('float64');
      expect(s.shape).toEqual(g.shape);
      expect(s.norm).toBeCloseTo(Math.sqrt(g.square().sum().item()), 10);
      expect(s.mean).toBeCloseTo(g.mean().item(), 10);
      expect(s.std).toBeCloseTo(g.std().item(), 10);
      expect(s.maxAbs).toBeCloseTo(g.abs().amax().item(), 10);
      expect(s.zeroFraction).toBeCloseTo(g.eq(0).to('float64').mean().item(), 12);
    }
  });

  it('skips parameters without a gradient', () => {
    const net = new Sequential(new Linear(3, 2), new Linear(2, 2));
    net.call(x()).sum().backward();
    net.zeroGrad();
    expect(gradientStats(net)).toEqual([]);
  });
});
