// The safetensors format (browser-safe: bytes in, bytes out), so state dicts move to and from PyTorch:
//   8 bytes   u64 little-endian N = length of the header
//   N bytes   JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { string: string } }
//   rest      raw little-endian tensor data; offsets are relative to the end of the header
import { ArgumentError, DTypeError, MAX_NUMEL, Tensor, describeValue, tensor, fmtShape } from '@minigrad/tensor';
import type { DType } from '@minigrad/tensor';
import { Variable } from '@minigrad/autograd';
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
const OP_META = 'safetensorsMetadata';

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Encodes a state dict (and optional string metadata) as a safetensors file. */
export function saveSafetensors(sd: StateDict, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (metadata !== undefined) header.__metadata__ = metadataOf(OP_SAVE, { __metadata__: metadata });
  if (sd === null || typeof sd !== 'object' || Array.isArray(sd) || sd instanceof Tensor) {
    throw new ArgumentError(OP_SAVE, `expects a state dict (an object of tensors), got ${describeValue(sd)}`);
  }
  const entries = Object.entries(sd).map(([name, v]): [string, Tensor] => {
    const t = v instanceof Variable ? v.data : v;
    if (!(t instanceof Tensor)) throw new ArgumentError(OP_SAVE, `entry '${name}' must be a Tensor, got ${describeValue(v)}`);
    return [name, t];
  });
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

function parseHeader(op: string, bytes: unknown): Parsed {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(op, `expects the file's bytes as a Uint8Array, got ${describeValue(bytes)}`);
  if (bytes.length < 8) throw new ArgumentError(op, `${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    throw new ArgumentError(op, `header length ${n} runs past the end of the ${bytes.length}-byte file`);
  }
  const headerLen = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new ArgumentError(op, `the header is not valid UTF-8 JSON (${(e as Error).message})`, { cause: e });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ArgumentError(op, 'the header must be a JSON object');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLen };
}

/** The `__metadata__` strings of a safetensors file ({} when it has none). */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  return metadataOf(OP_META, parseHeader(OP_META, bytes).header);
}

/** The metadata entry, checked: an object of strings (a null-prototype copy). */
function metadataOf(op: string, header: Record<string, unknown>): Record<string, string> {
  const meta = header.__metadata__;
  const out: Record<string, string> = Object.create(null);
  if (meta === undefined) return out;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw new ArgumentError(op, `__metadata__ must be an object of strings, got ${describeValue(meta)}`);
  }
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== 'string') throw new ArgumentError(op, `__metadata__ value for '${k}' must be a string, got ${describeValue(v)}`);
    out[k] = v;
  }
  return out;
}

interface Entry {
  name: string;
  code: string;
  dtype: DType;
  shape: number[];
  numel: number;
  begin: number;
  end: number;
}

/** One header entry, checked: a known dtype, a shape of safe integers, safe-integer offsets spanning its bytes. */
function entryOf(name: string, raw: unknown): Entry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ArgumentError(OP_LOAD, `tensor '${name}' must be an object with dtype, shape and data_offsets, got ${describeValue(raw)}`);
  }
  const e = raw as Partial<HeaderEntry>;
  for (const key of Object.keys(e)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') throw new ArgumentError(OP_LOAD, `tensor '${name}' has an unknown field '${key}'`);
  }
  const r = typeof e.dtype === 'string' && Object.hasOwn(READ_DTYPE, e.dtype) ? READ_DTYPE[e.dtype] : undefined;
  if (r === undefined) throw new DTypeError(OP_LOAD, `tensor '${name}' has unsupported dtype ${describeValue(e.dtype)}`);
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ArgumentError(OP_LOAD, `tensor '${name}' has an invalid shape ${describeValue(shape)}`);
  }
  const numel = numelOf(shape);
  const off = e.data_offsets;
  // JSON strings ("4") or fractions would be concatenated or truncated: offsets are safe integers, nothing else.
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) || off[1] < off[0]) {
    throw new ArgumentError(OP_LOAD, `tensor '${name}' has invalid data_offsets ${describeValue(off)} (expected [begin, end], integers with 0 <= begin <= end)`);
  }
  if (off[1] - off[0] !== numel * r.bytes) {
    throw new ArgumentError(OP_LOAD, `tensor '${name}' (${e.dtype} ${fmtShape(shape)}) needs ${numel * r.bytes} bytes, its data_offsets [${off[0]},${off[1]}] span ${off[1] - off[0]}`);
  }
  if (numel > MAX_NUMEL) throw new ArgumentError(OP_LOAD, `tensor '${name}' has ${numel} elements, more than the ${MAX_NUMEL} a tensor can hold`);
  return { name, code: e.dtype as string, dtype: r.dtype, shape, numel, begin: off[0], end: off[1] };
}

/**
 * Every entry of the header, checked as a whole: sorted by offset, the tensors must tile the data section
 * exactly (no gap, no overlap, no trailing bytes), as the format requires.
 */
function entriesOf(header: Record<string, unknown>, dataLen: number): Entry[] {
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) if (name !== '__metadata__') entries.push(entryOf(name, raw));
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) {
      const what = e.begin < at ? 'overlaps the tensor before it' : `leaves a gap of ${e.begin - at} bytes before it`;
      throw new ArgumentError(OP_LOAD, `tensor '${e.name}' at data_offsets [${e.begin},${e.end}] ${what} (expected begin ${at})`);
    }
    at = e.end;
  }
  if (at !== dataLen) {
    throw new ArgumentError(OP_LOAD, at < dataLen
      ? `the data section has ${dataLen - at} trailing bytes after the last tensor (tensors end at ${at}, the file's data at ${dataLen})`
      : `the tensors need ${at} bytes of data, the file has ${dataLen}`);
  }
  return entries;
}

/**
 * Decodes a safetensors file into a state dict (new tensors, in the file's header order). The whole file is
 * checked first; the result has a null prototype, so a tensor named `__proto__` is just a key.
 */
export function loadSafetensors(bytes: Uint8Array): StateDict {
  const { header, dataStart } = parseHeader(OP_LOAD, bytes);
  metadataOf(OP_LOAD, header);
  const entries = entriesOf(header, bytes.length - dataStart);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sd: StateDict = Object.create(null);
  for (const e of entries) {
    const values = readData(view, dataStart + e.begin, e.numel, e.code, e.name);
    sd[e.name] = tensor(values, { dtype: e.dtype, shape: e.shape });
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
