// The public surface of every package, each entry a call with valid arguments that the garbage tests
// (garbage.property.test.ts) mutate: one or more arguments, or one value of an options object, replaced by
// generated garbage, or an unknown option name added. Options objects are wrapped in `O(...)`, so the tests
// know which arguments are options. `surfaceGaps()` lists the exports and methods with no entry here, so a
// new public function fails the test until it is given one (or listed in NOT_USER_INPUT with its reason).
// The backward kernels moved to @minigrad/tensor/internal keep their entries: they still check what they get.
import * as T from '@minigrad/tensor';
import * as TI from '@minigrad/tensor/internal';
import * as A from '@minigrad/autograd';
import * as nn from '@minigrad/nn';
import * as optim from '@minigrad/optim';
import * as D from '@minigrad/data';

export interface Spec {
  /** The call; `args()` gives fresh valid arguments. */
  call: (...args: any[]) => unknown;
  args: () => unknown[];
}

const optionObjects = new WeakSet<object>();
/** Marks an options object: the garbage tests mutate its values and add unknown names to it. */
export function O<V extends object>(o: V): V {
  optionObjects.add(o);
  return o;
}
export const isOptions = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && optionObjects.has(v);

const s = (call: Spec['call'], args: () => unknown[] = () => []): Spec => ({ call, args });

// Fresh operands for every call (in-place methods mutate them).
const tx = () => T.tensor([[1, 2], [3, 4]]);
const ti = () => T.tensor([1, 0], { dtype: 'int32' });
const timg = () => T.ones([1, 2, 4, 4]);
const vx = () => A.tensor([[1, 2], [3, 4]], { requiresGrad: true });
const vimg = () => A.variable(T.arange(0, 32, { dtype: 'float32' }).reshape([1, 2, 4, 4]).mul(0.1), { requiresGrad: true });
const leaf = () => A.variable(T.tensor([1, 2]), { requiresGrad: true });
const sgd = (o: object = {}) => new optim.SGD([leaf()], { lr: 0.1, ...o });
const stepped = (p: A.Variable) => { p.mul(2).sum().backward(); return p; };

/**
 * Methods shared by Tensor and Variable: `mk` makes a fresh operand of the receiver's kind, `idx` an int32
 * index tensor of that kind, `mask` a bool mask of that kind.
 */
type Mk = { x: () => any; idx: () => any; mask: () => any };
const tmask = () => T.tensor([true, false]);
const methodArgs: Record<string, (m: Mk) => unknown[]> = {
  dim: () => [], numel: () => [], size: () => [1], isContiguous: () => [], item: () => [], toArray: () => [],
  toTypedArray: () => [], toString: () => [], contiguous: () => [], clone: () => [], t: () => [],
  view: () => [[4]], reshape: () => [[4]], permute: () => [[1, 0]], transpose: () => [0, 1], squeeze: () => [0],
  unsqueeze: () => [0], expand: () => [[2, 2, 2]], expandAs: (m) => [m.x()], broadcastTo: () => [[3, 2, 2]],
  slice: () => [0, 0, 1, 1], narrow: () => [0, 0, 1], select: () => [0, 1], flatten: () => [0, 1], unflatten: () => [1, [2, 1]],
  split: () => [1, 0], chunk: () => [2, 0], to: () => ['float64'],
  neg: () => [], abs: () => [], exp: () => [], log: () => [], sqrt: () => [], rsqrt: () => [], sin: () => [], cos: () => [],
  tanh: () => [], sigmoid: () => [], relu: () => [], erf: () => [], sign: () => [], reciprocal: () => [], square: () => [],
  logicalNot: () => [], leakyRelu: () => [0.1], gelu: () => ['tanh'], softplus: () => [1, 20], clamp: () => [0, 3],
  add: (m) => [m.x(), 1], sub: (m) => [m.x(), 1], mul: (m) => [m.x()], div: (m) => [m.x()], pow: () => [2],
  maximum: (m) => [m.x()], minimum: (m) => [m.x()], eq: (m) => [m.x()], ne: () => [1], lt: () => [2], le: () => [2],
  gt: () => [2], ge: () => [2], logicalAnd: (m) => [m.x()], logicalOr: () => [0],
  sum: () => [0, false], mean: () => [1, true], prod: () => [0, false], amax: () => [[0, 1], false], amin: () => [0, false],
  all: () => [0, false], any: () => [1, false], logsumexp: () => [1, false], max: () => [0, false], min: () => [1, true],
  argmax: () => [0, false], argmin: () => [1, false], var: () => [0, O({ correction: 1, keepdim: false })],
  std: () => [1, O({ correction: 0, keepdim: true })], softmax: () => [1], logSoftmax: () => [0], sumToSize: () => [[1, 2]],
  matmul: (m) => [m.x()], gather: (m) => [0, m.idx().reshape([1, 2])], scatterAdd: (m) => [0, m.idx().reshape([1, 2]), m.x().slice(0, 0, 1)],
  indexSelect: (m) => [0, m.idx()], addInPlace: (m) => [m.x(), 2], subInPlace: () => [1, 1], mulInPlace: (m) => [m.x()],
  divInPlace: () => [2], copyFrom: (m) => [m.x()], fill: () => [3], zero: () => [],
  float: () => [], double: () => [], int: () => [], long: () => [], bool: () => [], cumsum: () => [1, O({ dtype: 'float64' })],
  sort: () => [1, O({ descending: true, stable: true })], argsort: () => [0, O({ descending: false, stable: false })],
  topk: () => [1, 1, O({ largest: false, sorted: true })], maskedFill: (m) => [m.mask(), 0.5], maskedSelect: (m) => [m.mask()],
};
const tensorOnly: Record<string, () => unknown[]> = {};
const variableOnly: Record<string, () => unknown[]> = {
  rsub: () => [1], detach: () => [], retainGrad: () => [], registerHook: () => [() => undefined],
  requiresGrad_: () => [true], backward: () => [O({ retainGraph: false, createGraph: false })],
};

const surface: Record<string, Spec> = {};
for (const [name, args] of Object.entries(methodArgs)) {
  surface[`Tensor#${name}`] = s((...a) => (tx() as any)[name](...a), () => args({ x: tx, idx: ti, mask: tmask }));
  surface[`Variable#${name}`] = s((...a) => (vx() as any)[name](...a), () => args({ x: vx, idx: () => A.variable(ti()), mask: () => A.variable(tmask()) }));
}
for (const [name, args] of Object.entries(tensorOnly)) surface[`Tensor#${name}`] = s((...a) => (tx() as any)[name](...a), args);
for (const [name, args] of Object.entries(variableOnly)) {
  surface[`Variable#${name}`] = s((...a) => (name === 'backward' ? vx().sum() : vx() as any)[name](...a), args);
}
Object.assign(surface, {
  'Variable#grad=': s((g) => { leaf().grad = g; }, () => [A.tensor([1, 1])]),
  'Tensor.zeros': s((a, b, c) => T.Tensor.zeros(a, b, c), () => [[2, 3], 'float32', 'test']),
  'autograd.Variable': s((a, b) => new A.Variable(a, b), () => [tx(), true]),
});

