// Looking at graphs: the tape listing, toDot, anomaly mode.
import { describe, expect, it } from 'vitest';
import { AnomalyError, detectAnomaly, formatTape, tape, tensor, toDot } from '../src/index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('tape listing', () => {
  it('lists the ops in execution order with input and output shapes', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
    const w = tensor([[1], [2], [3]], f64);
    w.name = 'w';
    const b = tensor([0.5], f64);
    const y = x.matmul(w).add(b).relu().sum();
    const entries = tape(y);
    expect(entries.map((e) => e.op)).toEqual(['matmul', 'add', 'relu', 'sum']);
    expect(entries[0].inputs).toEqual([
      { kind: 'constant', shape: [2, 3] },
      { kind: 'leaf', name: 'w', shape: [3, 1] },
    ]);
    expect(entries[1].inputs[0]).toEqual({ kind: 'node', index: 0, shape: [2, 1] });
    expect(entries[3].outputShape).toEqual([]);
    expect(formatTape(y)).toBe(
      [
        '%0 = matmul(const[2,3], w[3,1]) -> [2,1] float64',
        '%1 = add(%0, leaf[1]) -> [2,1] float64',
        '%2 = relu(%1) -> [2,1] float64',
        '%3 = sum(%2) -> [] float64',
      ].join('\n'),
    );
    y.backward();
    expect(formatTape(y).split('\n')[0]).toMatch(/\(freed\)$/);
  });

  it('lists a shared subexpression once', () => {
    const x = tensor([1, 2], f64);
    const h = x.exp();
    const y = h.mul(h).add(h).sum();
    expect(tape(y).map((e) => e.op)).toEqual(['exp', 'mul', 'add', 'sum']);
  });
});

describe('toDot', () => {
  it('draws ops with shapes, leaves that require grad and constants', () => {
    const x = tensor([[1, 2]], { dtype: 'float64' });
    const w = tensor([[1], [2]], f64);
    w.name = 'weight';
    const y = x.matmul(w).tanh().sum();
    y.name = 'loss';
    const dot = toDot(y);
    expect(dot.startsWith('digraph autograd {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot).toContain('op0 [shape=box, label="matmul\\n[1,1]"];');
    expect(dot).toContain('op1 [shape=box, label="tanh\\n[1,1]"];');
    expect(dot).toContain('leaf0 [shape=ellipse, style=filled, fillcolor=lightblue, label="weight\\n[2,1]\\nrequiresGrad"];');
    expect(dot).toContain('const0 [shape=ellipse, style=dashed, label="const\\n[1,2]"];');
    expect(dot).toContain('leaf0 -> op0;');
    expect(dot).toContain('op0 -> op1;');
    expect(dot).toContain('op2 -> output;');
    expect(dot).toContain('label="loss\\n[]"');
  });
});

describe('detectAnomaly', () => {
  it('names the op whose forward produced NaN, with its input shapes', () => {
    const x = tensor([1, -1], f64);
    expect(() => detectAnomaly(() => x.log())).toThrow(AnomalyError);
    expect(() => detectAnomaly(() => x.log())).toThrow(/forward of 'log' \(inputs \[2\]\) produced NaN/);
    expect(x.log().toArray()[1]).toBeNaN(); // outside anomaly mode nothing is checked
  });

  it('names the op whose backward produced Inf and where it was created', () => {
    const x = tensor([0, 4], f64);
    let err: unknown;
    detectAnomaly(() => {
      const y = x.sqrt().sum(); // d sqrt(x)/dx = Inf at 0
      try {
        y.backward();
      } catch (e) {
        err = e;
      }
    });
    expect(err).toBeInstanceOf(AnomalyError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/backward of 'sqrt' \(inputs \[2\]\) returned Infinity in the gradient of input 0/);
    expect(msg).toContain('inspect.test.ts');
  });

  it('lets finite computations through', () => {
    const x = tensor([1, 2], f64);
    detectAnomaly(() => x.exp().sum().backward());
    expect(x.grad!.toArray()).toEqual([Math.exp(1), Math.exp(2)]);
  });
});
