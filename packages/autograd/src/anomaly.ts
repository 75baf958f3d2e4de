// Anomaly checks (only run in detectAnomaly mode): the first NaN/Inf in a forward output or a backward
// gradient throws, naming the op, its input shapes and the stack where the op was created.
import { MinigradError, fmtShape } from '@minigrad/tensor';
import type { Tensor } from '@minigrad/tensor';
import type { Node } from './tape-node.js';
import type { Variable } from './variable.js';

function firstNonFinite(t: Tensor): number {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return -1;
  const values = t.toTypedArray();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return i;
  }
  return -1;
}

function shapesText(shapes: readonly (readonly number[])[]): string {
  return shapes.map(fmtShape).join(', ');
}

/** Thrown in anomaly mode when a forward output or backward gradient holds NaN or Inf. */
export class AnomalyError extends MinigradError {
  /** The class name, kept through minification (what printing and error messages use). */
  static override readonly typeName: string = 'AnomalyError';
}

export function checkForwardAnomaly(opName: string, xs: Tensor[], out: Tensor): void {
  const at = firstNonFinite(out);
  if (at < 0) return;
  const stack = new Error().stack ?? '';
  throw new AnomalyError(
    'detectAnomaly',
    `forward of '${opName}' (inputs ${shapesText(xs.map((x) => x.shape))}) produced ` +
      `${out.toTypedArray()[at]} at flat index ${at} of its ${fmtShape(out.shape)} output\n${stack}`,
  );
}

export function checkBackwardAnomaly(node: Node, grads: (Variable | null)[]): void {
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (g === null || g === undefined) continue;
    const at = firstNonFinite(g.data);
    if (at < 0) continue;
    throw new AnomalyError(
      'detectAnomaly',
      `backward of '${node.op.name}' (inputs ${shapesText(node.shapes)}) returned ` +
        `${g.data.toTypedArray()[at]} in the gradient of input ${i} at flat index ${at}.\n` +
        `The op was created at:\n${node.stack ?? '(stack not captured: the op was created outside detectAnomaly)'}`,
    );
  }
}
