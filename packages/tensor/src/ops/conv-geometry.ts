// Option parsing and shape validation shared by conv2d, convTranspose2d and their gradient kernels:
// every public conv function turns (input shape, weight shape, options) into one forward-conv geometry.
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { ConvGeometry } from '../kernels/js/conv.js';
import { hasWinogradForm } from '../kernels/js/conv-winograd.js';
import { getConvAlgorithm } from '../conv-algorithm.js';
import { checkOptions, checkPair, checkPositiveInt } from '../validate.js';

/** A size for both spatial dims (one number) or for height and width ([h, w]). */
export type Pair = number | readonly [number, number];

/** Options of `conv2d`; PyTorch's defaults. */
export interface Conv2dOptions {
  /** Step of the window (default 1). */
  stride?: Pair;
  /** A number, [h, w], 'valid' (no padding) or 'same' (output size = input size; stride 1 only). */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Split input and output channels into this many independent groups (default 1). */
  groups?: number;
}

/** Options of `convTranspose2d`; PyTorch's defaults. */
export interface ConvTranspose2dOptions {
  /** Step of the matching conv's window (default 1). */
  stride?: Pair;
  /** The matching conv's padding, removed from the output (default 0). */
  padding?: Pair;
  /** Extra rows/columns added at the bottom/right of the output (smaller than stride or dilation). */
  outputPadding?: Pair;
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Independent channel groups (default 1). */
  groups?: number;
}

/** A conv geometry plus the shape of the conv input/output as the caller sees them (3-D when unbatched). */
export interface ConvPlan {
  geom: ConvGeometry;
  /** Shape of the forward conv's input (x of conv2d, the output of convTranspose2d). */
  inputShape: number[];
  /** Shape of the forward conv's output (conv2d's result, the input of convTranspose2d). */
  outputShape: number[];
}


const CONV_OPTIONS = ['stride', 'padding', 'dilation', 'groups'] as const;
const CONV_TRANSPOSE_OPTIONS = ['stride', 'padding', 'outputPadding', 'dilation', 'groups'] as const;

/** Checks a conv input shape: [N, C, H, W] or unbatched [C, H, W]. Returns it as 4-D. */
function batchedShape(op: string, arg: string, shape: readonly number[]): [number, number, number, number] {
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ShapeError(op, `${arg} must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape ${fmtShape(shape)}`);
  }
  const s = shape.length === 3 ? [1, ...shape] : [...shape];
  if (s[1] <= 0 || s[2] <= 0 || s[3] <= 0) {
    throw new ShapeError(op, `${arg} needs non-zero channels, height and width, got shape ${fmtShape(shape)}`);
  }
  return s as [number, number, number, number];
}

function checkWeightShape(op: string, weightShape: readonly number[]): void {
  if (weightShape.length !== 4) {
    throw new ShapeError(op, `weight must be 4-D, got shape ${fmtShape(weightShape)}`);
  }
}

/** g, marked for Winograd when setConvAlgorithm('winograd') is on and g has that form. */
function withAlgorithm(g: ConvGeometry): ConvGeometry {
  if (getConvAlgorithm() === 'winograd' && hasWinogradForm(g)) g.winograd = true;
  return g;
}

/** Plans conv2d(x of inputShape, w of weightShape, opts). */
export function planConv2d(op: string, inputShape: readonly number[], weightShape: readonly number[], opts: Conv2dOptions): ConvPlan {
  const [N, C, H, W] = batchedShape(op, 'input', inputShape);
  checkWeightShape(op, weightShape);
  const [O, cg, kH, kW] = weightShape;
  checkOptions(op, opts, CONV_OPTIONS);
  const groups = checkPositiveInt(op, 'groups', opts.groups ?? 1);
  const [strideH, strideW] = checkPair(op, 'stride', opts.stride ?? 1, 1);
  const [dilationH, dilationW] = checkPair(op, 'dilation', opts.dilation ?? 1, 1);
  if (O % groups !== 0) {
    throw new ShapeError(op, `${O} output channels are not divisible by ${groups} groups (weight ${fmtShape(weightShape)})`);
  }
  if (C !== cg * groups) {
    const per = groups > 1 ? ` (${cg} per group x ${groups} groups)` : '';
    throw new ShapeError(op, `input has ${C} channels but weight expects ${cg * groups}${per} (input ${fmtShape(inputShape)}, weight ${fmtShape(weightShape)})`);
  }
  let padTop: number, padLeft: number, totalH: number, totalW: number;
  const padding = opts.padding ?? 0;
  if (padding === 'same') {
    if (strideH !== 1 || strideW !== 1) {
      throw new ArgumentError(op, `padding='same' needs stride 1, got stride [${strideH},${strideW}]`);
    }
    // Like PyTorch: the total padding d*(k-1) is split with the smaller half on top/left.
    totalH = dilationH * (kH - 1);
    totalW = dilationW * (kW - 1);
    padTop = Math.floor(totalH / 2);
    padLeft = Math.floor(totalW / 2);
  } else if (padding === 'valid') {
    padTop = padLeft = totalH = totalW = 0;
  } else if (typeof padding === 'string') {
    throw new ArgumentError(op, `padding must be a number, a pair, 'same' or 'valid', got '${padding}'`);
  } else {
    [padTop, padLeft] = checkPair(op, 'padding', padding, 0);
    totalH = 2 * padTop;
    totalW = 2 * padLeft;
  }
  const oH = Math.floor((H + totalH - dilationH * (kH - 1) - 1) / strideH) + 1;
  const oW = Math.floor((W + totalW - dilationW * (kW - 1) - 1) / strideW) + 1;
  if (oH <= 0 || oW <= 0 || kH <= 0 || kW <= 0) {
    throw new ShapeError(op, `input ${fmtShape(inputShape)} padded to ${H + totalH}x${W + totalW} is smaller than the dilated kernel ` +
      `${dilationH * (kH - 1) + 1}x${dilationW * (kW - 1) + 1} (weight ${fmtShape(weightShape)}): the output would be empty`);
  }
  const geom = withAlgorithm({ N, C, H, W, O, oH, oW, kH, kW, strideH, strideW, padTop, padLeft, dilationH, dilationW, groups });
  const outputShape = inputShape.length === 3 ? [O, oH, oW] : [N, O, oH, oW];
  return { geom, inputShape: [...inputShape], outputShape };
}