// @minigrad/tensor
Object.assign(surface, {
  'tensor.describeValue': s(T.describeValue, () => [1]),
  'tensor.describeName': s(T.describeName, () => ['float32']),
  'tensor.typeNameOf': s(T.typeNameOf, () => [T.zeros(2)]),
  'tensor.formatTensor': s(T.formatTensor, () => [tx(), ['requires_grad=True']]),
  'tensor.pyFloat': s(T.pyFloat, () => [1e-5]),
  'tensor.pyStr': s(T.pyStr, () => [[0.9, 0.999]]),
  'tensor.checkBool': s((v) => T.checkBool('op', 'flag', v), () => [true]),
  'tensor.checkNumber': s((v) => T.checkNumber('op', 'n', v, { min: 0, max: 2 }), () => [1]),
  'tensor.checkInt': s((v) => T.checkInt('op', 'n', v, { min: 0 }), () => [1]),
  'tensor.checkPositiveInt': s((v) => T.checkPositiveInt('op', 'n', v), () => [2]),
  'tensor.checkNonNegativeInt': s((v) => T.checkNonNegativeInt('op', 'n', v), () => [0]),
  'tensor.checkOneOf': s((v) => T.checkOneOf('op', 'mode', v, ['a', 'b']), () => ['a']),
  'tensor.checkFunction': s((v) => T.checkFunction('op', 'fn', v), () => [() => 1]),
  'tensor.checkOptions': s((v) => T.checkOptions('op', v, ['a']), () => [O({ a: 1 })]),
  'tensor.checkPair': s((v) => T.checkPair('op', 'stride', v, 1), () => [[1, 2]]),
  'tensor.checkShape': s((v) => T.checkShape('op', 'shape', v), () => [[2, 3]]),
  'tensor.checkIntArray': s((v) => T.checkIntArray('op', 'dims', v), () => [[-1, 3]]),
  'tensor.checkIndexDType': s((v) => T.checkIndexDType('op', 'target', v, 'class indices'), () => [ti()]),
  'tensor.fmtShape': s(T.fmtShape, () => [[2, 3]]),
  'tensor.isFloat': s(T.isFloat, () => ['float32']),
  'tensor.promoteTypes': s(T.promoteTypes, () => ['int32', 'float32']),
  'tensor.promoteWithScalar': s(T.promoteWithScalar, () => ['int32', 1.5]),
  'tensor.setBackend': s((b) => { const was = T.getBackend().name; try { T.setBackend(b); } finally { T.setBackend(was); } }, () => ['js']),
  'tensor.getBackend': s(T.getBackend),
  'tensor.setConvAlgorithm': s((a) => { const was = T.getConvAlgorithm(); try { T.setConvAlgorithm(a); } finally { T.setConvAlgorithm(was); } }, () => ['winograd']),
  'tensor.getConvAlgorithm': s(T.getConvAlgorithm),
  'tensor.wasmAvailable': s(T.wasmAvailable),
  'tensor.tensor': s(T.tensor, () => [[[1, 2], [3, 4]], O({ dtype: 'float64' })]),
  'tensor.empty': s(T.empty, () => [[2, 3], O({ dtype: 'float32' })]),
  'tensor.zeros': s(T.zeros, () => [[2, 3], O({ dtype: 'float32' })]),
  'tensor.ones': s(T.ones, () => [2, 3]),
  'tensor.full': s(T.full, () => [[2], 1.5, O({ dtype: 'float64' })]),
  'tensor.arange': s(T.arange, () => [0, 4, 1, O({ dtype: 'int32' })]),
  'tensor.linspace': s(T.linspace, () => [0, 1, 5, O({})]),
  'tensor.eye': s(T.eye, () => [2, 3, O({})]),
  'tensor.emptyLike': s(T.emptyLike, () => [tx(), O({})]),
  'tensor.zerosLike': s(T.zerosLike, () => [tx(), O({ dtype: 'int32' })]),
  'tensor.onesLike': s(T.onesLike, () => [tx(), O({})]),
  'tensor.fullLike': s(T.fullLike, () => [tx(), 2, O({})]),
  'tensor.Generator': s((a) => new T.Generator(a), () => [7]),
  'tensor.manualSeed': s((a) => { T.manualSeed(a); T.manualSeed(0); }, () => [3]),
  'tensor.tidy': s(T.tidy, () => [() => T.zeros([2, 3])]),
  'tensor.compile': s(T.compile, () => [() => T.zeros([2, 3])]),
  'tensor.keep': s(T.keep, () => [T.zeros([2])]),
  'tensor.rand': s(T.rand, () => [[2, 2], O({ generator: new T.Generator(1) })]),
  'tensor.randn': s(T.randn, () => [[2, 2], O({ dtype: 'float64' })]),
  'tensor.randint': s(T.randint, () => [0, 5, [3], O({})]),
  'tensor.randperm': s(T.randperm, () => [5, O({})]),
  'tensor.randLike': s(T.randLike, () => [tx(), O({})]),
  'tensor.randnLike': s(T.randnLike, () => [tx(), O({})]),
  'tensor.where': s(T.where, () => [T.tensor([true, false], { dtype: 'bool' }), tx(), 0]),
  'tensor.matmul': s(T.matmul, () => [tx(), tx()]),
  'tensor.maximum': s(T.maximum, () => [tx(), tx()]),
  'tensor.minimum': s(T.minimum, () => [tx(), 2]),
  'tensor.cat': s(T.cat, () => [[tx(), tx()], 1]),
  'tensor.stack': s(T.stack, () => [[tx(), tx()], 0]),
  'tensor.split': s(T.split, () => [tx(), [1, 1], 0]),
  'tensor.chunk': s(T.chunk, () => [tx(), 2, 1]),
  'tensor.oneHot': s(T.oneHot, () => [ti(), 3]),
  'tensor.conv2d': s(T.conv2d, () => [timg(), T.ones([3, 2, 3, 3]), T.ones([3]), O({ stride: 1, padding: 1, dilation: 1, groups: 1 })]),
  'tensor/internal.conv2dBackwardInput': s(TI.conv2dBackwardInput, () => [T.ones([1, 3, 2, 2]), T.ones([3, 2, 3, 3]), [1, 2, 4, 4], O({})]),
  'tensor/internal.conv2dBackwardWeight': s(TI.conv2dBackwardWeight, () => [T.ones([1, 3, 2, 2]), timg(), [3, 2, 3, 3], O({})]),
  'tensor/internal.conv2dBackward': s(TI.conv2dBackward, () => [T.ones([1, 3, 2, 2]), timg(), T.ones([3, 2, 3, 3]), O({})]),
  'tensor.convTranspose2d': s(T.convTranspose2d, () => [timg(), T.ones([2, 3, 3, 3]), null, O({ stride: 2, padding: 1, outputPadding: 1 })]),
  'tensor/internal.convTranspose2dBackwardInput': s(TI.convTranspose2dBackwardInput, () => [T.ones([1, 3, 6, 6]), T.ones([2, 3, 3, 3]), [1, 2, 4, 4], O({})]),
  'tensor/internal.convTranspose2dBackwardWeight': s(TI.convTranspose2dBackwardWeight, () => [T.ones([1, 3, 6, 6]), timg(), [2, 3, 3, 3], O({})]),
  'tensor.maxPool2d': s(T.maxPool2d, () => [timg(), O({ kernelSize: 2, stride: 2, padding: 0, dilation: 1, ceilMode: false })]),
  'tensor/internal.maxPool2dBackward': s(TI.maxPool2dBackward, () => [T.ones([1, 2, 2, 2]), T.zeros([1, 2, 2, 2], { dtype: 'int32' }), [1, 2, 4, 4]]),
  'tensor.avgPool2d': s(T.avgPool2d, () => [timg(), O({ kernelSize: 2, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 3 })]),
  'tensor/internal.avgPool2dBackward': s(TI.avgPool2dBackward, () => [T.ones([1, 2, 2, 2]), [1, 2, 4, 4], O({ kernelSize: 2 })]),
  'tensor.adaptiveAvgPool2d': s(T.adaptiveAvgPool2d, () => [timg(), [2, 3]]),
  'tensor/internal.adaptiveAvgPool2dBackward': s(TI.adaptiveAvgPool2dBackward, () => [T.ones([1, 2, 2, 2]), [1, 2, 4, 4]]),
});

