// The committed wasm module (src/kernels/wasm/module.generated.ts) must be the compiled form of the current
// AssemblyScript sources: this rebuilds it with the same script and compares.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { GENERATED, compileWasm, generatedModule } from '../scripts/build-wasm.mjs';

test('module.generated.ts is current with assembly/*.ts (run `pnpm --filter @minigrad/tensor build:wasm`)', async () => {
  const bytes: Uint8Array = await compileWasm();
  const shared: Uint8Array = await compileWasm(true);
  expect(WebAssembly.validate(bytes)).toBe(true);
  expect(WebAssembly.validate(shared)).toBe(true);
  expect(readFileSync(GENERATED, 'utf8')).toBe(generatedModule(bytes, shared));
}, 60_000);
