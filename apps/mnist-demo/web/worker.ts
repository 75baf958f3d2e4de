// One run of the lab in its own Web Worker: the wasm backend, the data sent by the page, then runLab
// (src/lab/session.ts), which trains with the CLI's executeRun and posts what the page draws.
import { initWasmBackend } from '@minigrad/tensor';
import { unpackImages } from '../src/lab/images.js';
import { runLab } from '../src/lab/run.js';
import { labData, type LabMessage, type LabRun } from '../src/lab/session.js';

export interface StartMessage {
  run: LabRun;
  /** The packed data file (src/lab/images.ts) of the run's data set. */
  bytes: ArrayBuffer;
  /** control[0] === 1 pauses the run (null where the page is not cross-origin isolated). */
  control: SharedArrayBuffer | null;
}

const scope = self as unknown as { postMessage(m: LabMessage): void; onmessage: ((e: MessageEvent<StartMessage>) => void) | null };

scope.onmessage = async ({ data: { run, bytes, control } }) => {
  try {
    await initWasmBackend();
    const data = labData(unpackImages(new Uint8Array(bytes)), run);
    runLab(run, data, (m) => scope.postMessage(m), control === null ? undefined : new Int32Array(control));
  } catch (e) {
    scope.postMessage({ type: 'failed', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
