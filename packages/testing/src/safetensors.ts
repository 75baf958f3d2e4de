/**
 * A safetensors file built by hand from a header object and raw data bytes (8-byte little-endian header
 * length, the JSON header, the data), for tests that feed the loader files it did not write.
 */
export function handMadeSafetensors(header: unknown, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
