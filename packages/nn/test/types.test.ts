// The types a TypeScript user gets: new-user-script.ts compiled (no emit) against the built typings of
// @minigrad/tensor, autograd and nn. Each `: Variable` there must hold (a layer's call, a Tensor op handed a
// Variable, a free function of either package) and each @ts-expect-error must still be an error.
import { ensureBuilt } from '@minigrad/testing';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./new-user-script.ts', import.meta.url));

describe('typings', () => {
  it('type a PyTorch-style script: Tensors and Variables mixed, Variables out', () => {
    ensureBuilt(root, ['tensor', 'autograd', 'nn'], 'index.d.ts');
    const program = ts.createProgram([script], {
      strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'],
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).toEqual([]);
  }, 60_000);
});
