import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, arange, tensor } from '@minigrad/tensor';
import { loadFixtures } from '@minigrad/testing';
import { loadSafetensors, safetensorsMetadata, saveSafetensors } from '../src/index.js';
import type { StateDict } from '../src/index.js';
import { loadFile, saveFile } from '@minigrad/nn/node';
import { handMadeSafetensors } from '@minigrad/testing';

const pythonFile = () => new Uint8Array(readFileSync(new URL('./fixtures/model.safetensors', import.meta.url)));
const interop = loadFixtures<{ keys: string[]; numBatchesTracked: number }>(new URL('./fixtures/interop.json', import.meta.url)).cases[0];

function sample(): StateDict {
  return {
    'layer.weight': arange(6, { dtype: 'float32' }).div(7).reshape([2, 3]),
    'layer.bias': tensor([1e-30, -2.5, 3e30], { dtype: 'float64' }),
    'bn.num_batches_tracked': tensor(-17, { dtype: 'int32' }),
    'mask': tensor([true, false, true], { dtype: 'bool' }),
    'empty': tensor([], { dtype: 'float32', shape: [0, 4] }),
  };
}


describe('safetensors', () => {
  it('round-trips every dtype, shape and value exactly, with metadata', () => {
    const sd = sample();
    const bytes = saveSafetensors(sd, { format: 'pt', note: 'minigrad' });
    const back = loadSafetensors(bytes);
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].shape).toEqual(t.shape);
      expect([...back[k].toTypedArray()]).toEqual([...t.toTypedArray()]);
    }
    expect(safetensorsMetadata(bytes)).toEqual({ format: 'pt', note: 'minigrad' });
  });

  it('writes the layout of the format: u64 LE header size, JSON header, 8-byte aligned data', () => {
    const bytes = saveSafetensors({ w: tensor([1.5, -2], { dtype: 'float32' }), i: tensor([7], { dtype: 'int32' }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      i: { dtype: 'I32', shape: [1], data_offsets: [8, 12] },
    });
    const data = new DataView(bytes.buffer, 8 + n);
    expect([data.getFloat32(0, true), data.getFloat32(4, true), data.getInt32(8, true)]).toEqual([1.5, -2, 7]);
    expect(bytes.length).toBe(8 + n + 12);
  });

  it('reads a file encoded by PyTorch-side code, including I64 num_batches_tracked', () => {
    const sd = loadSafetensors(pythonFile());
    expect(Object.keys(sd)).toEqual(interop.keys);
    const nbt = sd['1.num_batches_tracked'];
    expect(nbt.dtype).toBe('int32');
    expect(nbt.shape).toEqual([]);
    expect(nbt.item()).toBe(interop.numBatchesTracked);
    expect(sd['0.weight'].shape).toEqual([3, 1, 3, 3]);
    expect(safetensorsMetadata(pythonFile())).toEqual({ format: 'pt', source: 'tools/fixtures/nn.py' });
  });

  it('decodes F16, BF16, I16, I8, U8 into float32 / int32', () => {
    const bytes = handMadeSafetensors(
      {
        h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
        b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
        s: { dtype: 'I16', shape: [1], data_offsets: [10, 12] },
        c: { dtype: 'I8', shape: [1], data_offsets: [12, 13] },
        u: { dtype: 'U8', shape: [1], data_offsets: [13, 14] },
      },
      // 1.0, -2.0, +inf as halves; 1.0 and 3.140625 as bfloat16; -2 as i16; -1 as i8; 255 as u8
      [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c, 0x80, 0x3f, 0x49, 0x40, 0xfe, 0xff, 0xff, 0xff],
    );
    const sd = loadSafetensors(bytes);
    expect([...sd.h.toTypedArray()]).toEqual([1, -2, Infinity]);
    expect([...sd.b.toTypedArray()]).toEqual([1, 3.140625]);
    expect([sd.s.item(), sd.c.item(), sd.u.item()]).toEqual([-2, -1, 255]);
    expect(sd.u.dtype).toBe('int32');
  });

  it('rejects truncated or inconsistent files with a clear error', () => {
    const good = saveSafetensors({ w: tensor([1, 2, 3], { dtype: 'float32' }) });
    expect(() => loadSafetensors(good.subarray(0, 5))).toThrow(ArgumentError);
    expect(() => loadSafetensors(good.subarray(0, good.length - 4))).toThrow(/^loadSafetensors: the tensors need 12 bytes of data, the file has 8$/);
    const bad = good.slice();
    new DataView(bad.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => loadSafetensors(bad)).toThrow(/runs past the end/);
    expect(() => loadSafetensors(handMadeSafetensors({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Array(8).fill(0)))).toThrow(DTypeError);
    expect(() => loadSafetensors(handMadeSafetensors({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]))).toThrow(
      /^loadSafetensors: tensor 'w' \(F32 \[2\]\) needs 8 bytes, its data_offsets \[0,4\] span 4$/,
    );
    const bigI64 = handMadeSafetensors({ w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 1, 0, 0, 0]);
    expect(() => loadSafetensors(bigI64)).toThrow(/outside the int32 range/);
    expect(() => saveSafetensors({ __metadata__: tensor([1]) })).toThrow(/reserved/);
    expect(() => saveSafetensors({}, { n: 3 as unknown as string })).toThrow(/must be a string/);
  });
});

describe('@minigrad/nn/node files', () => {
  it('saveFile writes atomically (no temp files left) and loadFile reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minigrad-nn-'));
    const path = join(dir, 'ckpt.safetensors');
    saveFile(path, sample(), { step: '3' });
    saveFile(path, sample());
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
    const back = loadFile(path);
    expect(back['layer.weight'].toArray()).toEqual(sample()['layer.weight'].toArray());
  });

  it('a failed save leaves the previous file untouched and no temp file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minigrad-nn-'));
    const path = join(dir, 'ckpt.safetensors');
    writeFileSync(path, 'previous');
    expect(() => saveFile(path, sample(), { bad: 1 as unknown as string })).toThrow(ArgumentError);
    const target = join(dir, 'is-a-dir');
    mkdirSync(join(target, 'child'), { recursive: true });
    expect(() => saveFile(target, sample())).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['ckpt.safetensors', 'is-a-dir']);
    expect(readFileSync(path, 'utf8')).toBe('previous');
  });
});
