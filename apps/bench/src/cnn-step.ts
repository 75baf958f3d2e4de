// The minigrad side of the CNN+GroupNorm training step (issue 7 and 14's workload), as a user writes it:
// conv 1->32, GroupNorm, ReLU, maxpool, conv 32->64, GroupNorm, ReLU, maxpool, linear 3136->128, ReLU,
// linear 128->10, cross-entropy, SGD. suites/cnn.ts times it; test/step-bits.test.ts pins its results bit
// for bit, so that a speed change that alters the arithmetic shows.
import { randn, type Variable } from '@minigrad/autograd';
import { Conv2d, F, Flatten, GroupNorm, Linear, MaxPool2d, ReLU, Sequential } from '@minigrad/nn';
import { SGD } from '@minigrad/optim';
import { type CompiledFunction, type ConvAlgorithm, compile, getConvAlgorithm, manualSeed, randint, setConvAlgorithm, tidy } from '@minigrad/tensor';

/** Groups of both GroupNorm layers (4 and 8 channels per group). */
export const GROUPS = 8;
export const LR = 0.01;
export const CLASSES = 10;

/**
 * A fresh model (seed 0) and its training step on one fixed random batch; the step returns the loss. With
 * `tidy`, the step runs inside tidy() (as a TensorFlow.js user writes a step): the same bits, with the step's
 * activations handed back to the pool at its end instead of to the garbage collector. With `compiled`, the
 * step is compile()'s (`compiled` is returned too): traced on its first calls, then its kernel calls replayed
 * (the same bits again). With `convAlgorithm`, the step runs under setConvAlgorithm(convAlgorithm) (the setting
 * before it is restored after each step).
 */
export function makeCnnStep(
  batch: number, opts: { tidy?: boolean; compiled?: boolean; convAlgorithm?: ConvAlgorithm } = {},
): { model: Sequential; step: () => Variable; compiled?: CompiledFunction<[], Variable> } {
  manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 32, 3, { padding: 1 }), new GroupNorm(GROUPS, 32), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3, { padding: 1 }), new GroupNorm(GROUPS, 64), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(64 * 7 * 7, 128), new ReLU(), new Linear(128, CLASSES),
  );
  const optimizer = new SGD(model.parameters(), { lr: LR });
  const x = randn([batch, 1, 28, 28]);
  const target = randint(0, CLASSES, [batch]);
  const step = (): Variable => {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.call(x) as Variable, target);
    loss.backward();
    optimizer.step();
    return loss;
  };
  const compiled = opts.compiled ? compile(step) : undefined;
  const scoped = compiled ?? (opts.tidy ? () => tidy(step) : step);
  const algorithm = opts.convAlgorithm;
  if (algorithm === undefined) return { model, step: scoped, compiled };
  return {
    model,
    compiled,
    step: () => {
      const previous = getConvAlgorithm();
      setConvAlgorithm(algorithm);
      try {
        return scoped();
      } finally {
        setConvAlgorithm(previous);
      }
    },
  };
}