// @minigrad/autograd
const model = () => new nn.Sequential(new nn.Linear(2, 2));
Object.assign(surface, {
  'autograd.asVariable': s(A.asVariable, () => [tx()]),
  'autograd.checkVariable': s((v) => A.checkVariable('op', 'input', v), () => [vx()]),
  'autograd.variable': s(A.variable, () => [tx(), O({ requiresGrad: true })]),
  'autograd.tensor': s(A.tensor, () => [[1, 2], O({ requiresGrad: true, dtype: 'float64' })]),
  'autograd.zeros': s(A.zeros, () => [[2], O({ requiresGrad: true })]),
  'autograd.ones': s(A.ones, () => [2, 2]),
  'autograd.full': s(A.full, () => [[2], 3, O({})]),
  'autograd.randn': s(A.randn, () => [[2], O({})]),
  'autograd.rand': s(A.rand, () => [[2], O({})]),
  'autograd.arange': s(A.arange, () => [0, 3, 1, O({})]),
  'autograd.zerosLike': s(A.zerosLike, () => [vx(), O({})]),
  'autograd.onesLike': s(A.onesLike, () => [vx(), O({})]),
  'autograd.randnLike': s(A.randnLike, () => [vx(), O({})]),
  'autograd.cat': s(A.cat, () => [[vx(), vx()], 0]),
  'autograd.stack': s(A.stack, () => [[vx(), vx()], 1]),
  'autograd.split': s(A.split, () => [vx(), 1, 0]),
  'autograd.chunk': s(A.chunk, () => [vx(), 2, 0]),
  'autograd.where': s(A.where, () => [T.tensor([true, false], { dtype: 'bool' }), vx(), 1]),
  'autograd.clamp': s(A.clamp, () => [vx(), A.tensor([0, 1]), 3]),
  'autograd.cumsum': s(A.cumsum, () => [vx(), 0, O({ dtype: 'float64' })]),
  'autograd.sort': s(A.sort, () => [vx(), 0, O({ descending: true, stable: false })]),
  'autograd.argsort': s(A.argsort, () => [vx(), 1, O({ descending: true })]),
  'autograd.topk': s(A.topk, () => [vx(), 2, 0, O({ largest: true, sorted: false })]),
  'autograd.maskedFill': s(A.maskedFill, () => [vx(), tmask(), A.tensor(2)]),
  'autograd.maskedSelect': s(A.maskedSelect, () => [vx(), tmask()]),
  'autograd.matmul': s(A.matmul, () => [tx(), vx()]),
  'autograd.maximum': s(A.maximum, () => [tx(), vx()]),
  'autograd.minimum': s(A.minimum, () => [vx(), 1]),
  'autograd.conv2d': s(A.conv2d, () => [vimg(), A.ones([3, 2, 3, 3]), null, O({ padding: 1 })]),
  'autograd.convTranspose2d': s(A.convTranspose2d, () => [vimg(), A.ones([2, 3, 3, 3]), null, O({ stride: 2 })]),
  'autograd.maxPool2d': s(A.maxPool2d, () => [vimg(), O({ kernelSize: 2 })]),
  'autograd.maxPool2dWithIndices': s(A.maxPool2dWithIndices, () => [vimg(), O({ kernelSize: 2, stride: 1 })]),
  'autograd.avgPool2d': s(A.avgPool2d, () => [vimg(), O({ kernelSize: 2, countIncludePad: true })]),
  'autograd.adaptiveAvgPool2d': s(A.adaptiveAvgPool2d, () => [vimg(), 2]),
  'autograd.grad': s((o, i, opts) => A.grad(o, i, opts), () => { const p = leaf(); return [p.mul(p).sum(), [p], O({ retainGraph: false, createGraph: false, allowUnused: false })]; }),
  'autograd.noGrad': s(A.noGrad, () => [() => 1]),
  'autograd.enableGrad': s(A.enableGrad, () => [() => 1]),
  'autograd.isGradEnabled': s(A.isGradEnabled),
  'autograd.setGradEnabled': s((a) => { try { A.setGradEnabled(a); } finally { A.setGradEnabled(true); } }, () => [false]),
  'autograd.detectAnomaly': s(A.detectAnomaly, () => [() => 1]),
  'autograd.isAnomalyEnabled': s(A.isAnomalyEnabled),
  'autograd.gradcheck': s(A.gradcheck, () => [(v: A.Variable) => v.mul(2), [A.tensor([1, 2], { dtype: 'float64', requiresGrad: true })], O({ eps: 1e-6, atol: 1e-5, rtol: 1e-3, raiseException: true })]),
  'autograd.gradgradcheck': s(A.gradgradcheck, () => [(v: A.Variable) => v.mul(v), [A.tensor([1, 2], { dtype: 'float64', requiresGrad: true })], O({ eps: 1e-6 })]),
  'autograd.tape': s(A.tape, () => [vx().mul(2)]),
  'autograd.formatTape': s(A.formatTape, () => [vx().mul(2)]),
  'autograd.toDot': s(A.toDot, () => [vx().mul(2)]),
});

