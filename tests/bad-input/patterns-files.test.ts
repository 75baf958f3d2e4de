// Issue-13 patterns 7 and 8: the safetensors loader checks the whole file (and survives random corruption),
// and a killed save leaves nothing the next save does not clean up; fs errors name the target.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, MinigradError, tensor } from '@minigrad/tensor';
import { loadSafetensors, saveSafetensors } from '@minigrad/nn';
import { loadFile, saveFile, tempPathFor } from '@minigrad/nn/node';
import { expectError } from './helpers.js';
import { handMadeSafetensors } from '@minigrad/testing';


const f32 = (n: number) => new Array<number>(4 * n).fill(0);

describe('pattern 7: the loader checks the whole file', () => {
  it('offsets must be safe integers: strings are not concatenated, fractions not truncated', () => {
    expectError(() => loadSafetensors(handMadeSafetensors({ w: { dtype: 'F32', shape: [1], data_offsets: ['0', '4'] } }, f32(1))), ArgumentError,
      /^loadSafetensors: tensor 'w' has invalid data_offsets an array of length 2/);
    expectError(() => loadSafetensors(handMadeSafetensors({ w: { dtype: 'F32', shape: [1], data_offsets: [0.5, 4.5] } }, f32(2))), ArgumentError,
      /^loadSafetensors: tensor 'w' has invalid data_offsets \[0.5,4.5\]/);
  });

  it('tensors tile the data section exactly: no overlap, no gap, no trailing bytes', () => {
    const two = (b: [number, number]) => ({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: b } });
    expectError(() => loadSafetensors(handMadeSafetensors(two([0, 4]), f32(1))), ArgumentError, /^loadSafetensors: tensor '[ab]' at data_offsets \[0,4\] overlaps the tensor before it/);
    expectError(() => loadSafetensors(handMadeSafetensors(two([8, 12]), f32(3))), ArgumentError, /leaves a gap of 4 bytes before it/);
    expectError(() => loadSafetensors(handMadeSafetensors(two([4, 8]), f32(3))), ArgumentError, /^loadSafetensors: the data section has 4 trailing bytes after the last tensor/);
    expect(Object.keys(loadSafetensors(handMadeSafetensors(two([4, 8]), f32(2))))).toEqual(['a', 'b']);
  });

  it('a tensor named __proto__ is a key like any other; null entries and bad metadata are errors', () => {
    const header = JSON.parse('{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}');
    const sd = loadSafetensors(handMadeSafetensors(header, [0, 0, 128, 63]));
    expect(Object.getPrototypeOf(sd)).toBe(null);
    expect(Object.keys(sd)).toEqual(['__proto__']);
    expect(sd['__proto__'].toArray()).toEqual([1]);
    expectError(() => loadSafetensors(handMadeSafetensors({ w: null }, [])), ArgumentError, /^loadSafetensors: tensor 'w' must be an object with dtype, shape and data_offsets, got null$/);
    expectError(() => loadSafetensors(handMadeSafetensors({ w: { dtype: 'toString', shape: [], data_offsets: [0, 0] } }, [])), MinigradError, /unsupported dtype "toString"/);
    expectError(() => loadSafetensors(handMadeSafetensors({ __metadata__: { a: 1 } }, [])), ArgumentError, /^loadSafetensors: __metadata__ value for 'a' must be a string, got 1$/);
    expectError(() => loadSafetensors('abc' as never), ArgumentError, /^loadSafetensors: expects the file's bytes as a Uint8Array, got "abc"$/);
  });

  it('random byte flips and truncations give a MinigradError or a state dict, never anything else', () => {
    const good = saveSafetensors({ w: tensor([[1, 2], [3, 4]]), b: tensor([5], { dtype: 'int32' }), m: tensor([true, false]) }, { step: '3' });
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(good.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(good.length) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
        let bytes = good.slice();
        for (const m of muts) {
          if (m.kind === 'flip') bytes[Math.min(m.at, bytes.length - 1)] = m.value;
          else bytes = bytes.slice(0, Math.min(m.at, bytes.length));
        }
        try {
          const sd = loadSafetensors(bytes);
          for (const t of Object.values(sd)) expect(t.numel()).toBeGreaterThanOrEqual(0);
        } catch (e) {
          expect(e).toBeInstanceOf(MinigradError);
        }
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

describe('pattern 8: saving', () => {
  it('the temp file of a killed save is reused and removed by the next save of that target', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minigrad-save-'));
    const path = join(dir, 'm.safetensors');
    // What a save killed between writing its temp file and the rename leaves behind.
    writeFileSync(tempPathFor(path), new Uint8Array(1000).fill(7));
    saveFile(path, { w: tensor([1, 2]) });
    expect(readdirSync(dir)).toEqual(['m.safetensors']);
    expect(loadFile(path).w.toArray()).toEqual([1, 2]);
  });

  it('file-system errors are MinigradErrors naming the target, with the fs error as cause', () => {
    const path = join(tmpdir(), 'minigrad-no-such-dir', 'm.safetensors');
    const e = expectError(() => saveFile(path, { w: tensor([1]) }), ArgumentError, /^saveFile: cannot save '.*minigrad-no-such-dir\/m\.safetensors' \(ENOENT: no such file or directory\)$/);
    expect((e.cause as { code?: string }).code).toBe('ENOENT');
    expect(e.message).not.toMatch(/\.tmp/);
    expectError(() => loadFile(path), ArgumentError, /^loadFile: cannot read '.*m\.safetensors' \(ENOENT: no such file or directory\)$/);
    expectError(() => saveFile('', { w: tensor([1]) }), ArgumentError, /^saveFile: path must be a non-empty string/);
  });
});