/**
 * Plans convTranspose2d(x of inputShape, w of weightShape [Cin, Cout/groups, kH, kW], opts) as the conv whose
 * input gradient it is: that conv maps the transposed output [N, Cout, Ho, Wo] to x [N, Cin, H, W].
 */
export function planConvTranspose2d(
  op: string, inputShape: readonly number[], weightShape: readonly number[], opts: ConvTranspose2dOptions,
): ConvPlan {
  const [N, Cin, H, W] = batchedShape(op, 'input', inputShape);
  checkWeightShape(op, weightShape);
  const [wIn, coutG, kH, kW] = weightShape;
  checkOptions(op, opts, CONV_TRANSPOSE_OPTIONS);
  const groups = checkPositiveInt(op, 'groups', opts.groups ?? 1);
  const [strideH, strideW] = checkPair(op, 'stride', opts.stride ?? 1, 1);
  const [padH, padW] = checkPair(op, 'padding', opts.padding ?? 0, 0);
  const [opH, opW] = checkPair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
  const [dilationH, dilationW] = checkPair(op, 'dilation', opts.dilation ?? 1, 1);
  if (wIn % groups !== 0) {
    throw new ShapeError(op, `weight's ${wIn} input channels are not divisible by ${groups} groups (weight ${fmtShape(weightShape)})`);
  }
  if (Cin !== wIn) {
    throw new ShapeError(op, `input has ${Cin} channels but weight expects ${wIn} (input ${fmtShape(inputShape)}, weight ${fmtShape(weightShape)})`);
  }
  if ((opH >= strideH && opH >= dilationH) || (opW >= strideW && opW >= dilationW)) {
    throw new ArgumentError(op, `outputPadding [${opH},${opW}] must be smaller than stride [${strideH},${strideW}] or dilation [${dilationH},${dilationW}]`);
  }
  const Cout = coutG * groups;
  const oH = (H - 1) * strideH - 2 * padH + dilationH * (kH - 1) + opH + 1;
  const oW = (W - 1) * strideW - 2 * padW + dilationW * (kW - 1) + opW + 1;
  if (oH <= 0 || oW <= 0 || H <= 0 || W <= 0 || kH <= 0 || kW <= 0) {
    throw new ShapeError(op, `input ${fmtShape(inputShape)} with weight ${fmtShape(weightShape)}, stride [${strideH},${strideW}] and padding ` +
      `[${padH},${padW}] gives an empty output (${oH}x${oW})`);
  }
  const geom = withAlgorithm({
    N, C: Cout, H: oH, W: oW, O: Cin, oH: H, oW: W, kH, kW, strideH, strideW,
    padTop: padH, padLeft: padW, dilationH, dilationW, groups,
  });
  const outputShape = inputShape.length === 3 ? [Cout, oH, oW] : [N, Cout, oH, oW];
  // Named from the conv's point of view: its input is the transposed output.
  return { geom, inputShape: outputShape, outputShape: [...inputShape] };
}

/**
 * Throws unless `actual` equals `expected` (a tensor the caller passed vs the shape the plan needs). `why` may
 * be a function, called only when the check fails: the kernels' hot path then formats no shapes.
 */
export function expectShape(
  op: string, arg: string, actual: readonly number[], expected: readonly number[], why: string | (() => string),
): void {
  if (actual.length !== expected.length || actual.some((s, i) => s !== expected[i])) {
    throw new ShapeError(op, `${arg} has shape ${fmtShape(actual)} but ${typeof why === 'string' ? why : why()} needs ${fmtShape(expected)}`);
  }
}
