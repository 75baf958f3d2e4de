// The conv kernels of the wasm backend: the JS kernels' scheme (im2col + gemm per sample and group, see
// kernels/js/conv.ts) with every step in wasm memory. Each call unfolds and multiplies there, its operands
// read in place when resident or else copied in once, and its one output copied out once when not resident
// (call.ts; the JS kernels around the wasm gemm alone would copy each sample's column matrix in and its
// product out). float64 goes to the JS kernels.
//
// On several threads (threads.ts) the forward and input-gradient convs give each thread a run of samples with
// its own column scratch; the weight gradient, a sum over the samples, gives each thread a block of columns
// (input channels) or rows (output channels) of the gradient instead, over all samples in order. How many
// samples, channels or rows each thread takes follows its measured speed (balance.ts). Every output element is
// computed by the same kernel calls in the same order as on one thread, so results do not depend on the thread
// count. conv2dBackward runs both gradients side by side instead, each whole on one thread. A geometry marked
// `winograd` (setConvAlgorithm) goes to conv-winograd.ts.
import {
  addChannelBias, type ConvGeometry, conv2dBackwardInput as jsBackwardInput, conv2dBackwardWeight as jsBackwardWeight,
  conv2dForward as jsForward, groupDims,
} from '../js/conv.js';
import type { GemmArray } from '../js/gemm.js';
import { FEW_ROWS, gemmStep, packedStep } from './gemm.js';
import { KernelCall, type OutputStart } from './call.js';
import { f32, isResident, wasm } from './instance.js';
import { spoilLaunchLog } from './launches.js';
import { splitBounds } from './balance.js';
import { Kernel, type Step, runInRuns, runOnThreads, threadsFor } from './threads.js';
import { winogradBackward, winogradForward } from './conv-winograd.js';

/** The im2col or col2im call of geometry g on `channels` channels between two byte addresses. */
function unfoldStep(op: typeof Kernel.im2col | typeof Kernel.col2im, g: ConvGeometry, channels: number, from: number, to: number): Step {
  return [op, from, channels, g.H, g.W, g.oH, g.oW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW, to];
}

function allFloat32(...arrays: GemmArray[]): boolean {
  return arrays.every((a) => a instanceof Float32Array);
}

/**
 * The operands of one conv call (byte addresses, placed): inputs a and b (their first aLen / bLen floats), the
 * column scratch, the output (its first outLen floats, starting as `outStart` says) and `extraLen` more floats
 * of scratch, on the shared instance when `threaded` (call.ts). Call finish() on the returned call after the
 * kernels ran. Null when the memory is at its maximum (instance.ts): the caller runs its JS kernel.
 */
function stage(
  a: Float32Array, aLen: number, b: Float32Array, bLen: number, colLen: number, out: Float32Array, outLen: number,
  outStart: OutputStart, threaded: boolean, extraLen = 0,
): [KernelCall, number[]] | null {
  const call = new KernelCall();
  const operands = [call.input(a, 0, aLen), call.input(b, 0, bLen), call.scratch(colLen), call.output(out, 0, outLen, outStart), call.scratch(extraLen)];
  return call.place(threaded) ? [call, operands.map((o) => o.at)] : null;
}


/**
 * Runs `steps(n, t)` for each sample n on T threads, thread t taking a run of samples in proportion to its
 * speed (runInRuns); with T = 1, runOnThreads may still split each large product by columns.
 */
function runBySamples(N: number, T: number, steps: (n: number, t: number) => Step[]): void {
  runInRuns(N, T, (n0, n1, t) => {
    const list: Step[] = [];
    for (let n = n0; n < n1; n++) list.push(...steps(n, t));
    return list;
  });
}

