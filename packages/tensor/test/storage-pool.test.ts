// The backends' storage pool: a recycled storage is emptied (so a reference wrongly kept fails loudly) and its
// array comes back zero-filled to the next alloc of exactly the same dtype and size (as its last owner left it to
// allocUninitialized); small arrays, arrays of another backend and arrays beyond the byte cap are not kept.
import { describe, expect, it } from 'vitest';
import { ArrayStorage, jsBackend, wasmBackend } from '@minigrad/tensor';
import { POOL_MAX_BYTES, POOL_MIN_BYTES, StoragePool } from '../src/storage-pool.js';

const BIG = POOL_MIN_BYTES / 4; // float32 elements in the smallest pooled array

describe('storage pool', () => {
  it('empties a recycled storage and bumps its version', () => {
    const s = jsBackend.alloc(BIG, 'float32');
    s.data.fill(3);
    const version = s.version;
    jsBackend.recycle!(s);
    expect(s.size).toBe(0);
    expect(s.data.length).toBe(0);
    expect(s.version).toBe(version + 1);
  });

  it('hands a recycled array, zero-filled, to the next alloc of the same dtype and size only', () => {
    const s = jsBackend.alloc(BIG, 'float32');
    const array = s.data;
    array.fill(5);
    jsBackend.recycle!(s);
    expect(jsBackend.alloc(BIG, 'int32').data).not.toBe(array);
    expect(jsBackend.alloc(BIG + 1, 'float32').data).not.toBe(array);
    const again = jsBackend.alloc(BIG, 'float32');
    expect(again.data).toBe(array);
    expect(Array.from(again.data).every((v) => v === 0)).toBe(true);
    expect(jsBackend.alloc(BIG, 'float32').data).not.toBe(array);
  });

  it('hands a recycled array unfilled to allocUninitialized, and a fresh zeroed one when none is pooled', () => {
    const s = wasmBackend.alloc(BIG, 'float32');
    const array = s.data;
    array.fill(5);
    wasmBackend.recycle!(s);
    const again = wasmBackend.allocUninitialized!(BIG, 'float32');
    expect(again.data).toBe(array);
    expect(again.version).toBe(0);
    expect(Array.from(again.data).every((v) => v === 5)).toBe(true);
    const fresh = wasmBackend.allocUninitialized!(BIG, 'float32');
    expect(fresh.data).not.toBe(array);
    expect(Array.from(fresh.data).every((v) => v === 0)).toBe(true);
  });

  it('ignores a storage of another backend', () => {
    const s = wasmBackend.alloc(BIG, 'float32');
    const array = s.data;
    jsBackend.recycle!(s);
    expect(s.data).toBe(array);
    expect(jsBackend.alloc(BIG, 'float32').data).not.toBe(array);
  });

  it('does not keep small arrays, and leaves their storage as it was', () => {
    const pool = new StoragePool();
    expect(pool.keeps(POOL_MIN_BYTES - 1)).toBe(false);
    expect(pool.keeps(POOL_MIN_BYTES)).toBe(true);
    const s = jsBackend.alloc(BIG - 1, 'float32');
    const array = s.data;
    jsBackend.recycle!(s);
    expect(s.data).toBe(array);
    expect(s.version).toBe(0);
    expect(jsBackend.alloc(BIG - 1, 'float32').data).not.toBe(array);
  });

  it('drops the oldest arrays beyond its byte cap', () => {
    const pool = new StoragePool();
    const quarter = POOL_MAX_BYTES / 4;
    const arrays = [0, 1, 2, 3, 4].map(() => new Uint8Array(quarter));
    for (const a of arrays) pool.give(a, 'bool');
    expect(pool.heldBytes).toBe(POOL_MAX_BYTES);
    // Compared by index: a failing toEqual on 32 MB arrays would print them.
    const back = [0, 1, 2, 3, 4].map(() => arrays.indexOf(pool.take(quarter, 'bool') as Uint8Array));
    expect(back.slice(0, 4).sort()).toEqual([1, 2, 3, 4]);
    expect(back[4]).toBe(-1);
    expect(pool.heldBytes).toBe(0);
  });

  it('wraps a taken array as a fresh storage', () => {
    const s = new ArrayStorage(new Float32Array(BIG), 'float32', 'js');
    jsBackend.recycle!(s);
    const t = jsBackend.alloc(BIG, 'float32');
    expect(t).not.toBe(s);
    expect(t.version).toBe(0);
    expect(t.size).toBe(BIG);
  });
});