// @minigrad/nn: constructors, then each layer's call, then the functional forms and init
const layers: Record<string, [new (...a: any[]) => nn.Module, () => unknown[], () => unknown[]]> = {
  Linear: [nn.Linear, () => [2, 3, O({ bias: true, dtype: 'float32' })], () => [vx()]],
  Bilinear: [nn.Bilinear, () => [2, 2, 3, O({ bias: false })], () => [vx(), vx()]],
  Conv2d: [nn.Conv2d, () => [2, 3, 3, O({ stride: 1, padding: 1, dilation: 1, groups: 1, bias: true, paddingMode: 'zeros' })], () => [vimg()]],
  ConvTranspose2d: [nn.ConvTranspose2d, () => [2, 3, 3, O({ stride: 2, padding: 1, outputPadding: 1 })], () => [vimg()]],
  MaxPool2d: [nn.MaxPool2d, () => [2, O({ stride: 2, ceilMode: false })], () => [vimg()]],
  AvgPool2d: [nn.AvgPool2d, () => [2, O({ stride: 1, countIncludePad: false })], () => [vimg()]],
  AdaptiveAvgPool2d: [nn.AdaptiveAvgPool2d, () => [[1, 2]], () => [vimg()]],
  Identity: [nn.Identity, () => [], () => [vx()]],
  Flatten: [nn.Flatten, () => [0, -1], () => [vx()]],
  Unflatten: [nn.Unflatten, () => [1, [2, 1]], () => [vx()]],
  Dropout: [nn.Dropout, () => [0.5, O({ generator: new T.Generator(1) })], () => [vx()]],
  Embedding: [nn.Embedding, () => [4, 2, O({ paddingIdx: 0 })], () => [ti()]],
  ReLU: [nn.ReLU, () => [], () => [vx()]],
  LeakyReLU: [nn.LeakyReLU, () => [0.2], () => [vx()]],
  GELU: [nn.GELU, () => ['tanh'], () => [vx()]],
  SiLU: [nn.SiLU, () => [], () => [vx()]],
  Sigmoid: [nn.Sigmoid, () => [], () => [vx()]],
  Tanh: [nn.Tanh, () => [], () => [vx()]],
  Softplus: [nn.Softplus, () => [2, 10], () => [vx()]],
  Softmax: [nn.Softmax, () => [1], () => [vx()]],
  LogSoftmax: [nn.LogSoftmax, () => [O({ dim: 0 })], () => [vx()]],
  BatchNorm1d: [nn.BatchNorm1d, () => [2, O({ eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true })], () => [vx()]],
  BatchNorm2d: [nn.BatchNorm2d, () => [2, O({ momentum: null })], () => [vimg()]],
  LayerNorm: [nn.LayerNorm, () => [[2], O({ eps: 1e-5, elementwiseAffine: true })], () => [vx()]],
  GroupNorm: [nn.GroupNorm, () => [1, 2, O({ eps: 1e-5, affine: true })], () => [vimg()]],
  InstanceNorm2d: [nn.InstanceNorm2d, () => [2, O({ affine: true })], () => [vimg()]],
  CrossEntropyLoss: [nn.CrossEntropyLoss, () => [O({ ignoreIndex: -100, reduction: 'sum', labelSmoothing: 0.1 })], () => [vx(), ti()]],
  NLLLoss: [nn.NLLLoss, () => [O({ reduction: 'none' })], () => [vx().logSoftmax(1), ti()]],
  MSELoss: [nn.MSELoss, () => [O({ reduction: 'mean' })], () => [vx(), tx()]],
  L1Loss: [nn.L1Loss, () => [O({ reduction: 'sum' })], () => [vx(), tx()]],
  BCEWithLogitsLoss: [nn.BCEWithLogitsLoss, () => [O({ reduction: 'mean', posWeight: A.ones([2]) })], () => [vx(), T.tensor([[0, 1], [1, 0]])]],
  Sequential: [nn.Sequential, () => [new nn.Linear(2, 2), new nn.ReLU()], () => [vx()]],
  ModuleList: [nn.ModuleList, () => [[new nn.ReLU()]], () => []],
  ModuleDict: [nn.ModuleDict, () => [{ act: new nn.ReLU() }], () => []],
  Module: [nn.Module, () => [], () => []],
};
for (const [name, [Layer, ctorArgs, callArgs]] of Object.entries(layers)) {
  surface[`nn.${name}`] = s((...a) => new Layer(...a), ctorArgs);
  if (callArgs().length > 0) surface[`nn.${name}#call`] = s((...a) => new Layer(...ctorArgs()).call(...a), callArgs);
}
const lin = () => new nn.Linear(2, 2);
Object.assign(surface, {
  'nn.Parameter': s((a, b) => new nn.Parameter(a, b), () => [tx(), true]),
  'nn.saveSafetensors': s(nn.saveSafetensors, () => [lin().stateDict(), { format: 'pt' }]),
  'nn.loadSafetensors': s(nn.loadSafetensors, () => [nn.saveSafetensors(lin().stateDict())]),
  'nn.safetensorsMetadata': s(nn.safetensorsMetadata, () => [nn.saveSafetensors(lin().stateDict(), { a: 'b' })]),
  'nn.summary': s((m, o) => nn.summary(m, o), () => [lin(), O({ inputShape: [2, 2], dtype: 'float32', depth: 2 })]),
  'nn.gradientStats': s(nn.gradientStats, () => { const m = lin(); m.call(vx()).sum().backward(); return [m]; }),
  'F.relu': s(nn.F.relu, () => [vx()]),
  'F.leakyRelu': s(nn.F.leakyRelu, () => [vx(), O({ negativeSlope: 0.2 })]),
  'F.gelu': s(nn.F.gelu, () => [vx(), O({ approximate: 'tanh' })]),
  'F.silu': s(nn.F.silu, () => [vx()]),
  'F.sigmoid': s(nn.F.sigmoid, () => [vx()]),
  'F.tanh': s(nn.F.tanh, () => [vx()]),
  'F.softplus': s(nn.F.softplus, () => [vx(), O({ beta: 2, threshold: 10 })]),
  'F.softmax': s(nn.F.softmax, () => [vx(), 1]),
  'F.logSoftmax': s(nn.F.logSoftmax, () => [vx(), 0]),
  'F.linear': s(nn.F.linear, () => [vx(), A.ones([3, 2]), A.ones([3])]),
  'F.bilinear': s(nn.F.bilinear, () => [vx(), vx(), A.ones([3, 2, 2]), null]),
  'F.conv2d': s(nn.F.conv2d, () => [vimg(), A.ones([3, 2, 3, 3]), A.ones([3]), O({ stride: 1, padding: 1, dilation: 1, groups: 1 })]),
  'F.convTranspose2d': s(nn.F.convTranspose2d, () => [vimg(), A.ones([2, 3, 3, 3]), null, O({ stride: 2, outputPadding: 1 })]),
  'F.maxPool2d': s(nn.F.maxPool2d, () => [vimg(), 2, O({ stride: 1, padding: 1, dilation: 1, ceilMode: false })]),
  'F.maxPool2dWithIndices': s(nn.F.maxPool2dWithIndices, () => [vimg(), 2, O({ stride: 2 })]),
  'F.avgPool2d': s(nn.F.avgPool2d, () => [vimg(), O({ kernelSize: 2, stride: 1, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 2 })]),
  'F.adaptiveAvgPool2d': s(nn.F.adaptiveAvgPool2d, () => [vimg(), [2, 1]]),
  'F.dropout': s(nn.F.dropout, () => [vx(), O({ p: 0.5, training: true, generator: new T.Generator(2) })]),
  'F.embedding': s(nn.F.embedding, () => [ti(), A.ones([3, 2]), O({ paddingIdx: 1 })]),
  'F.batchNorm': s(nn.F.batchNorm, () => [vimg(), T.zeros([2]), T.ones([2]), O({ training: true, momentum: 0.1, eps: 1e-5 })]),
  'F.layerNorm': s(nn.F.layerNorm, () => [vx(), [2], O({ eps: 1e-5 })]),
  'F.groupNorm': s(nn.F.groupNorm, () => [vimg(), 2, O({ eps: 1e-5 })]),
  'F.instanceNorm': s(nn.F.instanceNorm, () => [vimg(), null, null, O({ eps: 1e-5, useInputStats: true, momentum: 0.1 })]),
  'F.crossEntropy': s(nn.F.crossEntropy, () => [vx(), ti(), O({ ignoreIndex: -100, reduction: 'mean', labelSmoothing: 0.1, weight: A.ones([2]) })]),
  'F.nllLoss': s(nn.F.nllLoss, () => [vx().logSoftmax(1), ti(), O({ reduction: 'sum', ignoreIndex: 1 })]),
  'F.mseLoss': s(nn.F.mseLoss, () => [vx(), tx(), O({ reduction: 'none' })]),
  'F.l1Loss': s(nn.F.l1Loss, () => [vx(), tx(), O({ reduction: 'mean' })]),
  'F.binaryCrossEntropyWithLogits': s(nn.F.binaryCrossEntropyWithLogits, () => [vx(), T.tensor([[0, 1], [1, 0]]), O({ reduction: 'sum', posWeight: A.ones([2]) })]),
  'init.calculateGain': s(nn.init.calculateGain, () => ['leaky_relu', 0.2]),
  'init.calculateFanInAndFanOut': s(nn.init.calculateFanInAndFanOut, () => [A.ones([3, 2])]),
  'init.uniform_': s(nn.init.uniform_, () => [A.ones([3, 2]), -1, 1, O({})]),
  'init.normal_': s(nn.init.normal_, () => [A.ones([3, 2]), 0, 1, O({})]),
  'init.constant_': s(nn.init.constant_, () => [A.ones([3, 2]), 0.5]),
  'init.zeros_': s(nn.init.zeros_, () => [A.ones([3, 2])]),
  'init.ones_': s(nn.init.ones_, () => [A.zeros([3, 2])]),
  'init.kaimingUniform_': s(nn.init.kaimingUniform_, () => [A.ones([3, 2]), O({ a: 0, mode: 'fanIn', nonlinearity: 'relu' })]),
  'init.kaimingNormal_': s(nn.init.kaimingNormal_, () => [A.ones([3, 2]), O({ mode: 'fanOut' })]),
  'init.xavierUniform_': s(nn.init.xavierUniform_, () => [A.ones([3, 2]), O({ gain: 1 })]),
  'init.xavierNormal_': s(nn.init.xavierNormal_, () => [A.ones([3, 2]), O({ gain: 2 })]),
  'Module#call': s((...a) => lin().call(...a), () => [vx()]),
  'Module#registerBuffer': s((...a) => lin().registerBuffer(...a), () => ['buf', tx(), O({ persistent: false })]),
  'Module#registerParameter': s((...a) => lin().registerParameter(...a), () => ['p', new nn.Parameter(tx())]),
  'Module#registerModule': s((...a) => lin().registerModule(...a), () => ['child', lin()]),
  'Module#stateDictKey': s((...a) => lin().stateDictKey(...a), () => ['weight']),
  'Module#getSubmodule': s((...a) => model().getSubmodule(...a), () => ['0']),
  'Module#to': s((...a) => lin().to(...a), () => ['float64']),
  'Module#double': s(() => lin().double()),
  'Module#float': s(() => lin().float()),
  'Module#train': s((...a) => lin().train(...a), () => [false]),
  'Module#eval': s(() => lin().eval()),
  'Module#zeroGrad': s((...a) => lin().zeroGrad(...a), () => [O({ setToNull: false })]),
  'Module#apply': s((...a) => lin().apply(...a), () => [() => undefined]),
  'Module#requiresGrad_': s((...a) => lin().requiresGrad_(...a), () => [false]),
  'Module#stateDict': s(() => lin().stateDict()),
  'Module#loadStateDict': s((...a) => lin().loadStateDict(...a), () => [lin().stateDict(), O({ strict: true })]),
  'Module#registerForwardPreHook': s((...a) => lin().registerForwardPreHook(...a), () => [() => undefined]),
  'Module#registerForwardHook': s((...a) => lin().registerForwardHook(...a), () => [() => undefined]),
  'Module#registerFullBackwardHook': s((...a) => lin().registerFullBackwardHook(...a), () => [() => undefined]),
  'Module#extraRepr': s(() => lin().extraRepr()),
  'Module#toString': s(() => model().toString()),
  'Module#parameters': s((...a) => [...model().parameters(...a)], () => [O({ recurse: true })]),
  'Module#namedParameters': s((...a) => [...model().namedParameters(...a)], () => [O({ prefix: 'm', recurse: false })]),
  'Module#buffers': s((...a) => [...model().buffers(...a)], () => [O({ recurse: true })]),
  'Module#namedBuffers': s((...a) => [...model().namedBuffers(...a)], () => [O({ prefix: '', recurse: true })]),
  'Module#children': s(() => [...model().children()]),
  'Module#namedOwnParameters': s(() => [...lin().namedOwnParameters()]),
  'Module#namedOwnBuffers': s(() => [...new nn.BatchNorm1d(2).namedOwnBuffers()]),
  'Module#namedChildren': s(() => [...model().namedChildren()]),
  'Module#modules': s(() => [...model().modules()]),
  'Module#namedModules': s((...a) => [...model().namedModules(...a)], () => ['']),
});