/** out (overwritten) = conv2d(x, w) + bias. All arrays contiguous, offset 0. */
export function conv2dForward(g: ConvGeometry, x: GemmArray, w: GemmArray, bias: GemmArray | null, out: GemmArray): void {
  if (!allFloat32(x, w, out)) return jsForward(g, x, w, bias, out);
  if (g.winograd) {
    const wasmBias = bias === null || bias instanceof Float32Array;
    if (!(g.N > 0 && wasmBias && winogradForward(g, x as Float32Array, w as Float32Array, bias as Float32Array | null, out as Float32Array))) jsForward(g, x, w, bias, out);
    return;
  }
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const outLen = g.N * g.O * L;
  const threads = threadsFor(g.N * g.O * L * kg, isResident(x as Float32Array));
  const T = Math.min(g.N, threads);
  // A float32 bias is added in wasm memory before the copy out (the same float32 sums as the js kernel's).
  const wasmBias = bias instanceof Float32Array;
  const call = new KernelCall();
  const operands = [
    call.input(x as Float32Array, 0, g.N * g.C * plane), call.input(w as Float32Array, 0, g.O * kg), call.scratch(direct ? 0 : kg * L * T),
    call.output(out as Float32Array, 0, outLen, 'unset'), call.input(wasmBias ? bias : (x as Float32Array), 0, wasmBias ? g.O : 0),
  ];
  if (!call.place(threads > 1)) return jsForward(g, x, w, bias, out);
  const [xAt, wAt, colAt, outAt, biasAt] = operands.map((o) => o.at);
  runBySamples(g.N, T, (n, t) => {
    const steps: Step[] = [];
    const col = colAt + t * kg * L * 4;
    for (let gi = 0; gi < g.groups; gi++) {
      const xg = xAt + (n * g.C + gi * cg) * plane * 4;
      if (!direct) steps.push(unfoldStep(Kernel.im2col, g, cg, xg, col));
      steps.push(gemmStep(og, L, kg, wAt + gi * og * kg * 4, kg, 1, direct ? xg : col, L, 1, outAt + (n * g.O + gi * og) * L * 4, L, 0, t));
    }
    return steps;
  });
  if (wasmBias) wasm().addChannelBias(g.N, g.O, L, biasAt, outAt);
  call.finish();
  if (bias !== null && !wasmBias) {
    spoilLaunchLog(); // the bias add may take the JS kernel
    addChannelBias(g.N, g.O, L, bias, out);
  }
}

/** gradIn (overwritten) = gradient of conv2d w.r.t. its input. */
export function conv2dBackwardInput(g: ConvGeometry, gradOut: GemmArray, w: GemmArray, gradIn: GemmArray): void {
  if (!allFloat32(gradOut, w, gradIn)) return jsBackwardInput(g, gradOut, w, gradIn);
  if (g.winograd) {
    if (!(g.N > 0 && winogradBackward(g, gradOut as Float32Array, null, w as Float32Array, gradIn as Float32Array, null))) jsBackwardInput(g, gradOut, w, gradIn);
    return;
  }
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const inLen = g.N * g.C * plane;
  const threads = threadsFor(g.N * g.O * L * kg, isResident(gradOut as Float32Array));
  const T = Math.min(g.N, threads);
  const staged = stage(
    gradOut as Float32Array, g.N * g.O * L, w as Float32Array, g.O * kg, direct ? 0 : kg * L * T, gradIn as Float32Array, inLen, 'zero', threads > 1,
  );
  if (staged === null) return jsBackwardInput(g, gradOut, w, gradIn);
  const [call, [goAt, wAt, colAt, inAt]] = staged;
  runBySamples(g.N, T, (n, t) => inputGradSteps(g, n, t, colAt + t * kg * L * 4, goAt, wAt, inAt));
  call.finish();
}

/** The input gradient's calls for sample n on thread t, with column scratch at `col` (byte addresses). */
function inputGradSteps(g: ConvGeometry, n: number, t: number, col: number, goAt: number, wAt: number, inAt: number): Step[] {
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const steps: Step[] = [];
  for (let gi = 0; gi < g.groups; gi++) {
    const ing = inAt + (n * g.C + gi * cg) * plane * 4;
    // col [kg, L] = w_g^T [kg, og] * gradOut_g [og, L]; w_g^T is read through swapped strides.
    steps.push(gemmStep(kg, L, og, wAt + gi * og * kg * 4, 1, kg, goAt + (n * g.O + gi * og) * L * 4, L, 1, direct ? ing : col, L, 0, t));
    if (!direct) steps.push(unfoldStep(Kernel.col2im, g, cg, col, ing));
  }
  return steps;
}

