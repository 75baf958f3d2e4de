// Resuming from a state dict (through JSON, as the demo's checkpoints do) continues bit for bit where an
// uninterrupted run goes; loading a mismatched state dict is refused before anything changes.
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor, type Tensor } from '@minigrad/tensor';
import { variable, type Variable } from '@minigrad/autograd';
import {
  Adagrad, Adam, AdamW, CosineAnnealingLR, LambdaLR, LinearLR, OneCycleLR, RMSprop, ReduceLROnPlateau, SGD, SequentialLR, StepLR,
  type Optimizer, type OptimizerStateDict,
} from '@minigrad/optim';
import { valuesOf } from './helpers.js';

type Scheduler = { step(): void; stateDict(): object; loadStateDict(sd: never): void; getLastLr(): number[] };

interface Setup {
  name: string;
  optimizer: (groups: { params: Variable[]; lr?: number }[]) => Optimizer;
  scheduler?: (opt: Optimizer) => Scheduler;
}

const SETUPS: Setup[] = [
  { name: 'SGD nesterov + StepLR', optimizer: (g) => new SGD(g, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }), scheduler: (o) => new StepLR(o, 2, { gamma: 0.7 }) },
  { name: 'Adam amsgrad + OneCycleLR', optimizer: (g) => new Adam(g, { amsgrad: true, weightDecay: 0.01 }), scheduler: (o) => new OneCycleLR(o, 0.05, { totalSteps: 12 }) },
  { name: 'AdamW + warm-up then cosine', optimizer: (g) => new AdamW(g, { lr: 0.01 }), scheduler: (o) => new SequentialLR(o, [new LinearLR(o, { startFactor: 0.2, totalIters: 3 }), new CosineAnnealingLR(o, 8)], [3]) },
  { name: 'RMSprop centered momentum', optimizer: (g) => new RMSprop(g, { lr: 0.01, centered: true, momentum: 0.5 }) },
  { name: 'Adagrad lrDecay + ReduceLROnPlateau', optimizer: (g) => new Adagrad(g, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 }) },
];

/** Two groups over three parameters (float32 and float64), fresh with fixed values. */
function makeParams(): Variable[] {
  return [
    variable(tensor([0.5, -1.25, 2, 0.75, -0.3, 1.1], { shape: [2, 3] }), { requiresGrad: true }),
    variable(tensor([0.1, -0.2, 0.3]), { requiresGrad: true }),
    variable(tensor([1.5, -2.5], { dtype: 'float64' }), { requiresGrad: true }),
  ];
}

function groupsOf(params: Variable[]): { params: Variable[]; lr?: number }[] {
  return [{ params: [params[0], params[1]] }, { params: [params[2]] }];
}

/** A gradient that depends on the parameter and the step (deterministic), so both runs must agree exactly. */
function setGrads(params: Variable[], step: number): void {
  params.forEach((p, i) => {
    const v = valuesOf(p.data);
    const g = v.map((x, k) => x - 0.3 * k + 0.2 * Math.sin(step * 1.7 + i + k));
    // Parameter 1 gets no gradient every third step (it must be skipped, its state left alone).
    p.grad = i === 1 && step % 3 === 2 ? null : variable(tensor(g, { dtype: p.data.dtype, shape: p.data.shape }));
  });
}

function train(opt: Optimizer, sched: Scheduler | undefined, params: Variable[], from: number, to: number, plateau?: ReduceLROnPlateau): void {
  for (let step = from; step < to; step++) {
    setGrads(params, step);
    opt.step();
    sched?.step();
    plateau?.step(Math.abs(Math.sin(step)));
  }
}