// @minigrad/optim
const optimizers: Record<string, [new (...a: any[]) => optim.Optimizer<any>, () => object]> = {
  SGD: [optim.SGD, () => ({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: false })],
  Adam: [optim.Adam, () => ({ lr: 0.01, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false })],
  AdamW: [optim.AdamW, () => ({ lr: 0.01, betas: [0.8, 0.9], weightDecay: 0.01 })],
  RMSprop: [optim.RMSprop, () => ({ lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0, momentum: 0.5, centered: true })],
  Adagrad: [optim.Adagrad, () => ({ lr: 0.01, lrDecay: 0.1, weightDecay: 0, initialAccumulatorValue: 0.1, eps: 1e-10 })],
};
for (const [name, [Opt, opts]] of Object.entries(optimizers)) {
  // Constructed and stepped, so that every option reaches the update.
  surface[`optim.${name}`] = s((params, o) => { const opt = new Opt(params, o); opt.step(); return params; }, () => [[stepped(leaf())], O(opts())]);
}
const sched = (f: (opt: optim.SGD, ...a: any[]) => { step(...a: any[]): void }, args: () => unknown[], steps = 3): Spec =>
  s((...a) => { const opt = sgd({ momentum: 0.9 }); const sc = f(opt, ...a); for (let i = 0; i < steps; i++) sc.step(); return A.tensor(opt.paramGroups.map((g) => g.lr)); }, args);
