// A small app that a browser bundle would hold, bundled minified by names.test.ts: it prints (as JSON) the
// names that the test expects to survive minification.
import { ShapeError, randn } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
import { BatchNorm2d, Conv2d, Flatten, Linear, Module, ReLU, Sequential, summary } from '@minigrad/nn';
import { SGD, StepLR } from '@minigrad/optim';

const model = new Sequential(new Conv2d(1, 8, 3), new BatchNorm2d(8), new ReLU(), new Flatten(), new Linear(8 * 4 * 4, 10));

/** The error a call throws, as name and message. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return { name: e.name, message: e.message, isShapeError: e instanceof ShapeError };
  }
  return null;
}

// A user's model: one that declares its typeName keeps it, one that does not gets the minifier's name.
class Named extends Module {
  static typeName = 'MyNet';
}
class Unnamed extends Module {}

const opt = new SGD(model.parameters(), { lr: 0.1 });
const sched = new StepLR(opt, 1);
const otherModel = new Sequential(new Linear(3, 2));
console.log(
  JSON.stringify({
    // What minification did to the class itself: proves that the names below do not come from it.
    mangled: model.constructor.name,
    model: String(model),
    userModels: [String(new Named()), String(new Unnamed())],
    linearError: thrown(() => new Linear(4, 2).call(new Variable(randn([3, 5])))),
    nestedError: thrown(() => model.call(new Variable(randn([2, 3, 6, 6])))),
    batchNormError: thrown(() => model.call(new Variable(randn([1, 1, 3, 3])))),
    submoduleError: thrown(() => model.getSubmodule('0.conv')),
    stateDictError: thrown(() => otherModel.loadStateDict(new Sequential(new Linear(4, 2)).stateDict())),
    optimizer: String(opt),
    variable: String(new Variable(randn([2]), true).mul(2)),
    parameter: String(model.at(0).bias).split('\n')[0],
    summary: String(summary(model, { inputShape: [2, 1, 6, 6] })),
    optimizerState: opt.stateDict().optimizer,
    schedulerState: sched.stateDict().scheduler,
  }),
);