function bits(t: Tensor): string {
  const a = t.toTypedArray();
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

describe('state dict round trip mid-training', () => {
  for (const s of SETUPS) {
    it(`${s.name}: resume through JSON is bit-identical`, () => {
      const plateauFor = (o: Optimizer) => (s.name.includes('Plateau') ? new ReduceLROnPlateau(o, { patience: 1, factor: 0.5 }) : undefined);
      const refParams = makeParams();
      const refOpt = s.optimizer(groupsOf(refParams));
      const refSched = s.scheduler?.(refOpt);
      const refPlateau = plateauFor(refOpt);
      train(refOpt, refSched, refParams, 0, 10, refPlateau);

      const params = makeParams();
      const opt = s.optimizer(groupsOf(params));
      const sched = s.scheduler?.(opt);
      const plateau = plateauFor(opt);
      train(opt, sched, params, 0, 5, plateau);
      const checkpoint = JSON.stringify({
        params: params.map((p) => valuesOf(p.data)),
        opt: opt.stateDict(),
        sched: sched?.stateDict(),
        plateau: plateau?.stateDict(),
      });

      const saved = JSON.parse(checkpoint);
      const resumedParams = makeParams();
      resumedParams.forEach((p, i) => p.data.copyFrom(tensor(saved.params[i], { dtype: p.data.dtype, shape: p.data.shape })));
      const resumedOpt = s.optimizer(groupsOf(resumedParams));
      const resumedSched = s.scheduler?.(resumedOpt);
      const resumedPlateau = plateauFor(resumedOpt);
      resumedOpt.loadStateDict(saved.opt);
      resumedSched?.loadStateDict(saved.sched as never);
      resumedPlateau?.loadStateDict(saved.plateau);
      train(resumedOpt, resumedSched, resumedParams, 5, 10, resumedPlateau);

      resumedParams.forEach((p, i) => expect(bits(p.data)).toBe(bits(refParams[i].data)));
      expect(resumedOpt.paramGroups.map((g) => g.lr)).toEqual(refOpt.paramGroups.map((g) => g.lr));
      if (refSched) expect(resumedSched?.getLastLr()).toEqual(refSched.getLastLr());
      if (refPlateau) expect(resumedPlateau?.getLastLr()).toEqual(refPlateau.getLastLr());
      expect(JSON.parse(JSON.stringify(resumedOpt.stateDict()))).toEqual(JSON.parse(JSON.stringify(refOpt.stateDict())));
    });
  }

  it('lays the state dict out like PyTorch: state by parameter index, groups with options and indices', () => {
    const params = makeParams();
    const opt = new Adam(groupsOf(params), { lr: 0.01 });
    setGrads(params, 2); // parameter 1 has no gradient at step 2
    opt.step();
    const sd = opt.stateDict();
    expect(sd.optimizer).toBe('Adam');
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
    expect(sd.paramGroups[0]).toMatchObject({ lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(Object.keys(sd.state).sort()).toEqual(['0', '2']);
    expect(sd.state[0].step).toBe(1);
    expect(sd.state[2].expAvg).toMatchObject({ dtype: 'float64', shape: [2] });
    // A snapshot: later steps do not change it.
    const text = JSON.stringify(sd);
    setGrads(params, 3);
    opt.step();
    expect(JSON.stringify(sd)).toBe(text);
  });

  it('keeps NaN and infinities in state through JSON', () => {
    const p = variable(tensor([1, 2]), { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = variable(tensor([NaN, Infinity]));
    opt.step();
    const copy = new SGD([variable(tensor([0, 0]), { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    copy.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())) as OptimizerStateDict);
    const buf = [...copy.state.values()][0].momentumBuffer as Tensor;
    expect(valuesOf(buf)).toEqual([NaN, Infinity]);
  });
});

describe('loadStateDict refuses mismatches', () => {
  function trained(): { opt: Adam; sd: OptimizerStateDict } {
    const params = makeParams();
    const opt = new Adam(groupsOf(params));
    setGrads(params, 0);
    opt.step();
    return { opt, sd: JSON.parse(JSON.stringify(opt.stateDict())) as OptimizerStateDict };
  }

  it('from another optimizer class', () => {
    const { sd } = trained();
    const sgd = new SGD(groupsOf(makeParams()));
    expect(() => sgd.loadStateDict(sd)).toThrow(ArgumentError);
    expect(() => sgd.loadStateDict(sd)).toThrow('SGD.loadStateDict: the state dict was saved by Adam, not SGD');
  });

  it('with a different number of groups or parameters', () => {
    const { sd } = trained();
    const oneGroup = new Adam(makeParams());
    expect(() => oneGroup.loadStateDict(sd)).toThrow('Adam.loadStateDict: the state dict has 2 parameter groups, the optimizer has 1');
    const params = makeParams();
    const fewer = new Adam([{ params: [params[0]] }, { params: [params[2]] }]);
    expect(() => fewer.loadStateDict(sd)).toThrow('Adam.loadStateDict: group 0 has 2 parameters in the state dict and 1 in the optimizer');
  });

  it('with state shaped unlike the parameter, or corrupted', () => {
    const { sd } = trained();
    const params = makeParams();
    const swapped = new Adam([{ params: [params[1], params[0]] }, { params: [params[2]] }]);
    expect(() => swapped.loadStateDict(sd)).toThrow(ShapeError);
    const before = swapped.stateDict();
    expect(swapped.stateDict()).toEqual(before);
    const bad = JSON.parse(JSON.stringify(sd)) as OptimizerStateDict;
    (bad.state[0].expAvg as { base64: string }).base64 = 'AAAA';
    expect(() => new Adam(groupsOf(makeParams())).loadStateDict(bad)).toThrow(/state expAvg of parameter 0 holds 3 bytes/);
    expect(() => new Adam(groupsOf(makeParams())).loadStateDict({} as OptimizerStateDict)).toThrow(/expected an object with optimizer, state and paramGroups/);
  });

  it('a LambdaLR state dict leaves its functions out and keeps the ones given on load', () => {
    const make = () => new SGD(makeParams(), { lr: 0.1 });
    const a = new LambdaLR(make(), (e) => 0.5 ** e);
    a.step();
    a.step();
    const sd = JSON.parse(JSON.stringify(a.stateDict()));
    expect(sd).not.toHaveProperty('lrLambdas');
    const o = make();
    const b = new LambdaLR(o, (e) => 0.5 ** e);
    b.loadStateDict(sd);
    b.step();
    a.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());
    expect(b.lastEpoch).toBe(3);
  });

  it('a scheduler state dict from another scheduler kind', () => {
    const opt = new SGD(makeParams(), { lr: 0.1 });
    const step = new StepLR(opt, 2);
    const cosine = new CosineAnnealingLR(opt, 5);
    expect(() => cosine.loadStateDict(step.stateDict())).toThrow('CosineAnnealingLR.loadStateDict: the state dict was saved by StepLR, not CosineAnnealingLR');
  });
});