Object.assign(surface, {
  'Optimizer#addParamGroup': s((g) => sgd().addParamGroup(g), () => [{ params: [leaf()], lr: 0.5 }]),
  'Optimizer#zeroGrad': s((o) => sgd().zeroGrad(o), () => [O({ setToNull: false })]),
  'Optimizer#step': s((c) => sgd().step(c), () => [() => 1]),
  'Optimizer#stateDict': s(() => sgd().stateDict()),
  'Optimizer#toString': s(() => sgd().toString()),
  'Optimizer#loadStateDict': s((sd) => sgd().loadStateDict(sd), () => [sgd().stateDict()]),
  'optim.clipGradNorm': s(optim.clipGradNorm, () => [[stepped(leaf())], 1, O({ normType: 2, errorIfNonfinite: true })]),
  'optim.clipGradValue': s(optim.clipGradValue, () => [[stepped(leaf())], 0.5]),
  'optim.StepLR': sched((o, a, b) => new optim.StepLR(o, a, b), () => [2, O({ gamma: 0.5 })]),
  'optim.MultiStepLR': sched((o, a, b) => new optim.MultiStepLR(o, a, b), () => [[1, 2], O({ gamma: 0.5 })]),
  'optim.ExponentialLR': sched((o, a, b) => new optim.ExponentialLR(o, a, b), () => [0.9, O({})]),
  'optim.CosineAnnealingLR': sched((o, a, b) => new optim.CosineAnnealingLR(o, a, b), () => [4, O({ etaMin: 0.01 })]),
  'optim.LinearLR': sched((o, a) => new optim.LinearLR(o, a), () => [O({ startFactor: 0.5, endFactor: 1, totalIters: 2 })]),
  'optim.OneCycleLR': sched((o, a, b) => new optim.OneCycleLR(o, a, b), () => [1, O({ totalSteps: 5, pctStart: 0.3, annealStrategy: 'cos', divFactor: 25, finalDivFactor: 1e4, threePhase: false, cycleMomentum: true })]),
  'optim.ReduceLROnPlateau': s((o, m) => { const sc = new optim.ReduceLROnPlateau(sgd(), o); sc.step(m); sc.step(m); return sc.getLastLr(); }, () => [O({ mode: 'min', factor: 0.5, patience: 0, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8 }), 1]),
  'optim.SequentialLR': s((a, b) => { const opt = sgd(); const sc = new optim.SequentialLR(opt, [new optim.ConstantLR(opt, O({ factor: 0.5, totalIters: 1 })), new optim.ExponentialLR(opt, 0.9)], a, b); sc.step(); return sc.getLastLr(); }, () => [[1], O({})]),
  'optim.ChainedScheduler': s((a) => { const sc = new optim.ChainedScheduler(a); sc.step(); return sc.getLastLr(); }, () => { const opt = sgd(); return [[new optim.ExponentialLR(opt, 0.9), new optim.StepLR(opt, 1)]]; }),
  'optim.LambdaLR': sched((o, a, b) => new optim.LambdaLR(o, a, b), () => [(e: number) => 1 / (e + 1), O({})]),
  'optim.MultiplicativeLR': sched((o, a, b) => new optim.MultiplicativeLR(o, a, b), () => [() => 0.9, O({})]),
  'optim.ConstantLR': sched((o, a) => new optim.ConstantLR(o, a), () => [O({ factor: 0.5, totalIters: 2 })]),
  'optim.PolynomialLR': sched((o, a) => new optim.PolynomialLR(o, a), () => [O({ totalIters: 4, power: 2 })]),
  'LRScheduler#step': s((e) => new optim.StepLR(sgd(), 1).step(e), () => [3]),
  'LRScheduler#getLastLr': s(() => new optim.StepLR(sgd(), 1).getLastLr()),
  'LRScheduler#initialStep': s(() => new optim.StepLR(sgd(), 1).initialStep()),
  'LRScheduler#stateDict': s(() => new optim.StepLR(sgd(), 1).stateDict()),
  'LRScheduler#loadStateDict': s((sd) => new optim.StepLR(sgd(), 1).loadStateDict(sd), () => [new optim.StepLR(sgd(), 2).stateDict()]),
});

