// The safetensors format (browser-safe: bytes in, bytes out), so state dicts move to and from PyTorch:
//   8 bytes   u64 little-endian N = length of the header
//   N bytes   JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { string: string } }
//   rest      raw little-endian tensor data; offsets are relative to the end of the header
import { ArgumentError, DTypeError, tensor, fmtShape } from '@minigrad/tensor';
import type { DType, Tensor } from '@minigrad/tensor';
import type { StateDict } from './state-dict.js';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** What each minigrad dtype is written as. */
const WRITE_DTYPE: Record<DType, { code: string; bytes: number }> = {
  float32: { code: 'F32', bytes: 4 },
  float64: { code: 'F64', bytes: 8 },
  int32: { code: 'I32', bytes: 4 },
  bool: { code: 'BOOL', bytes: 1 },
};

/** What each safetensors dtype is read as (integers narrower or wider than 32 bits become int32). */
const READ_DTYPE: Record<string, { dtype: DType; bytes: number }> = {
  F64: { dtype: 'float64', bytes: 8 },
  F32: { dtype: 'float32', bytes: 4 },
  F16: { dtype: 'float32', bytes: 2 },
  BF16: { dtype: 'float32', bytes: 2 },
  I64: { dtype: 'int32', bytes: 8 },
  I32: { dtype: 'int32', bytes: 4 },
  I16: { dtype: 'int32', bytes: 2 },
  I8: { dtype: 'int32', bytes: 1 },
  U8: { dtype: 'int32', bytes: 1 },
  BOOL: { dtype: 'bool', bytes: 1 },
};

const OP_SAVE = 'saveSafetensors';
const OP_LOAD = 'loadSafetensors';

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Encodes a state dict (and optional string metadata) as a safetensors file. */
export function saveSafetensors(sd: StateDict, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ArgumentError(OP_SAVE, `metadata value for '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const entries = Object.entries(sd);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new ArgumentError(OP_SAVE, "'__metadata__' is reserved and cannot name a tensor");
    const w = WRITE_DTYPE[t.dtype];
    if (w === undefined) throw new DTypeError(OP_SAVE, `tensor '${name}' has unsupported dtype ${t.dtype}`);
    const size = numelOf(t.shape) * w.bytes;
    header[name] = { dtype: w.code, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so that the data starts 8-byte aligned (as the reference implementation does).
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const base = 8 + json.length;
  for (const [name, t] of entries) {
    const begin = base + (header[name] as HeaderEntry).data_offsets[0];
    writeData(view, begin, t);
  }
  return out;
}

function writeData(view: DataView, begin: number, t: Tensor): void {
  const data = t.contiguous().toTypedArray();
  const n = data.length;
  switch (t.dtype) {
    case 'float32':
      for (let i = 0; i < n; i++) view.setFloat32(begin + 4 * i, data[i], true);
      break;
    case 'float64':
      for (let i = 0; i < n; i++) view.setFloat64(begin + 8 * i, data[i], true);
      break;
    case 'int32':
      for (let i = 0; i < n; i++) view.setInt32(begin + 4 * i, data[i], true);
      break;
    case 'bool':
      for (let i = 0; i < n; i++) view.setUint8(begin + i, data[i] ? 1 : 0);
      break;
  }
}

interface Parsed {
  header: Record<string, unknown>;
  dataStart: number;
}

function parseHeader(bytes: Uint8Array): Parsed {
  if (bytes.length < 8) throw new ArgumentError(OP_LOAD, `${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    throw new ArgumentError(OP_LOAD, `header length ${n} runs past the end of the ${bytes.length}-byte file`);
  }
  const headerLen = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new ArgumentError(OP_LOAD, `the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ArgumentError(OP_LOAD, 'the header must be a JSON object');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLen };
}

/** The `__metadata__` strings of a safetensors file ({} when it has none). */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  const meta = parseHeader(bytes).header.__metadata__;
  return meta && typeof meta === 'object' ? { ...(meta as Record<string, string>) } : {};
}

/** Decodes a safetensors file into a state dict (new tensors, in the file's header order). */
export function loadSafetensors(bytes: Uint8Array): StateDict {
  const { header, dataStart } = parseHeader(bytes);
  const dataLen = bytes.length - dataStart;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sd: StateDict = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as Partial<HeaderEntry>;
    const r = typeof e.dtype === 'string' ? READ_DTYPE[e.dtype] : undefined;
    if (r === undefined) throw new DTypeError(OP_LOAD, `tensor '${name}' has unsupported dtype ${String(e.dtype)}`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ArgumentError(OP_LOAD, `tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    }
    const off = e.data_offsets;
    const numel = numelOf(shape);
    if (!Array.isArray(off) || off.length !== 2 || !(off[0] >= 0 && off[1] <= dataLen && off[1] - off[0] === numel * r.bytes)) {
      throw new ArgumentError(
        OP_LOAD,
        `tensor '${name}' (${e.dtype} ${fmtShape(shape)}) has data_offsets ${JSON.stringify(off)} that do not fit ` +
          `${numel * r.bytes} bytes inside the ${dataLen}-byte data section`,
      );
    }
    const values = readData(view, dataStart + off[0], numel, e.dtype as string, name);
    sd[name] = tensor(values, { dtype: r.dtype, shape });
  }
  return sd;
}

// One loop per dtype, each calling its DataView getter directly (a table of getters would cost a call per element).
function readData(view: DataView, begin: number, n: number, code: string, name: string): Float32Array | Float64Array | Int32Array | Uint8Array {
  switch (code) {
    case 'F64': {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getFloat64(begin + 8 * i, true);
      return a;
    }
    case 'F32': {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getFloat32(begin + 4 * i, true);
      return a;
    }
    case 'F16': {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = halfToFloat(view.getUint16(begin + 2 * i, true));
      return a;
    }
    case 'BF16': {
      const a = new Float32Array(n);
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        scratch.setUint32(0, view.getUint16(begin + 2 * i, true) << 16);
        a[i] = scratch.getFloat32(0);
      }
      return a;
    }
    case 'I64': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(begin + 8 * i, true);
        if (v > 2147483647n || v < -2147483648n) {
          throw new DTypeError(OP_LOAD, `tensor '${name}' holds the I64 value ${v}, outside the int32 range`);
        }
        a[i] = Number(v);
      }
      return a;
    }
    case 'I32': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getInt32(begin + 4 * i, true);
      return a;
    }
    case 'I16': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getInt16(begin + 2 * i, true);
      return a;
    }
    case 'I8': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getInt8(begin + i);
      return a;
    }
    case 'U8': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getUint8(begin + i);
      return a;
    }
    default: {
      // BOOL: any nonzero byte is true
      const a = new Uint8Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getUint8(begin + i) !== 0 ? 1 : 0;
      return a;
    }
  }
}

/** IEEE 754 half precision bits to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