/** gradW (overwritten) = gradient of conv2d w.r.t. its weight, summed over the batch. */
export function conv2dBackwardWeight(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, gradW: GemmArray): void {
  if (!allFloat32(gradOut, x, gradW)) return jsBackwardWeight(g, gradOut, x, gradW);
  if (g.winograd) {
    if (!(g.N > 0 && winogradBackward(g, gradOut as Float32Array, x as Float32Array, null, null, gradW as Float32Array))) jsBackwardWeight(g, gradOut, x, gradW);
    return;
  }
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const wLen = g.O * kg;
  // Threads take blocks of input channels (columns of the gradient: each unfolds only its channels), or, with
  // one channel, blocks of output channels (rows, on multiples of 4: whole micro-kernel tiles; each unfolds
  // every channel). Few rows take a streaming kernel, whose order a row split would
  // change: those stay whole.
  const threads = threadsFor(g.N * g.O * L * kg, isResident(gradOut as Float32Array) && isResident(x as Float32Array));
  const byRows = cg < 2 && og > FEW_ROWS;
  const T = byRows ? Math.min(threads, og >> 2) : Math.min(threads, cg);
  if (T === 1 && transposedWeightGrad(g, gradOut as Float32Array, x as Float32Array, gradW as Float32Array)) return;
  const rowBounds = splitBounds(og, T, 4);
  const channelBounds = splitBounds(cg, T);
  const staged = stage(
    // The first sample's products overwrite every element (acc 0 below): only an empty batch needs zeros.
    gradOut as Float32Array, g.N * g.O * L, x as Float32Array, g.N * g.C * plane, direct ? 0 : kg * L * T, gradW as Float32Array, wLen,
    g.N === 0 ? 'zero' : 'unset', threads > 1,
  );
  if (staged === null) return jsBackwardWeight(g, gradOut, x, gradW);
  const [call, [goAt, xAt, colAt, gwAt]] = staged;
  const lists: Step[][] = [];
  for (let t = 0; t < T; t++) {
    const [c0, c1] = byRows ? [0, cg] : [channelBounds[t], channelBounds[t + 1]];
    const [o0, o1] = byRows ? [rowBounds[t], rowBounds[t + 1]] : [0, og];
    // A thread whose share rounds to nothing gets no steps (a slow one, see balance.ts).
    const empty = c1 === c0 || o1 === o0;
    lists.push(empty ? [] : weightGradSteps(g, c0, c1, o0, o1, byRows && T > 1, t, colAt + t * kg * L * 4, goAt, xAt, gwAt));
  }
  runOnThreads(lists, byRows ? rowBounds : channelBounds);
  call.finish();
}

/**
 * The weight gradient on one thread as its transpose, gradW^T [kg, og] = col [kg, L] * gradOut^T [L, og], for a
 * gradient with fewer columns than one micro-kernel tile (kg < 16: a conv on one input channel, 9 columns) and
 * a tile's worth of rows: the product then fills whole tiles instead of 9 of every 16 columns (the bench's first
 * conv, 1 -> 32 channels: its weight gradient ran 14.5-15 -> 23.3-23.5 GFLOP/s at batch 2 and 32, operands
 * copied in). Each element is the same products (a*b = b*a) summed in the same order, so the bits are those
 * of the direct product (wasm-threads.test.ts compares it with the row split of two threads). False when it does not apply (or the memory
 * is at its maximum): the caller goes on.
 */
function transposedWeightGrad(g: ConvGeometry, gradOut: Float32Array, x: Float32Array, gradW: Float32Array): boolean {
  const { og, kg, plane, L, direct } = groupDims(g);
  // kg > FEW_ROWS: the transposed product takes the packed kernel, as the direct one does (og > FEW_ROWS).
  if (direct || g.groups !== 1 || g.N === 0 || kg <= FEW_ROWS || kg >= 16 || og < 16) return false;
  const staged = stage(gradOut, g.N * g.O * L, x, g.N * g.C * plane, kg * L, gradW, og * kg, 'unset', false, kg * og);
  if (staged === null) return false;
  const [call, [goAt, xAt, colAt, gwAt, tAt]] = staged;
  const steps: Step[] = [];
  for (let n = 0; n < g.N; n++) {
    steps.push(unfoldStep(Kernel.im2col, g, g.C, xAt + n * g.C * plane * 4, colAt));
    // gradW^T [kg, og] (+)= col [kg, L] * gradOut_n^T [L, og]; gradOut_n^T is read through swapped strides.
    steps.push(gemmStep(kg, og, L, colAt, L, 1, goAt + n * g.O * L * 4, 1, L, tAt, og, n > 0 ? 1 : 0, 0));
  }
  runOnThreads([steps]);
  const view = f32();
  const [t0, w0] = [tAt >> 2, gwAt >> 2];
  for (let o = 0; o < og; o++) for (let k = 0; k < kg; k++) view[w0 + o * kg + k] = view[t0 + k * og + o];
  call.finish();
  return true;
}

/**
 * The weight gradient's calls for the block of input channels [c0, c1) and output channels [o0, o1) of every
 * group, over all samples in order, on thread t with column scratch at `col`; `rowBlock`: the block is a split
 * by rows, which always takes the packed kernel (a streaming one for few rows would sum in another order).
 */