// Methods of the other exported classes (containers, generators, layers' resets, the schedulers that are not LRSchedulers).
const plateau = () => new optim.ReduceLROnPlateau(sgd(), { patience: 0 });
const seqLr = () => { const opt = sgd(); return new optim.SequentialLR(opt, [new optim.ConstantLR(opt, { factor: 0.5, totalIters: 1 }), new optim.ExponentialLR(opt, 0.9)], [1]); };
const chained = () => { const opt = sgd(); return new optim.ChainedScheduler([new optim.ExponentialLR(opt, 0.9), new optim.StepLR(opt, 1)]); };
const dict = () => new nn.ModuleDict({ act: new nn.ReLU() });
Object.assign(surface, {
  'Generator#manualSeed': s((a) => new T.Generator(1).manualSeed(a), () => [5]),
  'Generator#initialSeed': s(() => new T.Generator(1).initialSeed()),
  'Generator#nextUint32': s(() => new T.Generator(1).nextUint32()),
  'Generator#uniform24': s(() => new T.Generator(1).uniform24()),
  'Generator#uniform53': s(() => new T.Generator(1).uniform53()),
  'Generator#getState': s(() => new T.Generator(1).getState()),
  'Generator#setState': s((st) => new T.Generator(1).setState(st), () => [new T.Generator(2).getState()]),
  'Sequential#append': s((m) => model().append(m), () => [lin()]),
  'Sequential#at': s((i) => model().at(i), () => [-1]),
  'Sequential#slice': s((a, b) => model().slice(a, b), () => [0, 1]),
  'ModuleList#append': s((m) => new nn.ModuleList([lin()]).append(m), () => [lin()]),
  'ModuleList#at': s((i) => new nn.ModuleList([lin()]).at(i), () => [0]),
  'ModuleList#extend': s((ms) => new nn.ModuleList().extend(ms), () => [[lin(), lin()]]),
  'ModuleList#insert': s((i, m) => new nn.ModuleList([lin()]).insert(i, m), () => [0, lin()]),
  'ModuleDict#get': s((k) => dict().get(k), () => ['act']),
  'ModuleDict#set': s((k, m) => dict().set(k, m), () => ['fc', lin()]),
  'ModuleDict#has': s((k) => dict().has(k), () => ['act']),
  'ModuleDict#delete': s((k) => dict().delete(k), () => ['act']),
  'ModuleDict#keys': s(() => [...dict().keys()]),
  'ModuleDict#values': s(() => [...dict().values()]),
  'ModuleDict#entries': s(() => [...dict().entries()]),
  'ReduceLROnPlateau#step': s((m) => { const p = plateau(); p.step(m); p.step(m); return p.getLastLr(); }, () => [0.5]),
  'ReduceLROnPlateau#getLastLr': s(() => plateau().getLastLr()),
  'ReduceLROnPlateau#stateDict': s(() => plateau().stateDict()),
  'ReduceLROnPlateau#loadStateDict': s((sd) => plateau().loadStateDict(sd), () => [plateau().stateDict()]),
  'SequentialLR#step': s(() => seqLr().step()),
  'SequentialLR#getLastLr': s(() => seqLr().getLastLr()),
  'SequentialLR#stateDict': s(() => seqLr().stateDict()),
  'SequentialLR#loadStateDict': s((sd) => seqLr().loadStateDict(sd), () => [seqLr().stateDict()]),
  'ChainedScheduler#step': s(() => chained().step()),
  'ChainedScheduler#getLastLr': s(() => chained().getLastLr()),
  'ChainedScheduler#stateDict': s(() => chained().stateDict()),
  'ChainedScheduler#loadStateDict': s((sd) => chained().loadStateDict(sd), () => [chained().stateDict()]),
  'ArrayStorage#detach': s(() => new T.ArrayStorage(new Float32Array(2)).detach()),
});
const resets: Record<string, () => { resetParameters(): void; resetRunningStats?(): void }> = {
  Linear: () => new nn.Linear(2, 2), Bilinear: () => new nn.Bilinear(2, 2, 2), Conv2d: () => new nn.Conv2d(2, 2, 3),
  ConvTranspose2d: () => new nn.ConvTranspose2d(2, 2, 3), Embedding: () => new nn.Embedding(3, 2, { paddingIdx: 0 }),
  LayerNorm: () => new nn.LayerNorm(2), GroupNorm: () => new nn.GroupNorm(1, 2), BatchNorm1d: () => new nn.BatchNorm1d(2),
  BatchNorm2d: () => new nn.BatchNorm2d(2), InstanceNorm2d: () => new nn.InstanceNorm2d(2, { trackRunningStats: true }),
};
for (const [name, make] of Object.entries(resets)) {
  surface[`${name}#resetParameters`] = s(() => make().resetParameters());
  if (make().resetRunningStats) surface[`${name}#resetRunningStats`] = s(() => make().resetRunningStats!());
}

// @minigrad/data: constructors are called and the loaders iterated to the end, so every option reaches its use.
const tds = () => new D.TensorDataset(T.arange(0, 10, { dtype: 'float32' }).reshape([5, 2]), T.tensor([0, 1, 2, 3, 4], { dtype: 'int32' }));
const dataItems = () => ({ length: 4, getItem: (i: number) => ({ x: T.tensor([i, i]), y: i }) });
const epoch = (loader: Iterable<unknown>) => [...loader];
/** The first items of a sampler (a garbage count such as 1e12 is a valid, very long order). */
const first = (sampler: Iterable<number>) => { const out: number[] = []; for (const i of sampler) if (out.push(i) === 8) break; return out; };
class Pairs extends D.Dataset<[number, number]> {
  readonly length = 3;
  getItem(i: number): [number, number] { return [i, -i]; }
}
Object.assign(surface, {
  'data.TensorDataset': s((...a) => new D.TensorDataset(...a).getBatch([0, 1]), () => [T.ones([3, 2]), T.zeros([3])]),
  'data.Subset': s((d, i) => new D.Subset(d, i).getBatch([0]), () => [tds(), [4, 0]]),
  'data.ConcatDataset': s((ds) => new D.ConcatDataset(ds).getBatch([0, -1]), () => [[tds(), tds()]]),
  'data.randomSplit': s((d, l, o) => D.randomSplit(d, l, o).map((sub) => sub.indices), () => [tds(), [0.6, 0.4], O({ generator: new T.Generator(1) })]),
  'data.SequentialSampler': s((d) => first(new D.SequentialSampler(d)), () => [tds()]),
  'data.RandomSampler': s((d, o) => first(new D.RandomSampler(d, o)), () => [tds(), O({ generator: new T.Generator(2) })]),
  'data.defaultCollate': s(D.defaultCollate, () => [[{ x: tx(), y: [1, true, 'a'] }, { x: tx(), y: [2, false, 'b'] }]]),
  'data.DataLoader': s((d, o) => epoch(new D.DataLoader(d, o)), () => [tds(), O({ batchSize: 2, shuffle: true, dropLast: false, generator: new T.Generator(3) })]),
  'data.DataLoader(sampler, collate)': s((d, o) => epoch(new D.DataLoader(d, o)), () => [dataItems(), O({ batchSize: 3, sampler: [3, 1, 2, 0], dropLast: true, collate: (items: unknown[]) => items.length })]),
  'TensorDataset#getItem': s((i) => tds().getItem(i), () => [-1]),
  'TensorDataset#getBatch': s((i) => tds().getBatch(i), () => [[0, 4, 4]]),
  'Subset#getItem': s((i) => new D.Subset(tds(), [1, 2]).getItem(i), () => [1]),
  'Subset#getBatch': s((i) => new D.Subset(dataItems(), [1, 2]).getBatch(i), () => [Int32Array.of(1, 0)]),
  'ConcatDataset#getItem': s((i) => new D.ConcatDataset([tds(), dataItems()]).getItem(i), () => [6]),
  'ConcatDataset#getBatch': s((i) => new D.ConcatDataset([tds(), tds()]).getBatch(i), () => [[9, 0]]),
  'Dataset#getBatch': s((i) => new Pairs().getBatch(i), () => [[2, -1]]),
});

// nn re-exports autograd's and tensor's creation and free functions (a model builder's one import): the same
// functions, so the same specs.
for (const [k, v] of Object.entries(nn)) {
  for (const [ns, mod] of [['autograd', A], ['tensor', T]] as const) {
    if ((mod as Record<string, unknown>)[k] === v && surface[`${ns}.${k}`] !== undefined) surface[`nn.${k}`] ??= surface[`${ns}.${k}`];
  }
}

export { surface };

/**
 * Exports that take no input from a user (error classes, type guards over internals) or are the kernel and
 * op-registration layer below the checked API, each with its reason. Everything else must have a spec.
 */
