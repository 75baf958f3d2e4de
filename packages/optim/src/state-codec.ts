// JSON-safe encoding of optimizer state tensors: dtype + shape + the raw little-endian bytes in base64, so a state
// dict survives JSON.stringify/parse bit for bit (NaN and infinities included) and stays compact on disk.
import { ArgumentError, describeValue, ShapeError, Tensor, type DType, fmtShape, keep } from '@minigrad/tensor';

/** A tensor in a JSON state dict: its dtype, shape and little-endian element bytes in base64. */
export interface EncodedTensor {
  /** The element type. */
  dtype: DType;
  /** The shape. */
  shape: number[];
  /** The contiguous elements' bytes, base64-encoded. */
  base64: string;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const CHUNK = 0x8000;

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function isEncodedTensor(value: unknown): value is EncodedTensor {
  return typeof value === 'object' && value !== null && typeof (value as EncodedTensor).base64 === 'string';
}

/** A snapshot of `t` (copied, so later in-place updates do not reach it). */
export function encodeTensor(t: Tensor): EncodedTensor {
  const flat = t.toTypedArray();
  return {
    dtype: t.dtype,
    shape: t.shape.slice(),
    base64: bytesToBase64(new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength)),
  };
}

/** A new contiguous tensor from an encoding; `op` and `what` name the caller and the entry in errors. */
export function decodeTensor(op: string, what: string, e: EncodedTensor): Tensor {
  if (!(e.dtype in BYTES)) throw new ArgumentError(op, `${what} has an unknown dtype ${describeValue(e.dtype)}`);
  if (!Array.isArray(e.shape) || !e.shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new ArgumentError(op, `${what} has an invalid shape ${JSON.stringify(e.shape)}`);
  }
  const t = keep(Tensor.zeros(e.shape, e.dtype)); // optimizer state, whatever tidy() scope loads it
  const bytes = base64ToBytes(e.base64);
  const target = new Uint8Array(t.data.buffer, t.data.byteOffset, t.numel() * BYTES[e.dtype]);
  if (bytes.length !== target.length) {
    throw new ShapeError(op, `${what} holds ${bytes.length} bytes, its shape ${fmtShape(e.shape)} needs ${target.length}`);
  }
  target.set(bytes);
  return t;
}
