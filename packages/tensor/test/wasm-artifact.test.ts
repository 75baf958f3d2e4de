// The committed wasm module (src/kernels/wasm/module.generated.ts) must be the compiled form of the current
// AssemblyScript sources, with the interface of its exports declared from them: this rebuilds it with the same
// script and compares.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { GENERATED, compileWasm, generatedModule } from '../scripts/build-wasm.mjs';
import { decode } from '../src/kernels/wasm/instance.js';
import { WASM_BASE64 } from '../src/kernels/wasm/module.generated.js';

test('module.generated.ts is current with assembly/*.ts (run `pnpm --filter @minigrad/tensor build:wasm`)', async () => {
  const own: { bytes: Uint8Array; dts: string } = await compileWasm();
  const shared: { bytes: Uint8Array; dts: string } = await compileWasm(true);
  expect(WebAssembly.validate(own.bytes)).toBe(true);
  expect(WebAssembly.validate(shared.bytes)).toBe(true);
  expect(readFileSync(GENERATED, 'utf8')).toBe(generatedModule(own, shared));
}, 60_000);

// The committed module (the test above checks it is the compiled sources) against the interface beside it.
test('the generated WasmExports declares every function the module exports, with its number of parameters', () => {
  const text = readFileSync(GENERATED, 'utf8');
  const exports = new WebAssembly.Instance(new WebAssembly.Module(decode(WASM_BASE64)), {}).exports;
  const functions = Object.entries(exports).filter(([, v]) => typeof v === 'function') as [string, (...a: number[]) => unknown][];
  expect(functions.length).toBeGreaterThan(15);
  for (const [name, fn] of functions) {
    const declared = new RegExp(`^  ${name}\\(([^)]*)\\)`, 'm').exec(text);
    expect(declared, name).not.toBeNull();
    const params = declared![1].trim() === '' ? 0 : declared![1].split(',').length;
    expect(params, name).toBe(fn.length);
  }
});

