// The backends every op suite runs on: 'js' always, 'wasm' wherever WebAssembly SIMD is available (Node 20
// has it; test/wasm-kernels.test.ts fails if it is missing there, so the wasm runs cannot silently vanish).
import { afterAll, beforeAll, describe } from 'vitest';
import { type Backend, getBackend, jsBackend, setBackend, wasmAvailable, wasmBackend } from '@minigrad/tensor';

export const BACKENDS: Backend[] = wasmAvailable() ? [jsBackend, wasmBackend] : [jsBackend];

/** `describe(title)` once per backend, with that backend active inside (the previous one restored after). */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} [backend ${backend.name}]`, () => {
      let previous: Backend = jsBackend;
      beforeAll(() => {
        previous = getBackend();
        setBackend(backend);
      });
      afterAll(() => setBackend(previous));
      body(backend);
    });
  }
}
