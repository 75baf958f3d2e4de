// Tensor-level 2-D convolutions: validate, make operands contiguous, allocate through the backend and
// call the registered kernels. convTranspose2d and its gradients are the conv kernels with the roles of
// input and output swapped (a transposed conv is the input gradient of the conv with the same weight).
import { ArgumentError, DTypeError, fmtShape } from '../errors.js';
import type { FloatArray } from '../dtype.js';
import { getKernel } from '../kernels/registry.js';
import { Tensor, uninitializedTensor } from '../tensor.js';
import {
  type Conv2dOptions, type ConvTranspose2dOptions, type ConvPlan, expectShape, planConv2d, planConvTranspose2d,
} from './conv-geometry.js';
import { checkTensor } from './elementwise.js';
import { type Dispatched, type TensorDispatch, deferOp } from '../dispatch.js';
import { checkShape } from '../validate.js';

export type { Conv2dOptions, ConvTranspose2dOptions, Pair } from './conv-geometry.js';

/** The elements of t as a contiguous flat float array (a copy only when t is not contiguous). */
export function flatFloats(t: Tensor): FloatArray {
  const c = t.contiguous();
  const d = c.data as FloatArray;
  return c.offset === 0 && d.length === c.numel() ? d : d.subarray(c.offset, c.offset + c.numel());
}