function weightGradSteps(
  g: ConvGeometry, c0: number, c1: number, o0: number, o1: number, rowBlock: boolean, t: number, col: number,
  goAt: number, xAt: number, gwAt: number,
): Step[] {
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const kHW = g.kH * g.kW;
  const steps: Step[] = [];
  for (let n = 0; n < g.N; n++) {
    for (let gi = 0; gi < g.groups; gi++) {
      const xg = xAt + (n * g.C + gi * cg + c0) * plane * 4;
      if (!direct) steps.push(unfoldStep(Kernel.im2col, g, c1 - c0, xg, col));
      // gradW_g [og, kg] (+)= gradOut_g [og, L] * col^T [L, kg]; col^T is read through swapped strides.
      const a = goAt + (n * g.O + gi * og + o0) * L * 4;
      const b = direct ? xg : col;
      const c = gwAt + ((gi * og + o0) * kg + c0 * kHW) * 4;
      const acc = n > 0 ? 1 : 0;
      steps.push(rowBlock
        ? packedStep(o1 - o0, kg, L, a, L, 1, b, 1, L, c, kg, acc, t)
        : gemmStep(og, (c1 - c0) * kHW, L, a, L, 1, b, 1, L, c, kg, acc, t));
    }
  }
  return steps;
}

/**
 * Both gradients of conv2d, for a backward that needs both: gradIn (overwritten) w.r.t. the input and gradW
 * (overwritten, summed over the batch) w.r.t. the weight. When each would be split across threads anyway, the
 * calling thread computes the input gradient while a worker computes the weight gradient: one hand-off to the
 * workers instead of one per gradient, which at batch 2 costs about as much as half a gradient (waking a
 * worker, waiting for it). Each gradient is computed by the same calls in the same order as alone, so the
 * bits are those of conv2dBackwardInput and conv2dBackwardWeight. Otherwise it calls those two in turn.
 */
export function conv2dBackward(g: ConvGeometry, gradOut: GemmArray, x: GemmArray, w: GemmArray, gradIn: GemmArray, gradW: GemmArray): void {
  if (g.winograd) {
    // One call shares the output gradient's transform and the threads between the two gradients; failing
    // that, the two kernels apart, each of which keeps to Winograd (in js if it must).
    const together = g.N > 0 && allFloat32(gradOut, x, w, gradIn, gradW) &&
      winogradBackward(g, gradOut as Float32Array, x as Float32Array, w as Float32Array, gradIn as Float32Array, gradW as Float32Array);
    if (!together) {
      if (!allFloat32(gradOut, x, w, gradIn, gradW)) spoilLaunchLog();
      conv2dBackwardInput(g, gradOut, w, gradIn);
      conv2dBackwardWeight(g, gradOut, x, gradW);
    }
    return;
  }
  const { cg, og, kg, plane, L, direct } = groupDims(g);
  const resident = isResident(gradOut as Float32Array) && isResident(x as Float32Array);
  const overlap = allFloat32(gradOut, x, w, gradIn, gradW) && g.N > 0 && threadsFor(g.N * g.O * L * kg, resident) > 1;
  const call = new KernelCall();
  const operands = overlap
    ? [
        call.input(gradOut as Float32Array, 0, g.N * g.O * L), call.input(w as Float32Array, 0, g.O * kg),
        call.input(x as Float32Array, 0, g.N * g.C * plane), call.scratch(direct ? 0 : 2 * kg * L),
        call.output(gradIn as Float32Array, 0, g.N * g.C * plane, 'zero'), call.output(gradW as Float32Array, 0, g.O * kg, 'unset'),
      ]
    : [];
  if (!overlap || !call.place(true)) {
    // Two kernel calls, either of which may take its JS kernel after the other launched in wasm.
    if (!allFloat32(gradOut, x, w, gradIn, gradW)) spoilLaunchLog();
    conv2dBackwardInput(g, gradOut, w, gradIn);
    conv2dBackwardWeight(g, gradOut, x, gradW);
    return;
  }
  const [goAt, wAt, xAt, colAt, inAt, gwAt] = operands.map((o) => o.at);
  const input: Step[] = [];
  for (let n = 0; n < g.N; n++) input.push(...inputGradSteps(g, n, 0, colAt, goAt, wAt, inAt));
  runOnThreads([input, weightGradSteps(g, 0, cg, 0, og, false, 1, colAt + kg * L * 4, goAt, xAt, gwAt)]);
  call.finish();
}