export const NOT_USER_INPUT: Record<string, string> = {
  'tensor.MinigradError': 'error class', 'tensor.ShapeError': 'error class', 'tensor.DTypeError': 'error class',
  'tensor.IndexError': 'error class', 'tensor.ArgumentError': 'error class', 'tensor.PlatformError': 'error class',
  'tensor.CaptureError': 'error class',
  'autograd.AnomalyError': 'error class', 'autograd.GradcheckError': 'error class', 'autograd.GradOwnershipError': 'error class',
  'nn.StateDictError': 'error class',
  'tensor.ArrayStorage': 'storage under Tensor, constructed by creation functions',
  'tensor.jsBackend': 'backend object', 'tensor.wasmBackend': 'backend object',
  'tensor.initWasmBackend': 'async, no arguments (covered by the backend tests)',
  'tensor.defaultGenerator': 'a Generator instance, not a function',
  'tensor.Tensor': 'the view constructor (storage, shape, strides, offset) under every op; users create tensors with tensor()/zeros()/...',
  'tensor.numelOf': 'shape arithmetic on shapes already checked, on the hot path of every op',
  'tensor.contiguousStrides': 'shape arithmetic on shapes already checked, on the hot path of every op',
  'tensor.broadcastShapes': 'shape arithmetic on shapes already checked, on the hot path of every binary op',
  'tensor.sameShape': 'shape comparison on shapes already checked, on the hot path of ops and backward',
  'tensor.erf': 'scalar math called per element by kernels (NaN in, NaN out, like Math.exp)',
  'tensor.erfc': 'scalar math called per element by kernels',
  'autograd.defineOp': 'op registration (library authors)',
  'autograd.applyOp': 'op dispatch below the checked ops', 'autograd.applyOpWithAux': 'op dispatch',
  'autograd.sampleVariants': 'op self-test over registered samples', 'autograd.variantFn': 'op self-test',
  'autograd.checkOpGradients': 'op self-test', 'autograd.checkOpSecondGradients': 'op self-test',
  'autograd.checkOpGradOwnership': 'op self-test',
  'Tensor#constructor': 'covered as Tensor', 'Variable#constructor': 'covered as Variable',
  'Module#constructor': 'covered as nn.Module', 'Module#forward': 'overridden by each layer; run through call',
  'Module#ownMembers': 'protected', 'Module#signature': 'protected', 'Variable#checkInPlace': 'private', 'Variable#peekGrad': '@internal (autograd grad-ownership.ts)', 'Variable#installGrad': '@internal (the engine stores a gradient it made)', 'Module#namedMembers': 'private', 'Module#describe': 'protected',
  'Optimizer#constructor': 'abstract; each optimizer is covered', 'Optimizer#validate': 'protected',
  'Optimizer#checkGroup': 'private', 'Optimizer#booleanOptions': 'protected', 'Optimizer#updateParam': 'protected',
  'Optimizer#updateGroup': 'private', 'Optimizer#stateOf': 'protected',
  'LRScheduler#constructor': 'abstract; each scheduler is covered', 'LRScheduler#chainedLr': 'protected',
  'LRScheduler#closedFormLr': 'protected', 'LRScheduler#groupLrs': 'protected',
  'AdaptiveAvgPool2d#sizeText': 'private', 'ConvTranspose2d#paddingFor': 'private (forward with outputSize covers it)',
  'BatchNorm1d#checkInput': 'protected', 'BatchNorm2d#checkInput': 'protected', 'BatchNorm1d#checkChannels': 'protected',
  'BatchNorm2d#checkChannels': 'protected', 'OneCycleLR#anneal': 'private', 'OneCycleLR#setMomentum': 'private',
  'ReduceLROnPlateau#isBetter': 'private', 'ReduceLROnPlateau#reduceLr': 'private', 'ReduceLROnPlateau#worst': 'private',
  'Sequential#entries': 'protected', 'Sequential#put': 'protected', 'Sequential#renumber': 'protected',
  'ModuleList#entries': 'protected', 'ModuleList#put': 'protected', 'ModuleList#renumber': 'protected',
  'optim.Optimizer': 'abstract base; each optimizer is covered', 'optim.LRScheduler': 'abstract base; each scheduler is covered',
  'data.Dataset': 'abstract base; each dataset and its getBatch are covered', 'DataLoader#fetch': 'private',
};
NOT_USER_INPUT['nn.Tensor'] = `re-exported from @minigrad/tensor: ${NOT_USER_INPUT['tensor.Tensor']}`;
NOT_USER_INPUT['nn.CaptureError'] = `re-exported from @minigrad/tensor: ${NOT_USER_INPUT['tensor.CaptureError']}`;

const namespaces: Record<string, object> = { tensor: T, autograd: A, nn, F: nn.F, init: nn.init, optim, data: D };
const classes: Record<string, object> = {
  Tensor: T.Tensor.prototype, Variable: A.Variable.prototype, Module: nn.Module.prototype,
  Optimizer: optim.Optimizer.prototype, LRScheduler: optim.LRScheduler.prototype,
};

/** Every public function, class and method, by the name its spec has. */
export function publicSurface(): string[] {
  const names = new Set<string>();
  for (const [ns, mod] of Object.entries(namespaces)) {
    for (const [k, v] of Object.entries(mod)) {
      if (typeof v === 'function' && !(ns === 'nn' && (k === 'F' || k === 'functional' || k === 'init'))) names.add(`${ns}.${k}`);
    }
  }
  const methodsOf = (cls: string, start: object, bases: readonly object[]) => {
    const stop = bases.filter((b) => Object.prototype.isPrototypeOf.call(b, start));
    const stopNames = Object.keys(classes).filter((b) => stop.includes(classes[b]));
    for (let proto: object | null = start; proto !== null && proto !== Object.prototype && proto !== Error.prototype && !stop.includes(proto); proto = Object.getPrototypeOf(proto)) {
      for (const k of Object.getOwnPropertyNames(proto)) {
        if (k === 'constructor') continue;
        const d = Object.getOwnPropertyDescriptor(proto, k)!;
        // A method of a base class (forward, extraRepr, step, ...) is covered by the base's spec.
        if (stop.some((b) => k in b) || stopNames.some((b) => NOT_USER_INPUT[`${b}#${k}`] !== undefined)) continue;
        if (typeof d.value === 'function') names.add(`${cls}#${k}`);
        if (d.set) names.add(`${cls}#${k}=`);
      }
    }
  };
  const bases = Object.values(classes);
  for (const [cls, proto] of Object.entries(classes)) methodsOf(cls, proto, []);
  // Every other exported class: its own methods and those of unexported classes between it and a base
  // (layers and losses are also covered by name as nn.X, their call as nn.X#call).
  for (const mod of Object.values(namespaces)) {
    for (const [k, v] of Object.entries(mod)) {
      if (typeof v === 'function' && v.prototype !== undefined && !bases.includes(v.prototype)) methodsOf(k, v.prototype, bases);
    }
  }
  names.add('Tensor.zeros');
  return [...names].sort();
}

/** Public names with neither a spec nor a reason in NOT_USER_INPUT. */
export function surfaceGaps(): string[] {
  return publicSurface().filter((n) => !surface[n] && !NOT_USER_INPUT[n]);
}