/** Checks that every tensor argument is a float tensor of the first one's dtype. */
function checkFloats(op: string, args: [string, Tensor | null | undefined][]): void {
  checkTensor(op, args[0][1], args[0][0]);
  const dtype = args[0][1].dtype;
  for (const [name, t] of args) {
    if ((t === null || t === undefined) && name === 'bias') continue;
    checkTensor(op, t, name);
    if (t.dtype !== 'float32' && t.dtype !== 'float64') {
      throw new DTypeError(op, `${name} must be float32 or float64, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
    }
    if (t.dtype !== dtype) {
      throw new DTypeError(op, `${name} is ${t.dtype} but ${args[0][0]} is ${dtype} (shapes ${fmtShape(args[0][1]!.shape)} and ${fmtShape(t.shape)})`);
    }
  }
}

function checkBias(op: string, bias: Tensor | null | undefined, channels: number): void {
  if (bias !== null && bias !== undefined) expectShape(op, 'bias', bias.shape, [channels], () => `${channels} output channels`);
}


function forward(op: string, plan: ConvPlan, x: Tensor, w: Tensor, bias: Tensor | null | undefined): Tensor {
  const out = uninitializedTensor(plan.outputShape, x.dtype, op); // the kernel overwrites it
  const kernel = getKernel('conv2d');
  kernel(plan.geom, flatFloats(x), flatFloats(w), bias ? flatFloats(bias) : null, out.data as FloatArray);
  return out;
}

function inputGrad(plan: ConvPlan, gradOut: Tensor, w: Tensor): Tensor {
  const gradIn = Tensor.zeros(plan.inputShape, gradOut.dtype); // the js kernel adds into it (col2im)
  const kernel = getKernel('conv2dBackwardInput');
  kernel(plan.geom, flatFloats(gradOut), flatFloats(w), gradIn.data as FloatArray);
  return gradIn;
}

function weightGrad(plan: ConvPlan, gradOut: Tensor, x: Tensor, weightShape: readonly number[]): Tensor {
  const gradW = uninitializedTensor(weightShape, gradOut.dtype); // the kernel overwrites it
  const kernel = getKernel('conv2dBackwardWeight');
  kernel(plan.geom, flatFloats(gradOut), flatFloats(x), gradW.data as FloatArray);
  return gradW;
}

/** 2-D cross-correlation of x [N, C, H, W] (or [C, H, W]) with w [O, C/groups, kH, kW], plus bias [O]. */
export function conv2d(x: Tensor, w: Tensor, bias?: Tensor | null, opts?: Conv2dOptions): Tensor;
/** With a Variable operand: autograd's conv2d (a Variable on the tape). */
export function conv2d<V extends TensorDispatch>(x: Tensor | V, w: Tensor | V, bias?: Tensor | V | null, opts?: Conv2dOptions): Dispatched<V>;
export function conv2d(x: Tensor, w: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): unknown {
  const op = 'conv2d';
  if (!(x instanceof Tensor) || !(w instanceof Tensor) || !(bias == null || bias instanceof Tensor)) {
    const r = deferOp(op, [x, w, bias, opts]);
    if (r !== undefined) return r;
  }
  checkTensor(op, x, 'input');
  checkFloats(op, [['input', x], ['weight', w], ['bias', bias]]);
  const plan = planConv2d(op, x.shape, w.shape, opts);
  checkBias(op, bias, plan.geom.O);
  return forward(op, plan, x, w, bias);
}

/** Gradient of conv2d w.r.t. its input, given the gradient of its output. */
export function conv2dBackwardInput(gradOut: Tensor, w: Tensor, inputShape: readonly number[], opts: Conv2dOptions = {}): Tensor {
  const op = 'conv2dBackwardInput';
  checkTensor(op, gradOut, 'gradOut');
  checkFloats(op, [['gradOut', gradOut], ['weight', w]]);
  const plan = planConv2d(op, checkShape(op, 'inputShape', inputShape), w.shape, opts);
  expectShape(op, 'gradOut', gradOut.shape, plan.outputShape, () => `conv2d of input ${fmtShape(inputShape)} with weight ${fmtShape(w.shape)}`);
  return inputGrad(plan, gradOut, w);
}

/** Gradient of conv2d w.r.t. its weight (summed over the batch), given the gradient of its output. */
export function conv2dBackwardWeight(gradOut: Tensor, x: Tensor, weightShape: readonly number[], opts: Conv2dOptions = {}): Tensor {
  const op = 'conv2dBackwardWeight';
  checkTensor(op, gradOut, 'gradOut');
  checkFloats(op, [['gradOut', gradOut], ['input', x]]);
  const plan = planConv2d(op, x.shape, checkShape(op, 'weightShape', weightShape), opts);
  expectShape(op, 'gradOut', gradOut.shape, plan.outputShape, () => `conv2d of input ${fmtShape(x.shape)} with weight ${fmtShape(weightShape)}`);
  return weightGrad(plan, gradOut, x, weightShape);
}

/**
 * Both gradients of conv2d(x, w) given the gradient of its output: [w.r.t. the input, w.r.t. the weight (summed
 * over the batch)], the bits of conv2dBackwardInput and conv2dBackwardWeight, computed together (on several
 * threads, side by side: kernels/wasm/conv.ts).
 */
export function conv2dBackward(gradOut: Tensor, x: Tensor, w: Tensor, opts: Conv2dOptions = {}): [Tensor, Tensor] {
  const op = 'conv2dBackward';
  checkTensor(op, gradOut, 'gradOut');
  checkFloats(op, [['gradOut', gradOut], ['input', x], ['weight', w]]);
  const plan = planConv2d(op, x.shape, w.shape, opts);
  expectShape(op, 'gradOut', gradOut.shape, plan.outputShape, () => `conv2d of input ${fmtShape(x.shape)} with weight ${fmtShape(w.shape)}`);
  const gradIn = Tensor.zeros(plan.inputShape, gradOut.dtype); // the js kernel adds into it (col2im)
  const gradW = uninitializedTensor(w.shape, gradOut.dtype); // the kernel overwrites it
  getKernel('conv2dBackward')(plan.geom, flatFloats(gradOut), flatFloats(x), flatFloats(w), gradIn.data as FloatArray, gradW.data as FloatArray);
  return [gradIn, gradW];
}

/** Transposed 2-D convolution of x [N, Cin, H, W] (or [Cin, H, W]) with w [Cin, Cout/groups, kH, kW], plus bias [Cout]. */
export function convTranspose2d(x: Tensor, w: Tensor, bias?: Tensor | null, opts?: ConvTranspose2dOptions): Tensor;
/** With a Variable operand: autograd's convTranspose2d (a Variable on the tape). */
export function convTranspose2d<V extends TensorDispatch>(
  x: Tensor | V, w: Tensor | V, bias?: Tensor | V | null, opts?: ConvTranspose2dOptions,
): Dispatched<V>;
export function convTranspose2d(x: Tensor, w: Tensor, bias?: Tensor | null, opts: ConvTranspose2dOptions = {}): unknown {
  const op = 'convTranspose2d';
  if (!(x instanceof Tensor) || !(w instanceof Tensor) || !(bias == null || bias instanceof Tensor)) {
    const r = deferOp(op, [x, w, bias, opts]);
    if (r !== undefined) return r;
  }
  checkTensor(op, x, 'input');
  checkFloats(op, [['input', x], ['weight', w], ['bias', bias]]);
  const plan = planConvTranspose2d(op, x.shape, w.shape, opts);
  checkBias(op, bias, plan.geom.C);
  const out = inputGrad(plan, x, w);
  if (bias) {
    const { N, C, H, W } = plan.geom;
    getKernel('addChannelBias')(N, C, H * W, flatFloats(bias), out.data as FloatArray);
  }
  return out;
}

/** Gradient of convTranspose2d w.r.t. its input: the forward conv2d of gradOut with the same weight. */
export function convTranspose2dBackwardInput(
  gradOut: Tensor, w: Tensor, inputShape: readonly number[], opts: ConvTranspose2dOptions = {},
): Tensor {
  const op = 'convTranspose2dBackwardInput';
  checkTensor(op, gradOut, 'gradOut');
  checkFloats(op, [['gradOut', gradOut], ['weight', w]]);
  const plan = planConvTranspose2d(op, checkShape(op, 'inputShape', inputShape), w.shape, opts);
  expectShape(op, 'gradOut', gradOut.shape, plan.inputShape, () => `convTranspose2d of input ${fmtShape(inputShape)} with weight ${fmtShape(w.shape)}`);
  return forward(op, plan, gradOut, w, null);
}

/** Gradient of convTranspose2d w.r.t. its weight: the conv weight gradient with input and output swapped. */
export function convTranspose2dBackwardWeight(
  gradOut: Tensor, x: Tensor, weightShape: readonly number[], opts: ConvTranspose2dOptions = {},
): Tensor {
  const op = 'convTranspose2dBackwardWeight';
  checkTensor(op, gradOut, 'gradOut');
  checkFloats(op, [['gradOut', gradOut], ['input', x]]);
  const plan = planConvTranspose2d(op, x.shape, checkShape(op, 'weightShape', weightShape), opts);
  expectShape(op, 'gradOut', gradOut.shape, plan.inputShape, () => `convTranspose2d of input ${fmtShape(x.shape)} with weight ${fmtShape(weightShape)}`);
  return weightGrad(plan, x, gradOut, weightShape);
}
